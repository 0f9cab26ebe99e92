"""The icalendar library's own cost of building N all-day events like poacal's: the
reference that `export ics` is measured against. Prints the calendar to stdout."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event


def main(n: int) -> None:
    cal = Calendar()
    for prop, value in (
        ("prodid", "-//bench//EN"),
        ("version", "2.0"),
        ("method", "PUBLISH"),
        ("name", "Reference"),
        ("x-wr-calname", "Reference"),
    ):
        cal.add(prop, value)
    stamp = datetime(2026, 11, 28, tzinfo=UTC)
    for i in range(n):
        start = date(2000 + i % 30, 1 + i % 12, 1 + i % 20)
        ev = Event()
        ev.add("uid", f"item{i}@bench.invalid")
        ev.add("dtstamp", stamp)
        ev.add("last-modified", stamp)
        ev.add("created", stamp)
        ev.add("sequence", i % 3)
        ev.add("summary", f"M{i}: Synthetic meeting {i}, with a comma; and a semicolon")
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(days=5))
        ev.add("transp", "OPAQUE")
        ev.add("status", "CONFIRMED")
        ev.add(
            "description",
            f"Synthetic meeting {i}\n\nDates: somewhen\nVenue: New York\n"
            "Confidence: confirmed\n\nSources:\n- A/RES/1, para. 7",
        )
        ev.add("location", "New York")
        ev.add("url", "https://undocs.org/A/RES/1")
        ev.add("categories", ["meeting", "biennial-meeting", "2024-2030"])
        cal.add_component(ev)
    sys.stdout.buffer.write(cal.to_ical())


if __name__ == "__main__":
    main(int(sys.argv[1]))
