#include "core/words.hpp"

#include <cstdio>

#include "core/amount.hpp"
#include "core/translate.hpp"

namespace mitra::core {

std::string form_words(Form form) {
  switch (form) {
    case Form::leaf_powder:
      return noop_tr("leaf powder");
    case Form::capsules:
      return noop_tr("capsules");
    case Form::extract:
      return noop_tr("extract");
    case Form::seven_oh:
      return noop_tr("7-OH product");
    case Form::liquid_shot:
      return noop_tr("liquid shot");
    case Form::other:
      return noop_tr("other form");
  }
  return noop_tr("other form");
}

std::string form_words(Form form, Language language) {
  return std::string(tr(language, form_words(form)));
}

std::string strength_group_words(StrengthGroup group, Language language) {
  if (group == StrengthGroup::seven_oh) return "7-OH";
  if (group == StrengthGroup::liquid_shot) return std::string(tr(language, "liquid shots"));
  if (group == StrengthGroup::other) return std::string(tr(language, "other products"));
  if (group == StrengthGroup::leaf) return std::string(tr(language, "leaf"));
  return std::string(tr(language, "extract"));
}

std::string form_amounts_words(const std::vector<FormAmount>& amounts, bool per_day,
                               Language language) {
  std::string out;
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    const FormAmount& f = amounts[i];
    if (i > 0) out += i + 1 == amounts.size() ? std::string(tr(language, " and ")) : ", ";
    // A total as the journal holds it (0.0004 g, not 0 g); an average to two places.
    std::string number = format_decimal(f.total_micro);
    if (per_day) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(f.per_day_micro) / 1e6);
      number = buffer;
      while (number.back() == '0') number.pop_back();
      if (number.back() == '.') number.pop_back();
    }
    const std::string amount =
        format_number(number, language) + " " + to_string(amount_unit(f.group));
    if (amounts.size() > 1) {
      out += fill(tr(language, "{amount} of {group}"),
                  {{"amount", amount}, {"group", strength_group_words(f.group, language)}});
    } else {
      out += amount;
    }
  }
  return out.empty() ? "0 g" : out;
}

std::string dose_of_form_words(Form form) {
  switch (form) {
    case Form::leaf_powder:
      return noop_tr("a leaf powder dose");
    case Form::capsules:
      return noop_tr("a capsule dose");
    case Form::extract:
      return noop_tr("an extract dose");
    case Form::seven_oh:
      return noop_tr("a 7-OH product dose");
    case Form::liquid_shot:
      return noop_tr("a liquid shot dose");
    case Form::other:
      return noop_tr("a dose of another form");
  }
  return noop_tr("a dose of another form");
}

std::string substance_words(Substance substance) {
  switch (substance) {
    case Substance::alcohol:
      return noop_tr("alcohol");
    case Substance::opioid:
      return noop_tr("an opioid");
    case Substance::benzodiazepine:
      return noop_tr("a benzodiazepine");
    case Substance::stimulant:
      return noop_tr("a stimulant");
    case Substance::gabapentinoid:
      return noop_tr("a gabapentinoid");
    case Substance::other_sedative:
      return noop_tr("another sedative");
    case Substance::buprenorphine:
      return noop_tr("buprenorphine");
    case Substance::methadone:
      return noop_tr("methadone");
    case Substance::cannabis:
      return noop_tr("cannabis");
    case Substance::other:
      return noop_tr("another substance");
  }
  return noop_tr("another substance");
}

std::string profile_flag_words(std::string_view flag) {
  if (flag == "prescription_opioid_use") return noop_tr("you have used prescription opioids");
  if (flag == "benzodiazepine_use") return noop_tr("you have used benzodiazepines");
  if (flag == "relapse_after_quitting") {
    return noop_tr("an earlier attempt to quit kratom ended with going back to it");
  }
  if (flag == "pregnant") return noop_tr("you are pregnant");
  if (flag == "on_opioid_treatment")
    return noop_tr("you are on buprenorphine or methadone treatment");
  return std::string(flag);
}

std::string format_moment(Instant t, const TimeZone* zone) {
  if (zone == nullptr) return date::format("%H:%M on %a %Y-%m-%d", t);  // UTC.
  return format_clock(t, zone) + " on " + date::format("%a %Y-%m-%d", zone->to_local(t));
}

std::string format_moment(Instant t, const TimeZone* zone, Language language) {
  if (language == Language::en) return format_moment(t, zone);
  const auto wall = zone == nullptr ? date::local_seconds{t.time_since_epoch()} : zone->to_local(t);
  const auto day = date::floor<date::days>(wall);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(wall - day);
  const std::string short_day = format_short_day(Day{day.time_since_epoch()}, language);
  return fill(tr(language, "{time} on {weekday} {date}"),
              {{"time", format_time_of_day(minutes, language)},
               {"weekday", short_day.substr(0, short_day.find(' '))},
               {"date", format_date(Day{day.time_since_epoch()})}});
}

std::string format_amount(const Amount& amount, Language language) {
  std::string text = format_amount(amount);
  const auto space = text.find(' ');
  return format_number(text.substr(0, space), language) +
         (space == std::string::npos ? "" : text.substr(space));
}

std::string format_weekday_time(Instant t, const TimeZone* zone, Language language) {
  // The wall time in `zone`, or UTC when it is null (core opens no zone database).
  const auto wall = zone == nullptr ? date::local_seconds{t.time_since_epoch()} : zone->to_local(t);
  if (language == Language::en) return date::format("%a %H:%M", wall);
  const auto day = date::floor<date::days>(wall);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(wall - day);
  const std::string short_day = format_short_day(Day{day.time_since_epoch()}, language);
  return short_day.substr(0, short_day.find(' ')) + " " + format_time_of_day(minutes, language);
}

std::string format_per_day(double doses_per_day, Language language) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", doses_per_day);
  return format_number(buffer, language);
}

}  // namespace mitra::core
