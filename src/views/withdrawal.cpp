#include "views/withdrawal.hpp"

#include "core/localized_data.hpp"

namespace mitra::views {

using nlohmann::json;

namespace {

json status_document(const core::WithdrawalStatus& s, core::Language language) {
  const auto& guide = core::phase_guide(s.phase, language);
  json out{
      {"last_dose_at", core::format_utc(s.last_dose_at)},
      {"hours_since_last_dose", s.hours_since_last_dose},
      {"phase", core::to_string(s.phase)},
      {"next_phase", s.next_phase ? json(core::to_string(*s.next_phase)) : json(nullptr)},
      {"next_phase_at", s.next_phase_at ? json(core::format_utc(*s.next_phase_at)) : json(nullptr)},
      {"title", guide.title},
      {"timing", guide.timing},
      {"what_happens", guide.what_happens},
      {"what_helps", guide.what_helps},
      {"sources", guide.sources},
      {"likely_harder", s.likely_harder},
      {"harder_because", s.harder_because},
      {"occasional_use", s.occasional_use},
      {"doses_per_day_before_last_dose", s.doses_per_day_before_last_dose}};
  if (s.next_phase) {
    const auto& next = core::phase_guide(*s.next_phase, language);
    out["next"] = json{{"phase", core::to_string(*s.next_phase)},
                       {"title", next.title},
                       {"timing", next.timing},
                       {"what_happens", next.what_happens},
                       {"sources", next.sources}};
  }
  if (s.likely_harder) {
    out["harder_course"] = json{{"text", core::harder_course_note(language).text},
                                {"sources", core::harder_course_note(language).sources}};
  }
  if (s.occasional_use) {
    out["occasional"] = json{{"text", core::occasional_use_note(language).text},
                             {"sources", core::occasional_use_note(language).sources}};
  }
  json flags = json::array();
  for (const auto& f : core::withdrawal_red_flags(language)) {
    flags.push_back(json{{"id", f.id}, {"text", f.text}, {"sources", f.sources}});
  }
  out["red_flags"] = flags;
  if (!s.sows.empty()) {
    json checks = json::array();
    for (const auto& c : s.sows) {
      checks.push_back(json{{"at", core::format_utc(c.at)},
                            {"total", c.total},
                            {"phase", core::to_string(c.phase)},
                            {"expected_min", c.expected.min},
                            {"expected_max", c.expected.max},
                            {"comparison", core::to_string(c.comparison)}});
    }
    const auto& words = core::comparison_text(*s.latest, language);
    out["sows"] = json{{"checks", checks},
                       {"latest", core::to_string(*s.latest)},
                       {"text", words.text},
                       {"sources", words.sources},
                       {"trend", s.trend ? json(core::to_string(*s.trend)) : json(nullptr)}};
  }
  return out;
}

}  // namespace

json withdrawal_json(const std::optional<core::WithdrawalStatus>& status,
                     const core::TimeZone* zone, core::Language language) {
  if (!status) {
    return json{{"last_dose_at", nullptr},
                {"hours_since_last_dose", nullptr},
                {"phase", nullptr},
                {"next_phase", nullptr},
                {"next_phase_at", nullptr}};
  }
  auto j = status_document(*status, language);
  j["language"] = core::language_code(data::content_language("evidence/withdrawal.json", language));
  j["last_dose_at_local"] = core::format_local(status->last_dose_at, zone);
  if (status->next_phase_at) {
    j["next_phase_at_local"] = core::format_local(*status->next_phase_at, zone);
  }
  return j;
}

}  // namespace mitra::views
