#include "views/settings.hpp"

#include "formats/profile_json.hpp"
#include "views/learn.hpp"

namespace mitra::views {

nlohmann::json settings_json(const app::Context& context) {
  return {{"zone", context.settings.saved_zone},
          {"zone_in_use", context.zone ? std::string(context.zone->name()) : context.settings.zone},
          {"day_start", core::format_time_of_day(context.settings.day_start)},
          {"configured", context.settings.configured},
          {"language", context.settings.language
                           ? nlohmann::json(core::language_code(*context.settings.language))
                           : nlohmann::json(nullptr)}};
}

nlohmann::json profile_json(const core::Profile& profile, Saved saved, core::Language language) {
  return {{"profile", formats::to_json(profile)},
          {"saved", saved == Saved::yes},
          {"pathways", pathways_json(core::pathways_for(profile, std::nullopt, language))}};
}

}  // namespace mitra::views
