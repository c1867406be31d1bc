#pragma once
// JSON as mitra reads it from outside (API bodies, imports, answers): parsed without
// exceptions, with a repeated key in any object refused (nlohmann keeps the last one
// silently), and object keys checked against the fields a reader knows. Every decoder of
// outside JSON goes through here, so no exception from the JSON library crosses a layer.

#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace mitra::core {

// Parses `text`. Not JSON, or an object with the same key twice, is invalid input naming
// `field` (for a repeated key: the key's path, e.g. "doses[3].amount", after `field`'s own
// prefix when `field` is not "body").
Result<nlohmann::json> parse_json_strict(std::string_view text, const std::string& field = "body");

// As above, and the document must be an object.
Result<nlohmann::json> parse_json_object(std::string_view text, const std::string& field = "body",
                                         const std::string& example = "");

// Every key of `object` is one of `known`; otherwise invalid input naming the unknown key
// (prefixed with `where`, e.g. "doses[2]."). `what` names the object in the message.
Result<void> only_keys(const nlohmann::json& object, std::initializer_list<std::string_view> known,
                       const std::string& where = "", const std::string& what = "here");

// The name of a JSON value's type in plain words ("a string", "a number", "an object"...).
std::string json_type_words(const nlohmann::json& value);

}  // namespace mitra::core
