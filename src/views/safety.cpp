#include "views/safety.hpp"

namespace mitra::views {

using nlohmann::json;

json advisory_json(const core::Advisory& a) {
  return json{{"id", a.id},
              {"level", core::to_string(a.level)},
              {"message", a.message},
              {"what_to_do", a.what_to_do},
              {"sources", a.sources},
              {"because", a.because},
              {"estimate", a.estimate.empty() ? json(nullptr) : json(a.estimate)}};
}

json safety_json(const std::vector<core::Advisory>& advisories) {
  json list = json::array();
  for (const auto& a : advisories) list.push_back(advisory_json(a));
  return {{"advisories", list}};
}

}  // namespace mitra::views
