#pragma once
// JSON as mitra reads it from outside (API bodies, imports, answers): parsed without
// exceptions, with a repeated key in any object refused (nlohmann keeps the last one
// silently), and object keys checked against the fields a reader knows. Every decoder of
// outside JSON goes through here, so no exception from the JSON library crosses a layer.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace mitra::core {

// One pass over JSON text without building the document: counts its values and the elements
// of the lists inside the top-level object (the records), measures its depth, and finds the
// first key repeated in one object (named by its path, "doses[3].amount"). It stops as soon as
// any limit is passed or a key repeats, so a huge or hostile text is refused before it takes
// memory. (A parser callback doing the same made nlohmann parse about fifteen times slower.)
// Syntax errors are left to the parse that follows.
class JsonPrescan : public nlohmann::json_sax<nlohmann::json> {
 public:
  static constexpr int kMaxDepth = 16;  // Lists and objects nested deeper are refused.
  JsonPrescan(std::size_t max_records = SIZE_MAX, std::size_t max_values = SIZE_MAX);
  void run(std::string_view text);

  bool over() const { return records_ > max_records_ || values_ > max_values_; }
  bool too_deep() const { return deepest_ > kMaxDepth; }
  const std::string& repeated() const { return repeated_; }

  bool null() override;
  bool boolean(bool) override;
  bool number_integer(number_integer_t) override;
  bool number_unsigned(number_unsigned_t) override;
  bool number_float(number_float_t, const string_t&) override;
  bool string(string_t&) override;
  bool binary(binary_t&) override;
  bool start_object(std::size_t) override;
  bool end_object() override;
  bool start_array(std::size_t) override;
  bool end_array() override;
  bool key(string_t& name) override;
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override;

 private:
  struct Frame {
    bool object = false;
    std::vector<std::string> keys;  // Objects: the keys seen (few: a linear search is fastest).
    std::string key;                // Objects: the current key.
    std::size_t index = 0;          // Lists: the current element.
  };
  bool value();
  void element_done();
  bool open(bool object);
  bool close();
  bool scalar_done(bool ok);

  std::size_t max_records_;
  std::size_t max_values_;
  std::size_t records_ = 0;
  std::size_t values_ = 0;
  std::vector<Frame> frames_;
  int deepest_ = 0;
  std::string repeated_;
};

// Parses `text`. Not JSON, nested more than kMaxDepth deep, or an object with the same key
// twice, is invalid input naming `field` (for a repeated key: the key's path, e.g.
// "doses[3].amount", after `field`'s own prefix when `field` is not "body").
Result<nlohmann::json> parse_json_strict(std::string_view text, const std::string& field = "body");

// As above, and the document must be an object.
Result<nlohmann::json> parse_json_object(std::string_view text, const std::string& field = "body",
                                         const std::string& example = "");

// Every key of `object` is one of `known`; otherwise invalid input naming the unknown key
// (prefixed with `where`, e.g. "doses[2]."). `what` names the object in the message.
Result<void> only_keys(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                       const std::string& where = "", const Sentence& what = sentence("here"));

// The name of a JSON value's type in plain words ("a string", "a number", "an object"...).
std::string json_type_words(const nlohmann::json& value);

}  // namespace mitra::core
