"""The icalendar library's own cost of building the same events as `poacal export ics`:
the reference that the export is measured against.

`bench.py` first writes every event's property values, computed by poacal, to a JSON
file; this script only reads them and builds and serializes the calendar with icalendar,
as poacal does. The difference between the two runs is poacal's own overhead.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        events = json.load(fh)
    cal = Calendar()
    for prop, value in (
        ("prodid", "-//bench//EN"),
        ("version", "2.0"),
        ("method", "PUBLISH"),
        ("name", "Reference"),
        ("x-wr-calname", "Reference"),
    ):
        cal.add(prop, value)
    for e in events:
        ev = Event()
        stamp = datetime.fromisoformat(e["dtstamp"]).replace(tzinfo=UTC)
        ev.add("uid", e["uid"])
        ev.add("dtstamp", stamp)
        ev.add("last-modified", stamp)
        ev.add("created", stamp)
        ev.add("sequence", e["sequence"])
        ev.add("summary", e["summary"])
        ev.add("dtstart", date.fromisoformat(e["dtstart"]))
        ev.add("dtend", date.fromisoformat(e["dtstart"]) + timedelta(days=e["days"]))
        ev.add("transp", e["transp"])
        ev.add("status", e["status"])
        ev.add("description", e["description"])
        if e["location"]:
            ev.add("location", e["location"])
        ev.add("url", e["url"])
        ev.add("categories", e["categories"])
        cal.add_component(ev)
    sys.stdout.buffer.write(cal.to_ical())


if __name__ == "__main__":
    main(sys.argv[1])
