"""A VTIMEZONE in the RRULE form (RFC 5545 3.6.5): one STANDARD and one DAYLIGHT
sub-component, each with a yearly rule such as "second Sunday of March at 02:00".

icalendar writes the transitions of a zone as lists of RDATEs, which desktop Outlook is
reported to misread by an hour, and Thunderbird's ical.js reads wrongly for Cairo 2023.
Where the zone's transitions in the years a feed covers follow one rule each, this writes
the two rules, open-ended. Where they do not (a zone that dropped, added or moved its
daylight saving time in those years: Mexico City and Tehran in 2022, Cairo in 2023), it
writes one observance per period: the offset in force when the years begin, then each run
of transitions that follows one rule as a rule ending (UNTIL) at its last transition, and
a lone transition as one observance. Nothing there repeats beyond where the zone's rules
changed, so no client carries an abandoned rule into later years.
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


def _runs(group: list[Transition]) -> list[list[Transition]]:
    """`group` cut into runs that each follow one yearly rule, in order."""
    runs: list[list[Transition]] = []
    for g in group:
        if runs and _rule([*runs[-1], g]) is not None:
            runs[-1].append(g)
        else:
            runs.append([g])
    return runs


def _in_force(here: datetime, tzid: str, *, since: datetime, dst: bool) -> Transition:
    """The offset in force at `here` (an aware time in the zone) as an observance from
    `since` that changes nothing."""
    offset = here.utcoffset()
    assert offset is not None
    return Transition(local=since, before=offset, after=offset, name=here.tzname() or tzid, dst=dst)


def _observance(
    first: Transition, rule: dict[str, object] | None
) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if first.dst else TimezoneStandard()
    part.add("dtstart", first.local)
    part.add("tzoffsetfrom", first.before)
    part.add("tzoffsetto", first.after)
    part.add("tzname", first.name)
    if rule is not None:
        part.add("rrule", rule)
    return part


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The zone `tzid` for `first` to `last`: two open-ended yearly rules where it follows
    them throughout, else one observance per period (see the module's docstring)."""
    zone = ZoneInfo(tzid)
    found = _transitions(zone, first, last)
    tz = Timezone()
    tz.add("tzid", tzid)
    if not found:  # one offset throughout
        here = datetime(first.year, 1, 1, 12, tzinfo=UTC).astimezone(zone)
        fixed = _in_force(here, tzid, since=datetime(1970, 1, 1), dst=False)
        tz.add_component(_observance(fixed, None))
        return tz
    groups = [[g for g in found if g.dst is dst] for dst in (False, True)]
    runs = [_runs(group) for group in groups]
    regular = all(
        len(r) == 1 and r[0][0].local.year == first.year and r[0][-1].local.year == last.year
        for r in runs
    )
    if regular:
        for (run,) in runs:
            tz.add_component(_observance(run[0], _rule(run)))
        return tz
    # The offset in force when the years begin, then each period.
    begin = datetime(first.year, first.month, first.day, tzinfo=UTC).astimezone(zone)
    start = _in_force(begin, tzid, since=begin.replace(tzinfo=None), dst=bool(begin.dst()))
    tz.add_component(_observance(start, None))
    periods = sorted((run for r in runs for run in r), key=lambda run: run[0].local)
    for run in periods:
        rule = None
        if len(run) > 1:
            rule = _rule(run)
            assert rule is not None
            # A day after the last transition: UNTIL is in UTC, which vobject compares
            # with local wall-clock times; a day's margin (more than any offset) keeps
            # the last one in either way, and the next would come a year later.
            rule["UNTIL"] = (run[-1].local + timedelta(days=1)).replace(tzinfo=UTC)
        tz.add_component(_observance(run[0], rule))
    return tz
