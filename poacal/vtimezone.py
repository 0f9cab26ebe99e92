"""A VTIMEZONE in the RRULE form (RFC 5545 3.6.5): one STANDARD and one DAYLIGHT
sub-component, each with a yearly rule such as "second Sunday of March at 02:00".

icalendar writes the transitions of a zone as lists of RDATEs, which desktop Outlook is
reported to misread by an hour. Where the zone's transitions in the years a feed covers
follow one rule each, this writes the rules instead; where they do not (a zone that
changed its rules in those years), it returns None and the caller keeps icalendar's
RDATE form, which is correct everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Transition:
    local: datetime  # the wall-clock time it happens, in the offset before it (naive)
    before: timedelta
    after: timedelta
    name: str
    dst: bool


def _transitions(zone: ZoneInfo, first: date, last: date) -> list[Transition]:
    """Every change of UTC offset between `first` and `last`, found day by day, then
    to the minute by bisection."""
    out = []
    t = datetime(first.year, first.month, first.day, 12, tzinfo=UTC)
    end = datetime(last.year, last.month, last.day, 12, tzinfo=UTC)
    offset = t.astimezone(zone).utcoffset()
    while t < end:
        nxt = t + timedelta(days=1)
        new = nxt.astimezone(zone).utcoffset()
        if new != offset:
            lo, hi = t, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == offset:
                    lo = mid
                else:
                    hi = mid
            at = hi.replace(second=0, microsecond=0)
            assert offset is not None and new is not None
            local = at.astimezone(zone)
            out.append(
                Transition(
                    local=(at + offset).replace(tzinfo=None),
                    before=offset,
                    after=new,
                    name=local.tzname() or "",
                    dst=bool(local.dst()),
                )
            )
            offset = new
        t = nxt
    return out


def _rule(group: list[Transition]) -> dict[str, object] | None:
    """The yearly rule all of `group` follows (nth or last weekday of a month at one
    time of day, once a year, with the same offsets and name), or None."""
    first = group[0]
    years = [g.local.year for g in group]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    month, weekday, clock = first.local.month, first.local.weekday(), first.local.time()
    nths, lasts = set(), set()
    for g in group:
        d = g.local
        if (d.month, d.weekday(), d.time()) != (month, weekday, clock):
            return None
        if (g.before, g.after, g.name, g.dst) != (first.before, first.after, first.name, first.dst):
            return None
        nths.add((d.day - 1) // 7 + 1)
        lasts.add((d + timedelta(days=7)).month != month)
    if len(nths) == 1 and next(iter(nths)) <= 4:
        n = next(iter(nths))
    elif lasts == {True}:
        n = -1
    else:
        return None
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": f"{n}{WEEKDAYS[weekday]}"}


def vtimezone(tzid: str, first: date, last: date) -> Timezone | None:
    """The zone `tzid` for `first` to `last` in the RRULE form, or None if its rules
    changed in those years."""
    zone = ZoneInfo(tzid)
    found = _transitions(zone, first, last)
    tz = Timezone()
    tz.add("tzid", tzid)
    if not found:
        here = datetime(first.year, 1, 1, 12, tzinfo=UTC).astimezone(zone)
        offset = here.utcoffset()
        std = TimezoneStandard()
        std.add("dtstart", datetime(1970, 1, 1))
        std.add("tzoffsetfrom", offset)
        std.add("tzoffsetto", offset)
        std.add("tzname", here.tzname() or tzid)
        tz.add_component(std)
        return tz
    for dst in (False, True):
        group = [g for g in found if g.dst is dst]
        if not group:
            return None
        rule = _rule(group)
        if rule is None:
            return None
        part = TimezoneDaylight() if dst else TimezoneStandard()
        part.add("dtstart", group[0].local)
        part.add("tzoffsetfrom", group[0].before)
        part.add("tzoffsetto", group[0].after)
        part.add("tzname", group[0].name)
        part.add("rrule", rule)
        tz.add_component(part)
    return tz
