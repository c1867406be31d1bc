#include "app/status.hpp"

#include <algorithm>

#include "app/journal.hpp"
#include "app/pattern.hpp"
#include "app/understanding.hpp"

namespace mitra::app {

namespace {

bool in_list(const std::vector<core::Substance>& list, core::Substance substance) {
  return std::find(list.begin(), list.end(), substance) != list.end();
}

// The urgent advisories (not the ones shown to everyone) that status shows. Same as keeping
// the urgent ones of safety(context), but reading only the doses the urgent rules can look
// at: for "a substance near a dose", the nearest dose before and after each use of a listed
// substance (all the rule reads is the nearest dose's time); for other kinds of condition,
// every dose of the look-back, as safety() reads.
Result<std::vector<core::Advisory>> urgent_advisories(Context& context) {
  using std::chrono::seconds;
  store::TimeRange lookback;
  lookback.from = context.now - kSafetyLookback;
  lookback.to = context.now + core::kClockSkew + seconds{1};
  auto uses = context.store.list_substance_uses(lookback);
  if (!uses) return tl::unexpected(uses.error());

  const auto shown_to_everyone = [](const core::AdvisoryRule& rule) {
    return std::any_of(rule.when.begin(), rule.when.end(),
                       [](const auto& condition) { return condition.kind == "always"; });
  };
  std::vector<core::Dose> doses;
  bool all_doses = false;
  const auto add = [&doses](Result<std::vector<core::Dose>> found) -> Result<void> {
    if (!found) return tl::unexpected(found.error());
    doses.insert(doses.end(), found->begin(), found->end());
    return {};
  };
  // The rules in the language of the answer: their conditions are the same in every language, and
  // so only one file is parsed.
  for (const auto& rule : core::advisory_rules(context.language)) {
    if (rule.level != core::AdvisoryLevel::urgent || shown_to_everyone(rule)) continue;
    for (const auto& condition : rule.when) {
      if (condition.kind == "profile" || condition.kind == "substance_used") continue;
      if (condition.kind != "substance_near_dose") {
        if (!all_doses) {
          all_doses = true;
          auto done = add(
              context.store.list_doses_brief(lookback, store::Records::Order::oldest_first, -1));
          if (!done) return tl::unexpected(done.error());
        }
        continue;
      }
      for (const auto& use : *uses) {
        if (!in_list(condition.substances, use.substance)) continue;
        const core::Instant at = use.taken_at;
        store::TimeRange before;  // [use - window, use], within the look-back.
        before.from = std::max(*lookback.from, at - condition.window);
        before.to = std::min(*lookback.to, at + seconds{1});
        store::TimeRange after;  // (use, use + window], within the look-back.
        after.from = std::max(*lookback.from, at + seconds{1});
        after.to = std::min(*lookback.to, at + condition.window + seconds{1});
        for (const auto& [range, order] : {std::pair{before, store::Records::Order::newest_first},
                                           std::pair{after, store::Records::Order::oldest_first}}) {
          if (*range.from >= *range.to) continue;
          auto done = add(context.store.list_doses_brief(range, order, 1));
          if (!done) return tl::unexpected(done.error());
        }
      }
    }
  }
  // Oldest first, each dose once, as safety() passes them.
  std::sort(doses.begin(), doses.end(), [](const core::Dose& a, const core::Dose& b) {
    return a.taken_at != b.taken_at ? a.taken_at < b.taken_at : a.id < b.id;
  });
  doses.erase(std::unique(doses.begin(), doses.end(),
                          [](const core::Dose& a, const core::Dose& b) { return a.id == b.id; }),
              doses.end());
  auto profile = load_profile(context);
  if (!profile) return tl::unexpected(profile.error());
  auto advisories = core::advisories_for(
      core::SafetyInput{doses, *uses, &*profile, context.now, context.zone, context.language});
  std::vector<core::Advisory> urgent;
  for (auto& advisory : advisories) {
    if (advisory.level != core::AdvisoryLevel::urgent) continue;
    const auto& rules = core::advisory_rules(context.language);
    const auto rule = std::find_if(rules.begin(), rules.end(), [&](const core::AdvisoryRule& r) {
      return r.id == advisory.id;
    });
    if (rule == rules.end() || !shown_to_everyone(*rule)) urgent.push_back(std::move(advisory));
  }
  return urgent;
}

}  // namespace

Result<StatusReport> status(Context& context) {
  StatusReport report;
  auto weights = product_weights(context);
  if (!weights) return tl::unexpected(weights.error());
  auto last = last_dose_by_now(context);
  if (!last) return tl::unexpected(last.error());
  report.last_dose = *last;
  if (report.last_dose) {
    // A dose a little ahead of now (core::kClockSkew) was taken "now": never a negative time.
    report.since_last_dose = std::max(
        std::chrono::seconds{0},
        std::chrono::duration_cast<std::chrono::seconds>(context.now - report.last_dose->taken_at));
  }
  report.today = core::journal_day(context.now, context.zone, context.settings.day_start);
  auto week = pattern(context, 7, *weights);
  if (!week) return tl::unexpected(week.error());
  report.week = std::move(*week);
  // Today's doses up to now, each on its day in its own zone: the same doses the plan's "so
  // far" counts (issue 14, item 11), and the week's last day.
  {
    auto doses = doses_of_day(context, report.today);
    if (!doses) return tl::unexpected(doses.error());
    for (const auto& d : *doses) {
      const auto it = weights->find(d.product);
      const auto mass = core::mass_micrograms(
          d.amount, it != weights->end() ? it->second : core::ProductWeights{});
      ++report.today_dose_count;
      if (mass) {
        report.today_mass_micrograms += *mass;
      } else {
        ++report.today_doses_without_mass;
      }
    }
  }

  auto phase = withdrawal(context, report.last_dose);
  if (!phase) return tl::unexpected(phase.error());
  report.withdrawal = std::move(*phase);
  auto urgent = urgent_advisories(context);
  if (!urgent) return tl::unexpected(urgent.error());
  report.urgent = std::move(*urgent);
  auto plan = plan_status(context);
  if (!plan) return tl::unexpected(plan.error());
  report.plan = std::move(*plan);
  return report;
}

}  // namespace mitra::app
