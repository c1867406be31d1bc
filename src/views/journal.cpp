#include "views/journal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/amount.hpp"
#include "core/json_text.hpp"
#include "core/time.hpp"
#include "formats/journal_json.hpp"

namespace mitra::views {

namespace {

// Rounds to `decimals` places so JSON shows 3.143, not 3.1430000000000002.
double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

nlohmann::json optional_clock(const std::optional<int>& minute) {
  return minute ? nlohmann::json(core::format_time_of_day(std::chrono::minutes{*minute}))
                : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json dose_json(const core::Dose& dose, const core::TimeZone* zone,
                         const core::Zones& zones) {
  auto j = formats::to_json(dose);
  j["taken_at_local"] = core::format_local(dose.taken_at, core::zone_or(zones, dose.zone, zone));
  return j;
}

nlohmann::json use_json(const core::SubstanceUse& use, const core::TimeZone* zone,
                        const core::Zones& zones) {
  auto j = formats::to_json(use);
  j["taken_at_local"] = core::format_local(use.taken_at, core::zone_or(zones, use.zone, zone));
  return j;
}

std::string dose_json_text(const core::Dose& dose, const core::TimeZone* zone,
                           const core::Zones& zones) {
  // The keys of formats::to_json(Dose) and dose_json, sorted.
  core::JsonText j;
  j.key("amount").decimal(dose.amount.micro);
  j.key("amount_micro").integer(dose.amount.micro);
  j.key("form").string(core::to_string(dose.form));
  j.key("id").string(dose.id);
  j.key("note").string(dose.note);
  j.key("product").string(dose.product);
  j.key("taken_at").string(core::format_utc(dose.taken_at));
  j.key("taken_at_local")
      .string(core::format_local(dose.taken_at, core::zone_or(zones, dose.zone, zone)));
  j.key("triggers").strings(dose.triggers);
  j.key("unit").string(core::to_string(dose.amount.unit));
  j.key("zone").string(dose.zone);
  j.end();
  return std::move(j).take();
}

std::string use_json_text(const core::SubstanceUse& use, const core::TimeZone* zone,
                          const core::Zones& zones) {
  // The keys of formats::to_json(SubstanceUse) and use_json, sorted.
  core::JsonText j;
  j.key("id").string(use.id);
  j.key("note").string(use.note);
  j.key("substance").string(core::to_string(use.substance));
  j.key("taken_at").string(core::format_utc(use.taken_at));
  j.key("taken_at_local")
      .string(core::format_local(use.taken_at, core::zone_or(zones, use.zone, zone)));
  j.key("zone").string(use.zone);
  j.end();
  return std::move(j).take();
}

nlohmann::json edited_dose_json(const app::EditedDose& edited, const core::TimeZone* zone,
                                const core::Zones& zones) {
  auto j = dose_json(edited.dose, zone, zones);
  j["changed"] = edited.changed;
  return j;
}

nlohmann::json journal_json(const app::Journal& journal, const core::TimeZone* zone,
                            const core::Zones& zones) {
  nlohmann::json j{{"doses", nlohmann::json::array()}, {"substance_uses", nlohmann::json::array()}};
  for (const auto& d : journal.doses) j["doses"].push_back(dose_json(d, zone, zones));
  for (const auto& u : journal.substance_uses)
    j["substance_uses"].push_back(use_json(u, zone, zones));
  return j;
}

nlohmann::json deleted_json(const std::string& id, const std::string& message) {
  return {{"deleted", id}, {"message", message}};
}

nlohmann::json undone_json(const store::UndoResult& undone) {
  return {{"description", undone.description}, {"record_id", undone.record_id}};
}

nlohmann::json product_json(const core::Product& product) { return formats::to_json(product); }

nlohmann::json products_json(const std::vector<core::Product>& products) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : products) list.push_back(product_json(p));
  return {{"products", list}};
}

std::vector<core::FormAmount> forms_of(const core::DayStats& day) {
  std::vector<core::FormAmount> out;
  for (const auto& f : day.by_form) {
    if (f.doses > 0) out.push_back(f);
  }
  return out;
}

nlohmann::json form_amounts_json(const std::vector<core::FormAmount>& amounts, bool with_per_day) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& f : amounts) {
    const auto value = [](std::int64_t micro) {
      return round_to(static_cast<double>(micro) / 1e6, 3);
    };
    nlohmann::json j{{"form", core::to_string(f.group)},
                     {"unit", core::to_string(core::amount_unit(f.group))},
                     {"doses", f.doses},
                     {"amount", value(f.total_micro)},
                     {"doses_without_known_amount", f.doses_without_known_amount}};
    if (with_per_day) j["amount_per_day"] = value(f.per_day_micro);
    list.push_back(std::move(j));
  }
  return list;
}

nlohmann::json pattern_json(const core::Pattern& p) {
  using nlohmann::json;
  const auto optional = [](const std::optional<double>& v) {
    return v ? json(round_to(*v, 2)) : json(nullptr);
  };
  const auto trend = [](const core::Trend& t) {
    return json{{"per_week", round_to(t.per_week, 2)},
                {"concerning", t.concerning},
                {"enough_data", t.enough_data}};
  };
  // A window that mixes strength groups has no one amount: `amount_per_day`, `unit` and each
  // day's `amount` are null, and `amounts_by_form` (and each day's `amounts_by_form`) tell them
  // apart (issue 13, item 3; docs/cli.md).
  const bool mixed = p.amounts_by_form.size() > 1;
  json per_day = json::array();
  for (const auto& d : p.per_day) {
    json day{{"day", core::format_date(d.day)},
             {"doses", d.doses},
             {"amount", mixed ? json(nullptr)
                              : json(round_to(static_cast<double>(d.mass_micrograms) / 1e6, 3))},
             {"first_dose", optional_clock(d.first_dose_minute)}};
    if (mixed) day["amounts_by_form"] = form_amounts_json(forms_of(d), false);
    per_day.push_back(std::move(day));
  }
  return json{{"days", p.days},
              {"from", core::format_date(p.first_day)},
              {"to", core::format_date(p.last_day)},
              {"dose_count", p.dose_count},
              {"doses_per_day", round_to(p.doses_per_day, 2)},
              {"max_doses_in_a_day", p.max_doses_in_a_day},
              {"days_with_doses", p.days_with_doses},
              {"median_interval_hours", optional(p.median_interval_hours)},
              {"shortest_interval_hours", optional(p.shortest_interval_hours)},
              {"longest_interval_hours", optional(p.longest_interval_hours)},
              {"interval_spread_hours", optional(p.interval_spread_hours)},
              {"night_doses", p.night_doses},
              {"median_first_dose", optional_clock(p.median_first_dose_minute)},
              {"amount_per_day",
               mixed ? json(nullptr)
                     : json(round_to(static_cast<double>(p.amount_per_day_micrograms) / 1e6, 3))},
              {"unit", mixed ? json(nullptr) : json("g")},
              {"amounts_by_form", form_amounts_json(p.amounts_by_form, true)},
              {"doses_without_known_mass", p.doses_without_known_mass},
              {"trends",
               {{"interval", trend(p.interval_trend)},
                {"first_dose", trend(p.first_dose_trend)},
                {"amount", trend(p.amount_trend)},
                {"frequency", trend(p.frequency_trend)}}},
              {"per_day", per_day}};
}

}  // namespace mitra::views
