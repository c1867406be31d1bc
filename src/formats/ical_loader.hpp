#pragma once
// libical, loaded when a calendar is first written or read rather than when mitra starts.
//
// libical links ICU; mapping and relocating those libraries cost every `mitra` command several
// milliseconds of start-up although only the calendar export needs them. So mitra is not
// linked against libical: this header gives ics.cpp the same function names, each called
// through a pointer that `load_ical()` fills from libical.so.<major> with dlopen/dlsym on
// first use. The declarations (and so the signatures) come from libical's own header.
// Include it in ics.cpp only, after every other header.

#include <string>

#include <libical/ical.h>

#include "core/error.hpp"

namespace mitra::formats::ical {

// Every libical function ics.cpp calls.
#define MITRA_ICAL_FUNCTIONS(X)        \
  X(icalcomponent_add_component)       \
  X(icalcomponent_add_property)        \
  X(icalcomponent_as_ical_string_r)    \
  X(icalcomponent_count_errors)        \
  X(icalcomponent_free)                \
  X(icalcomponent_get_description)     \
  X(icalcomponent_get_first_component) \
  X(icalcomponent_get_first_property)  \
  X(icalcomponent_get_next_component)  \
  X(icalcomponent_get_sequence)        \
  X(icalcomponent_get_status)          \
  X(icalcomponent_get_summary)         \
  X(icalcomponent_get_timezone)        \
  X(icalcomponent_get_uid)             \
  X(icalcomponent_isa)                 \
  X(icalcomponent_new)                 \
  X(icaldurationtype_from_int)         \
  X(icalparameter_get_tzid)            \
  X(icalparameter_new_tzid)            \
  X(icalparser_parse_string)           \
  X(icalproperty_add_parameter)        \
  X(icalproperty_get_dtstart)          \
  X(icalproperty_get_first_parameter)  \
  X(icalproperty_new_action)           \
  X(icalproperty_new_calscale)         \
  X(icalproperty_new_class)            \
  X(icalproperty_new_description)      \
  X(icalproperty_new_dtstamp)          \
  X(icalproperty_new_dtstart)          \
  X(icalproperty_new_duration)         \
  X(icalproperty_new_prodid)           \
  X(icalproperty_new_sequence)         \
  X(icalproperty_new_status)           \
  X(icalproperty_new_summary)          \
  X(icalproperty_new_transp)           \
  X(icalproperty_new_trigger)          \
  X(icalproperty_new_tzid)             \
  X(icalproperty_new_tzname)           \
  X(icalproperty_new_tzoffsetfrom)     \
  X(icalproperty_new_tzoffsetto)       \
  X(icalproperty_new_uid)              \
  X(icalproperty_new_version)          \
  X(icalrestriction_check)             \
  X(icaltime_as_timet_with_zone)       \
  X(icaltime_from_timet_with_zone)     \
  X(icaltime_null_time)                \
  X(icaltimezone_get_utc_timezone)     \
  X(icaltriggertype_from_int)

struct Api {
#define MITRA_ICAL_POINTER(name) decltype(&::name) name = nullptr;
  MITRA_ICAL_FUNCTIONS(MITRA_ICAL_POINTER)
#undef MITRA_ICAL_POINTER
};

// The loaded library, or an error (field "ics") naming what is missing. Thread-safe; loads once.
core::Result<const Api*> load_ical();

// The loaded functions; only after load_ical() succeeded.
const Api& api();

}  // namespace mitra::formats::ical

// From here on, a call such as icalcomponent_new(…) goes through the loaded pointer.
#ifndef MITRA_ICAL_LOADER_IMPLEMENTATION
#define icalcomponent_add_component (::mitra::formats::ical::api().icalcomponent_add_component)
#define icalcomponent_add_property (::mitra::formats::ical::api().icalcomponent_add_property)
#define icalcomponent_as_ical_string_r \
  (::mitra::formats::ical::api().icalcomponent_as_ical_string_r)
#define icalcomponent_count_errors (::mitra::formats::ical::api().icalcomponent_count_errors)
#define icalcomponent_free (::mitra::formats::ical::api().icalcomponent_free)
#define icalcomponent_get_description (::mitra::formats::ical::api().icalcomponent_get_description)
#define icalcomponent_get_first_component \
  (::mitra::formats::ical::api().icalcomponent_get_first_component)
#define icalcomponent_get_first_property \
  (::mitra::formats::ical::api().icalcomponent_get_first_property)
#define icalcomponent_get_next_component \
  (::mitra::formats::ical::api().icalcomponent_get_next_component)
#define icalcomponent_get_sequence (::mitra::formats::ical::api().icalcomponent_get_sequence)
#define icalcomponent_get_status (::mitra::formats::ical::api().icalcomponent_get_status)
#define icalcomponent_get_summary (::mitra::formats::ical::api().icalcomponent_get_summary)
#define icalcomponent_get_timezone (::mitra::formats::ical::api().icalcomponent_get_timezone)
#define icalcomponent_get_uid (::mitra::formats::ical::api().icalcomponent_get_uid)
#define icalcomponent_isa (::mitra::formats::ical::api().icalcomponent_isa)
#define icalcomponent_new (::mitra::formats::ical::api().icalcomponent_new)
#define icaldurationtype_from_int (::mitra::formats::ical::api().icaldurationtype_from_int)
#define icalparameter_get_tzid (::mitra::formats::ical::api().icalparameter_get_tzid)
#define icalparameter_new_tzid (::mitra::formats::ical::api().icalparameter_new_tzid)
#define icalparser_parse_string (::mitra::formats::ical::api().icalparser_parse_string)
#define icalproperty_add_parameter (::mitra::formats::ical::api().icalproperty_add_parameter)
#define icalproperty_get_dtstart (::mitra::formats::ical::api().icalproperty_get_dtstart)
#define icalproperty_get_first_parameter \
  (::mitra::formats::ical::api().icalproperty_get_first_parameter)
#define icalproperty_new_action (::mitra::formats::ical::api().icalproperty_new_action)
#define icalproperty_new_calscale (::mitra::formats::ical::api().icalproperty_new_calscale)
#define icalproperty_new_class (::mitra::formats::ical::api().icalproperty_new_class)
#define icalproperty_new_description (::mitra::formats::ical::api().icalproperty_new_description)
#define icalproperty_new_dtstamp (::mitra::formats::ical::api().icalproperty_new_dtstamp)
#define icalproperty_new_dtstart (::mitra::formats::ical::api().icalproperty_new_dtstart)
#define icalproperty_new_duration (::mitra::formats::ical::api().icalproperty_new_duration)
#define icalproperty_new_prodid (::mitra::formats::ical::api().icalproperty_new_prodid)
#define icalproperty_new_sequence (::mitra::formats::ical::api().icalproperty_new_sequence)
#define icalproperty_new_status (::mitra::formats::ical::api().icalproperty_new_status)
#define icalproperty_new_summary (::mitra::formats::ical::api().icalproperty_new_summary)
#define icalproperty_new_transp (::mitra::formats::ical::api().icalproperty_new_transp)
#define icalproperty_new_trigger (::mitra::formats::ical::api().icalproperty_new_trigger)
#define icalproperty_new_tzid (::mitra::formats::ical::api().icalproperty_new_tzid)
#define icalproperty_new_tzname (::mitra::formats::ical::api().icalproperty_new_tzname)
#define icalproperty_new_tzoffsetfrom (::mitra::formats::ical::api().icalproperty_new_tzoffsetfrom)
#define icalproperty_new_tzoffsetto (::mitra::formats::ical::api().icalproperty_new_tzoffsetto)
#define icalproperty_new_uid (::mitra::formats::ical::api().icalproperty_new_uid)
#define icalproperty_new_version (::mitra::formats::ical::api().icalproperty_new_version)
#define icalrestriction_check (::mitra::formats::ical::api().icalrestriction_check)
#define icaltime_as_timet_with_zone (::mitra::formats::ical::api().icaltime_as_timet_with_zone)
#define icaltime_from_timet_with_zone (::mitra::formats::ical::api().icaltime_from_timet_with_zone)
#define icaltime_null_time (::mitra::formats::ical::api().icaltime_null_time)
#define icaltimezone_get_utc_timezone (::mitra::formats::ical::api().icaltimezone_get_utc_timezone)
#define icaltriggertype_from_int (::mitra::formats::ical::api().icaltriggertype_from_int)
#endif
