"""Schedule -> iCalendar bytes (RFC 5545, with RFC 7986 calendar properties).

Rules from shared/reference/ical-feeds.md: UIDs from item ids; SEQUENCE counts the
decisions that moved an item, so a postponed meeting keeps its UID and moves in
subscribed calendars; DTSTAMP and LAST-MODIFIED come from the data, never the clock, so
the same data gives byte-identical output; meetings and deadlines are all-day events
with an exclusive DTEND; partial dates are left out unless asked for, and then tentative.
Only this module imports icalendar.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from poacal.fold import taken_words
from poacal.history import fact_lines, source_ref
from poacal.languages import link
from poacal.model import PROCESS_NAMES, Kind, Schedule, Status
from poacal.processes import several
from poacal.queries import Row
from poacal.text import ical as ical_text

PRODID = "-//poacal//UN Programme of Action schedule//EN"
DEFAULT_UID_DOMAIN = "poacal.invalid"


class CancelledMode(enum.Enum):
    STRICT = "strict"
    VISIBLE = "visible"


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedOptions:
    """How a feed is built; the CLI fills it from its options."""

    name: str = ""
    uid_domain: str = DEFAULT_UID_DOMAIN
    tentative: bool = False
    cancelled: CancelledMode = CancelledMode.STRICT
    alarms: tuple[timedelta, ...] = ()
    alarm_meetings: bool = False


def _stamp(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=UTC)


def uid(item_id: str, domain: str) -> str:
    return f"{item_id}@{domain}"


def describe(row: Row, schedule: Schedule) -> str:
    """The event's DESCRIPTION: what it is, its state, its sources and confidence."""
    st, it = row.state, row.item
    lines = [it.name, ""]
    if several():
        lines[1:1] = [PROCESS_NAMES[it.process]]
    lines.append(f"Dates: {row.label()}")
    if st.status is not Status.SCHEDULED:
        lines.append(f"Status: {st.status.value}")
    if row.serves:
        served = schedule.get(row.serves)
        lines.append(f"For: {served.name if served else row.serves}")
    if st.tied_to:
        tied = schedule.get(st.tied_to)
        lines.append(f"Due by the opening day of {tied.code if tied else st.tied_to}.")
    if it.addressee:
        lines.append(f"Addressed to: {it.addressee}")
    for label, value in fact_lines(st):
        lines.append(f"{label}: {value}")
    lines.append(f"Confidence: {st.confidence.value}")
    if it.description:
        lines += ["", it.description]
    if row.done:
        lines += ["", f"Done (your mark): {row.done.on.isoformat()}"]
    lines += [f"Note {n.on.isoformat()}: {n.text}" for n in row.notes]
    lines += ["", "Sources:"]
    for d in st.decisions:
        lines.append(f"- {source_ref(d, schedule)} ({taken_words(d)}, {d.confidence.value})")
    return "\n".join(lines)


def _url(row: Row, schedule: Schedule) -> str | None:
    d = row.state.dates_from or (row.state.decisions[0] if row.state.decisions else None)
    doc = schedule.documents.get(d.source) if d else None
    return link(doc) if doc else None


def event(row: Row, schedule: Schedule, opts: FeedOptions) -> Event | None:
    """One all-day VEVENT for an item, or None if it does not belong in the feed."""
    st, it = row.state, row.item
    when = st.when
    status = "CONFIRMED"
    summary = f"{it.code}: {it.name}"
    if st.status in (Status.POSTPONED, Status.CANCELLED):
        when = st.last_firm or when
        if opts.cancelled is CancelledMode.STRICT:
            status = "CANCELLED"
        else:
            summary = f"[{st.status.value.upper()}] {summary}"
    if not when.firm:
        if not opts.tentative:
            return None
        first = when.earliest()
        if first is None:
            return None
        start, end = first, first
        status = "TENTATIVE" if status == "CONFIRMED" else status
        # as every view says it: a past date never recorded is "not recorded", not "not yet set"
        summary = f"{summary} ({row.label()})"
    else:
        assert when.start and when.end
        start, end = when.start, when.end
        if st.confidence.value == "unconfirmed" and status == "CONFIRMED":
            status = "TENTATIVE"
    ev = Event()
    ev.add("uid", uid(it.id, opts.uid_domain))
    # From the item's own data, so that a new revision of the file leaves the events it
    # did not change byte for byte as they were (an item with only undated decisions is
    # stamped with its own first day).
    stamp = _stamp(st.last_decided or st.when.earliest() or schedule.revision)
    ev.add("dtstamp", stamp)
    ev.add("last-modified", stamp)
    first_taken = next((d.taken for d in st.decisions if d.taken), None)
    if first_taken:
        ev.add("created", _stamp(first_taken))
    ev.add("sequence", st.sequence)
    ev.add("summary", ical_text(summary, multiline=False))
    if when.firm and when.opens and when.closes and when.tz:
        # A session with announced hours: zoned times (TZID plus a VTIMEZONE in the
        # calendar), never floating ones, which Google reads as UTC.
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(when.tz)
        # One session a day, from opening to closing time: a daily recurrence, not one
        # event from Friday morning to Tuesday evening with the nights in it.
        ev.add("dtstart", datetime.combine(start, when.opens, tzinfo=zone))
        ev.add("dtend", datetime.combine(start, when.closes, tzinfo=zone))
        days = (end - start).days + 1
        if days > 1:
            ev.add("rrule", {"FREQ": "DAILY", "COUNT": days})
    else:
        ev.add("dtstart", start)
        ev.add("dtend", end + timedelta(days=1))
    tentative = status == "TENTATIVE"
    busy = it.kind is Kind.MEETING and not tentative
    ev.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    ev.add("status", status)
    ev.add("description", ical_text(describe(row, schedule)))
    if venue := st.fact("venue"):
        ev.add("location", ical_text(venue, multiline=False))
    url = _url(row, schedule)
    if url:
        ev.add("url", ical_text(url, multiline=False))
    ev.add("categories", [c for c in (it.kind.value, it.type, it.cycle) if c])
    # A placeholder on the first possible day never rings.
    if opts.alarms and not tentative and (it.kind is not Kind.MEETING or opts.alarm_meetings):
        for before in opts.alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                f"{it.code} {'opens' if it.kind is Kind.MEETING else 'due'} in {before.days} days",
            )
            alarm.add("trigger", -before)
            ev.add_component(alarm)
    return ev


def to_calendar(rows: Iterable[Row], schedule: Schedule, opts: FeedOptions) -> bytes:
    """A whole feed, byte-identical for the same data and options."""
    cal = Calendar()
    name = opts.name or schedule.title
    desc = (
        # No revision date here: clients that split a feed into items (vdirsyncer) copy
        # the calendar's description into each, and every data revision would rewrite them.
        f"{schedule.title}: meetings, national report deadlines and mandates, from "
        "sourced data. Generated by poacal."
    )
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name, desc = ical_text(name, multiline=False), ical_text(desc, multiline=False)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", desc)
    cal.add("x-wr-caldesc", desc)
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    days = []
    for row in rows:
        ev = event(row, schedule, opts)
        if ev is not None:
            cal.add_component(ev)
            if isinstance(ev.decoded("dtstart"), datetime):
                days.append(ev.decoded("dtstart").date())
    if days:
        # Only the transitions around the timed sessions: a small, stable VTIMEZONE,
        # with yearly RRULEs (desktop Outlook is reported to misread RDATE lists by an
        # hour), ending where the zone's rules changed (vtimezone.py).
        first, last = date(min(days).year - 1, 1, 1), date(max(days).year + 1, 12, 31)
        from poacal.vtimezone import vtimezone

        zones = sorted(
            {str(ev["dtstart"].params.get("TZID")) for ev in cal.walk("VEVENT")} - {"None"}
        )
        for tzid in zones:
            cal.add_component(vtimezone(tzid, first, last))
    data: bytes = cal.to_ical()
    return data
