#include "core/strict_json.hpp"

#include <set>
#include <vector>

namespace mitra::core {

using nlohmann::json;

namespace {

// Where the parser is, to name a repeated key by its path.
struct Frame {
  bool object = false;
  std::set<std::string> keys;  // Seen in this object.
  std::string key;             // The current key (objects).
  std::size_t index = 0;       // The current element (arrays).
};

std::string path_of(const std::vector<Frame>& frames) {
  std::string out;
  // The innermost frame is the object holding the repeated key; the outer ones name it.
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    const auto& f = frames[i];
    if (f.object) {
      out += (out.empty() ? "" : ".") + f.key;
    } else {
      out += "[" + std::to_string(f.index) + "]";
    }
  }
  return out;
}

}  // namespace

Result<json> parse_json_strict(std::string_view text, const std::string& field) {
  std::vector<Frame> frames;
  std::string repeated;  // The first repeated key's path, once found.
  // Counts one element of the enclosing array once a value (or a whole container) ends.
  const auto element_done = [&frames] {
    if (!frames.empty() && !frames.back().object) ++frames.back().index;
  };
  const json::parser_callback_t callback = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        frames.push_back(Frame{true, {}, {}, 0});
        break;
      case json::parse_event_t::array_start:
        frames.push_back(Frame{false, {}, {}, 0});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames.empty()) frames.pop_back();
        element_done();
        break;
      case json::parse_event_t::key:
        if (!frames.empty() && parsed.is_string()) {
          auto& top = frames.back();
          top.key = parsed.get<std::string>();
          if (!top.keys.insert(top.key).second && repeated.empty()) {
            const auto outer = path_of(frames);
            repeated = outer.empty() ? top.key : outer + "." + top.key;
          }
        }
        break;
      case json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  };
  auto doc = json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return invalid(field, (field == "body" ? std::string("The request body") : field) +
                              " is not valid JSON.");
  }
  if (!repeated.empty()) {
    const std::string name =
        field.empty() || field == "body" ? repeated : field + "." + repeated;
    return invalid(name, name + " appears more than once; give each field once.");
  }
  return doc;
}

Result<json> parse_json_object(std::string_view text, const std::string& field,
                               const std::string& example) {
  auto doc = parse_json_strict(text, field);
  if (!doc) return doc;
  if (!doc->is_object()) {
    const std::string what = field == "body" ? std::string("The request body") : field;
    return invalid(field, what + " must be a JSON object" +
                              (example.empty() ? std::string(".") : ", e.g. " + example + "."));
  }
  return doc;
}

Result<void> only_keys(const json& object, std::initializer_list<std::string_view> known,
                       const std::string& where, const std::string& what) {
  if (!object.is_object()) return {};
  for (const auto& item : object.items()) {
    bool found = false;
    for (const auto k : known) found = found || item.key() == k;
    if (found) continue;
    std::string names;
    for (const auto k : known) {
      names += (names.empty() ? "" : ", ");
      names += k;
    }
    return invalid(where + item.key(), where + item.key() + " is not a field " + what +
                                           "; the fields are " + names + ".");
  }
  return {};
}

std::string json_type_words(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "true or false";
    case json::value_t::string: return "a string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    default: return "something else";
  }
}

}  // namespace mitra::core
