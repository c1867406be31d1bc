#include "app/understanding.hpp"

#include <algorithm>

#include "app/pattern.hpp"
#include "formats/profile_json.hpp"

namespace mitra::app {

namespace {

constexpr const char* kProfileKey = "profile";

}  // namespace

Result<core::Profile> load_profile(Context& context) {
  auto stored = context.store.get_setting(kProfileKey);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return core::Profile{};
  const auto doc = nlohmann::json::parse(**stored, nullptr, false);
  if (doc.is_discarded()) {
    return core::fail(
        core::ErrorKind::internal,
        core::sentence("The saved profile is not valid JSON; save it again with `mitra profile`."),
        "profile");
  }
  return formats::profile_from_json(doc);
}

Result<core::Profile> save_profile(Context& context, const nlohmann::json& document) {
  auto profile = formats::profile_from_json(document);
  if (!profile) return tl::unexpected(profile.error());
  auto saved = context.store.put_setting(kProfileKey, formats::to_json(*profile).dump());
  if (!saved) return tl::unexpected(saved.error());
  return profile;
}

Result<AssessmentResult> assess(Context& context, const std::string& given_id,
                                const nlohmann::json& document,
                                const std::string& idempotency_key) {
  // An alias ("daily") is stored as the instrument's own id.
  const std::string instrument_id(core::canonical_instrument_id(given_id));
  auto instrument = core::find_instrument(instrument_id);
  if (!instrument) return tl::unexpected(instrument.error());
  auto score = core::score_document(**instrument, document);
  if (!score) return tl::unexpected(score.error());
  AssessmentResult result;
  result.score = *score;
  if (instrument_id == "dsm5" || instrument_id == "reflection") {
    auto profile = load_profile(context);
    if (!profile) return tl::unexpected(profile.error());
    std::optional<std::string_view> band;
    if (instrument_id == "dsm5" && score->band) band = score->band->id;
    result.pathways = core::pathways_for(*profile, band, context.language);
  }
  store::Assessment record;
  record.instrument = instrument_id;
  record.taken_at = context.now;
  record.zone = context.settings.zone;
  for (const auto& item : score->items) record.answers.push_back(item.score);
  record.total = score->total;
  record.band = score->band ? score->band->id : "";
  auto stored = context.store.add_assessment(record, idempotency_key);
  if (!stored) return tl::unexpected(stored.error());
  if (stored->instrument != record.instrument || stored->answers != record.answers) {
    return core::fail(core::ErrorKind::conflict,
                      core::sentence("this Idempotency-Key was already used for another "
                                     "{instrument} answer set; send a new key for a new check-in",
                                     {{"instrument", stored->instrument}}),
                      "Idempotency-Key");
  }
  result.id = stored->id;
  return result;
}

Result<std::optional<core::Dose>> last_dose_by_now(Context& context) {
  // A dose stored a little ahead of now (a phone's clock running fast, core::kClockSkew)
  // counts as taken now; anything later is not yet taken as of `now` (e.g. --now earlier).
  store::TimeRange range;
  range.to = context.now + core::kClockSkew + std::chrono::seconds{1};
  auto newest = context.store.list_doses_brief(range, store::Records::Order::newest_first, 1);
  if (!newest) return tl::unexpected(newest.error());
  if (newest->empty()) return std::optional<core::Dose>{};
  return std::optional<core::Dose>{newest->front()};
}

Result<double> doses_per_day_before(Context& context, const core::Dose& last) {
  // The 7 journal days that end with the last dose's day, as of the last dose: the pattern
  // that predicts withdrawal (S4, S12), which the calendar week after it no longer shows.
  store::TimeRange range;
  range.from = last.taken_at - std::chrono::days{kWithdrawalPatternDays + 1};
  range.to = last.taken_at + std::chrono::seconds{1};
  auto doses = context.store.list_doses_brief(range, store::Records::Order::oldest_first, -1);
  if (!doses) return tl::unexpected(doses.error());
  auto options = pattern_options(context, kWithdrawalPatternDays);
  if (!options) return tl::unexpected(options.error());
  const auto before = core::analyse_pattern(*doses, {}, last.taken_at, *options);
  // A journal begun within those days: the days it covers, not days it knows nothing of.
  const int days =
      before.tracked_days > 0 ? std::min(before.tracked_days, before.days) : before.days;
  return static_cast<double>(before.dose_count) / days;
}

Result<std::optional<core::WithdrawalStatus>> withdrawal(Context& context) {
  auto last = last_dose_by_now(context);
  if (!last) return tl::unexpected(last.error());
  return withdrawal(context, *last);
}

Result<std::optional<core::WithdrawalStatus>> withdrawal(Context& context,
                                                         const std::optional<core::Dose>& last) {
  if (!last) return std::optional<core::WithdrawalStatus>{};
  auto profile = load_profile(context);
  if (!profile) return tl::unexpected(profile.error());
  auto per_day = doses_per_day_before(context, *last);
  if (!per_day) return tl::unexpected(per_day.error());
  store::TimeRange range;
  range.from = last->taken_at;
  auto checks = context.store.list_assessments("sows", range);
  if (!checks) return tl::unexpected(checks.error());
  core::WithdrawalInput input;
  input.last_dose = last->taken_at;
  input.now = context.now;
  input.doses_per_day = *per_day;
  input.years_of_use = profile->years_of_use;
  for (const auto& a : *checks) input.sows.push_back(core::SowsCheck{a.taken_at, a.total});
  auto status = core::withdrawal_status(input);
  if (!status) return tl::unexpected(status.error());
  return std::optional<core::WithdrawalStatus>{*status};
}

Result<std::vector<core::Advisory>> safety(Context& context) {
  store::TimeRange range;
  range.from = context.now - kSafetyLookback;
  range.to = context.now + core::kClockSkew + std::chrono::seconds{1};
  auto doses = context.store.list_doses(range);
  if (!doses) return tl::unexpected(doses.error());
  auto uses = context.store.list_substance_uses(range);
  if (!uses) return tl::unexpected(uses.error());
  auto profile = load_profile(context);
  if (!profile) return tl::unexpected(profile.error());
  return core::advisories_for(
      core::SafetyInput{*doses, *uses, &*profile, context.now, context.zone, context.language});
}

}  // namespace mitra::app
