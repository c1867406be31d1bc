#!/usr/bin/python3
"""Independent check of a mitra .ics file with Debian's python3-icalendar (not libical).

Usage: ics_check.py FILE

Prints one line per VEVENT, "UID|SUMMARY|START_UTC|ALARMS", where START_UTC is the event's
start in UTC as ISO 8601. The start is resolved twice, through the file's own VTIMEZONE
(icalendar's Timezone.to_tz) and through the tz database via the TZID (pytz); the script exits
with status 1 if the two disagree, if an event lacks a UID, DTSTART or reminder, or if the file
does not parse.
"""
import datetime
import sys

from icalendar import Calendar


def main(path):
    with open(path, "rb") as f:
        calendar = Calendar.from_ical(f.read())
    own_zones = {str(vtz["TZID"]): vtz.to_tz() for vtz in calendar.walk("VTIMEZONE")}
    utc = datetime.timezone.utc
    failures = 0
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        start = event.decoded("DTSTART")
        tzid = event["DTSTART"].params.get("TZID")
        if not uid or tzid is None or tzid not in own_zones or start.tzinfo is None:
            print("event without UID, TZID or matching VTIMEZONE: %r" % uid, file=sys.stderr)
            failures += 1
            continue
        by_own_rules = own_zones[tzid].localize(start.replace(tzinfo=None))
        if by_own_rules.astimezone(utc) != start.astimezone(utc):
            print("%s: VTIMEZONE gives %s, tz database gives %s"
                  % (uid, by_own_rules.astimezone(utc), start.astimezone(utc)), file=sys.stderr)
            failures += 1
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        if not alarms:
            print("%s: no reminder" % uid, file=sys.stderr)
            failures += 1
        print("%s|%s|%s|%d" % (uid, event.get("SUMMARY", ""),
                               start.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ"), len(alarms)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
