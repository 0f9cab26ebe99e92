"""The dates a decision sets, checked against the precision they imply: exact days, a
month, "early" in a year, a year; a session's hours and time zone; or a tie to a
meeting's opening day (`due_at`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import time
from typing import Any

from poacal.model import YEARS, Kind, Precision, When
from poacal.vocabulary import DATE_KEYS

UN_HEADQUARTERS_TZ = "America/New_York"

# Report(key whose line to point at, or None for the table's, message, hint)
Report = Callable[[str | None, str, str], None]

_TZ_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9][A-Za-z0-9_+\-]*){1,2}|UTC", re.ASCII)
_TZ_NOT_ZONES = ("posix/", "right/", "Etc/Unknown")


def valid_timezone(name: str) -> bool:
    """An IANA zone such as "Europe/Zurich" (or "UTC"): not a folder of the zone
    database, not its "posix/" and "right/" copies, not a file such as "Factory"."""
    import zoneinfo

    if len(name) > 64 or not _TZ_NAME.fullmatch(name) or name.startswith(_TZ_NOT_ZONES):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def hours(
    d: Mapping[str, Any], report: Report
) -> tuple[time | None, time | None, str | None] | None:
    """A meeting's session hours, if given: opens, closes and their time zone."""
    if "opens" not in d and "closes" not in d and "timezone" not in d:
        return None, None, None
    if "opens" not in d or "closes" not in d:
        missing = "closes" if "opens" in d else "opens"
        report(
            "opens" if "opens" in d else "closes",
            f'missing key "{missing}"',
            "session hours need both opens and closes",
        )
        return None
    opens, closes = d["opens"], d["closes"]
    if d["start"] == d["end"] and closes <= opens:
        report("closes", f"closes {closes} is not after opens {opens}", "")
        return None
    tz = d.get("timezone", UN_HEADQUARTERS_TZ)
    if not valid_timezone(tz):
        report(
            "timezone",
            f'timezone: "{tz}" is not a known time zone',
            'use an IANA name such as "America/New_York" or "Europe/Zurich"',
        )
        return None
    return opens, closes, tz


def _tied(kind: Kind, present: list[str], report: Report) -> None:
    if kind is Kind.MEETING:
        report("due_at", "due_at: a meeting cannot be tied to another meeting", "")
    if present:
        report(
            present[0],
            f"{present[0]}: conflicts with due_at",
            "a date tied to a meeting takes its opening day; give one or the other",
        )


def _shape_error(d: Mapping[str, Any], kind: Kind, report: Report) -> bool:
    """Keys that cannot go together, or do not fit the kind of item; reports the first."""
    firm = [k for k in ("start", "end", "due") if k in d]
    vague = [k for k in ("year", "month", "early") if k in d]
    timed = [k for k in ("opens", "closes", "timezone") if k in d]
    meeting = kind is Kind.MEETING
    if timed and not (meeting and "start" in d and "end" in d):
        report(
            timed[0],
            f"{timed[0]}: session hours need a meeting's exact start and end",
            "give start and end dates with opens and closes",
        )
    elif firm and vague:
        report(
            vague[0],
            f"{vague[0]}: conflicts with {firm[0]}",
            "exact dates and a year/month/early are two precisions; keep one",
        )
    elif meeting and "due" in d:
        report("due", "due: meetings have start and end, not due", "")
    elif not meeting and ("start" in d or "end" in d):
        report(firm[0], f"{firm[0]}: a {kind} has one day, due", "write due = YYYY-MM-DD")
    elif meeting and firm and ("start" not in d or "end" not in d):
        report(
            firm[0],
            f'missing key "{"end" if "start" in d else "start"}"',
            "a meeting with exact dates needs both start and end",
        )
    elif meeting and firm and d["end"] < d["start"]:
        report("end", f"end {d['end']} is before start {d['start']}", "")
    else:
        return False
    return True


def _partial(d: Mapping[str, Any], vague: list[str], report: Report) -> When | None:
    """A year, a month of a year, or early in a year."""
    year = d.get("year")
    if year is None:
        report(vague[0], f'{vague[0]}: needs "year"', "for example year = 2028")
        return None
    if not YEARS[0] <= year <= YEARS[1]:
        report("year", f"year: {year} is out of range", f"expected {YEARS[0]} to {YEARS[1]}")
        return None
    if "month" in d and "early" in d:
        report("early", "early: conflicts with month", "give a month or early, not both")
        return None
    if "month" in d:
        if not 1 <= d["month"] <= 12:
            report("month", f"month: {d['month']} is not 1 to 12", "")
            return None
        return When(precision=Precision.MONTH, year=year, month=d["month"], length=d.get("length"))
    if d.get("early") is False:
        report("early", "early: false says nothing", "leave it out instead")
        return None
    precision = Precision.EARLY if d.get("early") else Precision.YEAR
    return When(precision=precision, year=year, length=d.get("length"))


def dates_of(kind: Kind, d: Mapping[str, Any], report: Report) -> When | None:
    """The dates a decision (or an own item's short form) sets, or None: none set, or
    reported as wrong."""
    present = [k for k in DATE_KEYS if k in d]
    if "due_at" in d:
        _tied(kind, present, report)
        return None
    if not present:
        if "length" in d:
            report(
                "length",
                "length: says how long a meeting is, but this decision sets no dates",
                "give it with year, month, early or start and end",
            )
        return None
    if _shape_error(d, kind, report):
        return None
    if kind is Kind.MEETING and "start" in d:
        session = hours(d, report)
        if session is None:
            return None
        opens, closes, tz = session
        return When(
            precision=Precision.DAY,
            start=d["start"],
            end=d["end"],
            length=d.get("length"),
            opens=opens,
            closes=closes,
            tz=tz,
        )
    if "due" in d:
        return When(precision=Precision.DAY, start=d["due"], end=d["due"])
    return _partial(d, [k for k in ("year", "month", "early") if k in d], report)
