#include "core/strict_json.hpp"

#include <algorithm>
#include <vector>

namespace mitra::core {

using nlohmann::json;

JsonPrescan::JsonPrescan(std::size_t max_records, std::size_t max_values)
    : max_records_(max_records), max_values_(max_values) {}

void JsonPrescan::run(std::string_view text) {
  json::sax_parse(text.begin(), text.end(), this, json::input_format_t::json, /*strict=*/true);
}

bool JsonPrescan::null() { return scalar_done(value()); }
bool JsonPrescan::boolean(bool) { return scalar_done(value()); }
bool JsonPrescan::number_integer(number_integer_t) { return scalar_done(value()); }
bool JsonPrescan::number_unsigned(number_unsigned_t) { return scalar_done(value()); }
bool JsonPrescan::number_float(number_float_t, const string_t&) { return scalar_done(value()); }
bool JsonPrescan::string(string_t&) { return scalar_done(value()); }
bool JsonPrescan::binary(binary_t&) { return scalar_done(value()); }
bool JsonPrescan::start_object(std::size_t) { return open(true); }
bool JsonPrescan::end_object() { return close(); }
bool JsonPrescan::start_array(std::size_t) { return open(false); }
bool JsonPrescan::end_array() { return close(); }

bool JsonPrescan::key(string_t& name) {
  auto& top = frames_.back();
  top.key = name;
  if (std::find(top.keys.begin(), top.keys.end(), name) == top.keys.end()) {
    top.keys.push_back(name);
    return true;
  }
  std::string outer;
  for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
    const auto& f = frames_[i];
    outer += f.object ? (outer.empty() ? "" : ".") + f.key : "[" + std::to_string(f.index) + "]";
  }
  repeated_ = outer.empty() ? name : outer + "." + name;
  return false;
}

bool JsonPrescan::parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
  return false;
}

bool JsonPrescan::value() {
  ++values_;
  if (frames_.size() == 2) ++records_;  // An element of a list in the top-level object.
  return !over();
}

// A value ended: the enclosing list moves on to its next element.
void JsonPrescan::element_done() {
  if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
}

bool JsonPrescan::open(bool object) {
  const bool ok = value();
  frames_.push_back(Frame{object, {}, {}, 0});
  deepest_ = std::max(deepest_, static_cast<int>(frames_.size()));
  return ok && !too_deep();
}

bool JsonPrescan::close() {
  frames_.pop_back();
  element_done();
  return true;
}

bool JsonPrescan::scalar_done(bool ok) {
  element_done();
  return ok;
}

namespace {

// What the messages call the document: the request body, or the field it came in.
Sentence document_named(const std::string& field) {
  return field == "body" ? sentence("The request body") : sentence("{field}", {{"field", field}});
}

}  // namespace

Result<json> parse_json_strict(std::string_view text, const std::string& field) {
  JsonPrescan scan;
  scan.run(text);
  if (scan.too_deep()) {
    return invalid(field, sentence("{what} nests lists or objects more than {depth} deep.",
                                   {{"depth", std::to_string(JsonPrescan::kMaxDepth)}})
                              .with("what", document_named(field)));
  }
  // The scan stops at a repeated key; the text after it may still not be JSON, which is then
  // the error to report.
  auto doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return invalid(field,
                   sentence("{what} is not valid JSON.").with("what", document_named(field)));
  }
  if (!scan.repeated().empty()) {
    const std::string name =
        field.empty() || field == "body" ? scan.repeated() : field + "." + scan.repeated();
    return invalid(
        name, sentence("{field} appears more than once; give each field once.", {{"field", name}}));
  }
  return doc;
}

Result<json> parse_json_object(std::string_view text, const std::string& field,
                               const std::string& example) {
  auto doc = parse_json_strict(text, field);
  if (!doc) return doc;
  if (!doc->is_object()) {
    if (example.empty()) {
      return invalid(field,
                     sentence("{what} must be a JSON object.").with("what", document_named(field)));
    }
    return invalid(field,
                   sentence("{what} must be a JSON object, e.g. {example}.", {{"example", example}})
                       .with("what", document_named(field)));
  }
  return doc;
}

Result<void> only_keys(const json& object, std::initializer_list<std::string_view> known,
                       const std::string& where, const Sentence& what) {
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
    return invalid(where + item.key(),
                   sentence("{field} is not a field {what}; the fields are {fields}.",
                            {{"field", where + item.key()}, {"fields", names}})
                       .with("what", what));
  }
  return {};
}

std::string json_type_words(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "true or false";
    case json::value_t::string:
      return "a string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "a list";
    default:
      return "something else";
  }
}

}  // namespace mitra::core
