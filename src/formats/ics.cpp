#include "formats/ics.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "formats/ical_loader.hpp"  // libical, loaded on first use; after every other header.

namespace mitra::formats {

namespace {

using core::invalid;
using core::Result;
using std::chrono::days;
using std::chrono::seconds;

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

icaltimetype wall_time(date::local_seconds local) {
  const auto day = date::floor<days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> clock{local - day};
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.hour = static_cast<int>(clock.hours().count());
  t.minute = static_cast<int>(clock.minutes().count());
  t.second = static_cast<int>(clock.seconds().count());
  t.is_date = 0;
  return t;
}

icaltimetype utc_time(core::Instant t) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0,
                                       icaltimezone_get_utc_timezone());
}

std::string compact_date(core::Day day) {
  const date::year_month_day ymd{day};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

// A VTIMEZONE with one observance per offset in force from `begin` to `end`, from the tz database.
icalcomponent* make_vtimezone(const core::TimeZone* zone, core::Instant begin, core::Instant end) {
  icalcomponent* vtimezone = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
  icalcomponent_add_property(vtimezone, icalproperty_new_tzid(std::string(zone->name()).c_str()));
  const auto epoch = date::sys_days{date::year{1970} / 1 / 1};
  auto t = begin;
  while (true) {
    const auto info = zone->get_info(t);
    const auto offset = static_cast<int>(info.offset.count());
    int offset_from = offset;
    date::local_seconds starts{};
    if (info.begin <= epoch) {
      starts = date::local_seconds{epoch.time_since_epoch()};
    } else {
      offset_from = static_cast<int>(zone->get_info(info.begin - seconds{1}).offset.count());
      starts = date::local_seconds{info.begin.time_since_epoch() + seconds{offset_from}};
    }
    icalcomponent* observance =
        icalcomponent_new(info.dst ? ICAL_XDAYLIGHT_COMPONENT : ICAL_XSTANDARD_COMPONENT);
    icalcomponent_add_property(observance, icalproperty_new_dtstart(wall_time(starts)));
    icalcomponent_add_property(observance, icalproperty_new_tzoffsetfrom(offset_from));
    icalcomponent_add_property(observance, icalproperty_new_tzoffsetto(offset));
    if (!info.abbrev.empty()) {
      icalcomponent_add_property(observance, icalproperty_new_tzname(info.abbrev.c_str()));
    }
    icalcomponent_add_component(vtimezone, observance);
    if (info.end >= end) break;
    t = info.end;
  }
  return vtimezone;
}

std::string text_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

// A plan this one replaced, over its days still to come (see IcsOptions).
struct Replaced {
  const core::Plan* plan;
  const core::TimeZone* zone;
  core::Day first;
  core::Day last;
};

// The zone called `name`, from the database the options carry.
Result<const core::TimeZone*> find_zone(const IcsOptions& options, const std::string& name) {
  if (options.zones == nullptr) {
    return invalid("tz", core::sentence("no time-zone database was given to look up \"{name}\" in",
                                        {{"name", name}}));
  }
  return core::find_zone(*options.zones, name);
}

std::vector<Replaced> replaced_to_cancel(const core::Plan& plan, const IcsOptions& options,
                                         core::Day from) {
  std::vector<Replaced> replaced;
  const core::Day replaced_from = options.replaced_from.value_or(from);
  for (const auto& old : options.replaced_plans) {
    if (old.plan_id == plan.plan_id || old.steps.empty()) continue;
    auto old_zone = find_zone(options, old.inputs.zone);
    if (!old_zone) continue;  // A zone the tz database no longer knows: nothing to place.
    const core::Day first = std::max(replaced_from, old.steps.front().starts_on);
    const core::Day last =
        std::min<core::Day>(old.steps.back().ends_on, first + days{kMaxIcsDays - 1});
    if (last < first) continue;  // Over before the export begins.
    replaced.push_back(Replaced{&old, *old_zone, first, last});
  }
  return replaced;
}

// One VTIMEZONE per zone, covering every day an event of that zone falls on: the plan's zone
// (`zone`, from `from` to `to`) first, then the replaced plans' other zones by name.
void add_vtimezones(icalcomponent* calendar, const core::TimeZone* zone, core::Day from,
                    core::Day to, const std::vector<Replaced>& replaced) {
  struct ZoneRange {
    const core::TimeZone* zone;
    core::Day first;
    core::Day last;
  };
  std::vector<ZoneRange> zones{{zone, from, to}};
  for (const auto& r : replaced) {
    auto known = std::find_if(zones.begin(), zones.end(),
                              [&](const ZoneRange& z) { return z.zone == r.zone; });
    if (known == zones.end()) {
      zones.push_back(ZoneRange{r.zone, r.first, r.last});
    } else {
      known->first = std::min(known->first, r.first);
      known->last = std::max(known->last, r.last);
    }
  }
  std::sort(zones.begin() + 1, zones.end(),
            [](const ZoneRange& a, const ZoneRange& b) { return a.zone->name() < b.zone->name(); });
  for (const auto& z : zones) {
    icalcomponent_add_component(calendar, make_vtimezone(z.zone, core::Instant{z.first - days{366}},
                                                         core::Instant{z.last + days{3}}));
  }
}

// Writes the VEVENTs of a calendar, worded and timed as `options` asks.
class EventWriter {
 public:
  EventWriter(icalcomponent* calendar, const IcsOptions& options)
      : calendar_(calendar), options_(options) {}

  // The k-th dose (from 0) of `day` in `owner` (the exported plan or one it replaced), at
  // `dose`'s wall time in the zone `tzid`; a cancelled one has no alarm.
  void add(const core::Plan& owner, int sequence, const std::string& tzid, core::Day day,
           std::size_t k, const core::ScheduledDose& dose, bool cancelled) const {
    const bool descriptive = options_.wording == Wording::descriptive;
    const std::string amount = core::format_amount(dose.amount);
    const std::string title = descriptive ? "Kratom dose: " + amount : "Reminder";
    const std::string description =
        descriptive ? "Planned kratom dose of " + amount + " (taper plan)." : amount;
    const auto local =
        date::local_seconds{day.time_since_epoch()} + std::chrono::minutes{dose.local_minute};

    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    const std::string uid =
        owner.plan_id + "-" + compact_date(day) + "-" + std::to_string(k + 1) + "@mitra";
    icalcomponent_add_property(event, icalproperty_new_uid(uid.c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(utc_time(options_.stamp)));
    icalproperty* start = icalproperty_new_dtstart(wall_time(local));
    icalproperty_add_parameter(start, icalparameter_new_tzid(tzid.c_str()));
    icalcomponent_add_property(event, start);
    icalcomponent_add_property(
        event, icalproperty_new_duration(icaldurationtype_from_int(
                   static_cast<int>(std::chrono::seconds{options_.duration}.count()))));
    icalcomponent_add_property(event, icalproperty_new_summary(title.c_str()));
    icalcomponent_add_property(event, icalproperty_new_description(description.c_str()));
    icalcomponent_add_property(event, icalproperty_new_sequence(sequence));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_property(event, icalproperty_new_class(ICAL_CLASS_PRIVATE));
    if (cancelled) {
      icalcomponent_add_property(event, icalproperty_new_status(ICAL_STATUS_CANCELLED));
    } else {
      icalcomponent* alarm = icalcomponent_new(ICAL_VALARM_COMPONENT);
      icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
      icaltriggertype trigger = icaltriggertype_from_int(
          -static_cast<int>(std::chrono::seconds{options_.reminder_before}.count()));
      icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
      icalcomponent_add_property(alarm, icalproperty_new_description(title.c_str()));
      icalcomponent_add_component(event, alarm);
    }
    icalcomponent_add_component(calendar_, event);
  }

 private:
  icalcomponent* calendar_;
  const IcsOptions& options_;
};

// The plan's doses from `from` to `to`, and after each day's doses, as cancelled events, the
// ones an earlier version had on that day beyond this version's count.
void add_plan_events(const EventWriter& events, const core::Plan& plan, const IcsOptions& options,
                     const core::TimeZone* zone, core::Day from, core::Day to) {
  const std::string tzid(zone->name());
  const int sequence = plan.version - 1;
  // The newest earlier versions first: a dropped dose is cancelled at the time the calendar
  // last had it.
  std::vector<const core::Plan*> earlier;
  for (const auto& version : options.earlier_versions) {
    if (version.plan_id == plan.plan_id && version.version < plan.version) {
      earlier.push_back(&version);
    }
  }
  std::sort(earlier.begin(), earlier.end(),
            [](const core::Plan* a, const core::Plan* b) { return a->version > b->version; });

  for (core::Day day = from; day <= to; day += days{1}) {
    const auto doses = core::schedule_for(plan, day, zone);
    for (std::size_t k = 0; k < doses.size(); ++k) {
      events.add(plan, sequence, tzid, day, k, doses[k], false);
    }
    std::vector<core::ScheduledDose> dropped;  // Slot doses.size() + i, from the newest version.
    for (const auto* version : earlier) {
      const auto before = core::schedule_for(*version, day, zone);
      for (std::size_t k = doses.size() + dropped.size(); k < before.size(); ++k) {
        dropped.push_back(before[k]);
      }
    }
    for (std::size_t i = 0; i < dropped.size(); ++i) {
      events.add(plan, sequence, tzid, day, doses.size() + i, dropped[i], true);
    }
  }
}

// A replaced plan's doses, cancelled one version above the newest the calendar can have.
void add_replaced_events(const EventWriter& events, const std::vector<Replaced>& replaced) {
  for (const auto& r : replaced) {
    const std::string tzid(r.zone->name());
    for (core::Day day = r.first; day <= r.last; day += days{1}) {
      const auto doses = core::schedule_for(*r.plan, day, r.zone);
      for (std::size_t k = 0; k < doses.size(); ++k) {
        events.add(*r.plan, r.plan->version, tzid, day, k, doses[k], true);
      }
    }
  }
}

}  // namespace

Result<std::string> plan_to_ics(const core::Plan& plan, const IcsOptions& options) {
  // The zone the plan is shown in (issue 14, item 4), else the one it was made in.
  auto zone = options.zone != nullptr ? Result<const core::TimeZone*>{options.zone}
                                      : find_zone(options, plan.inputs.zone);
  if (!zone) return tl::unexpected(zone.error());
  if (plan.steps.empty())
    return invalid("plan", core::sentence("the plan has no steps to put in a calendar"));
  const core::Day from = options.from.value_or(plan.steps.front().starts_on);
  const core::Day to = options.to.value_or(plan.steps.back().ends_on);
  if (to < from) {
    return invalid(
        "to",
        core::sentence(
            "the last day {date} is before the first day {from}; give a range that runs forward",
            {{"date", core::format_date(to)}, {"from", core::format_date(from)}}));
  }
  if ((to - from).count() >= kMaxIcsDays) {
    return invalid("to",
                   core::sentence("a calendar may cover at most {most} days; give a shorter range",
                                  {{"most", std::to_string(kMaxIcsDays)}}));
  }
  const auto replaced = replaced_to_cancel(plan, options, from);
  if (auto library = ical::load_ical(); !library) return tl::unexpected(library.error());

  Component calendar{icalcomponent_new(ICAL_VCALENDAR_COMPONENT)};
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//mitra//taper plan//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_calscale("GREGORIAN"));
  add_vtimezones(calendar.get(), *zone, from, to, replaced);
  const EventWriter events(calendar.get(), options);
  add_plan_events(events, plan, options, *zone, from, to);
  add_replaced_events(events, replaced);

  char* text = icalcomponent_as_ical_string_r(calendar.get());
  if (!text)
    return core::fail(core::ErrorKind::internal,
                      core::sentence("libical could not write the calendar"));
  std::string out(text);
  std::free(text);
  return out;
}

Result<std::vector<IcsEvent>> read_ics_events(const std::string& text) {
  if (auto library = ical::load_ical(); !library) return tl::unexpected(library.error());
  Component calendar{icalparser_parse_string(text.c_str())};
  if (!calendar) return invalid("ics", core::sentence("libical found no calendar in the text"));
  if (icalcomponent_isa(calendar.get()) != ICAL_VCALENDAR_COMPONENT) {
    return invalid("ics", core::sentence("the text is not a VCALENDAR"));
  }
  icalrestriction_check(calendar.get());
  if (const int errors = icalcomponent_count_errors(calendar.get()); errors > 0) {
    return invalid("ics", core::sentence("libical reported {errors} error(s) in the calendar",
                                         {{"errors", std::to_string(errors)}}));
  }
  std::vector<IcsEvent> events;
  for (icalcomponent* event =
           icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT);
       event; event = icalcomponent_get_next_component(calendar.get(), ICAL_VEVENT_COMPONENT)) {
    IcsEvent e;
    e.uid = text_or_empty(icalcomponent_get_uid(event));
    e.summary = text_or_empty(icalcomponent_get_summary(event));
    e.description = text_or_empty(icalcomponent_get_description(event));
    e.sequence = icalcomponent_get_sequence(event);
    e.cancelled = icalcomponent_get_status(event) == ICAL_STATUS_CANCELLED;
    icalproperty* start = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    if (!start) return invalid("ics", core::sentence("an event has no DTSTART"));
    icalparameter* tzid = icalproperty_get_first_parameter(start, ICAL_TZID_PARAMETER);
    icaltimetype when = icalproperty_get_dtstart(start);
    const icaltimezone* zone = nullptr;
    if (tzid) {
      e.tzid = text_or_empty(icalparameter_get_tzid(tzid));
      zone = icalcomponent_get_timezone(calendar.get(), e.tzid.c_str());
      if (!zone)
        return invalid(
            "ics", core::sentence("the calendar has no VTIMEZONE for {tzid}", {{"tzid", e.tzid}}));
    }
    e.starts_at = core::Instant{seconds{icaltime_as_timet_with_zone(when, zone)}};
    for (icalcomponent* a = icalcomponent_get_first_component(event, ICAL_VALARM_COMPONENT); a;
         a = icalcomponent_get_next_component(event, ICAL_VALARM_COMPONENT)) {
      ++e.alarms;
    }
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace mitra::formats
