"""Windows of time typed by users: '30d', '6w', '3m', '1y' (dateutil's relativedelta)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

WINDOW_RE = re.compile(r"^\s*([0-9]{1,4})\s*([dwmy])\s*$", re.IGNORECASE | re.ASCII)


def _delta(text: str) -> relativedelta | None:
    m = WINDOW_RE.match(text)
    if not m:
        return None
    from dateutil.relativedelta import relativedelta

    n, unit = int(m.group(1)), m.group(2).lower()
    return {
        "d": relativedelta(days=n),
        "w": relativedelta(weeks=n),
        "m": relativedelta(months=n),
        "y": relativedelta(years=n),
    }[unit]


def lead_days(text: str) -> int | None:
    """A lead time before a date, '30d' or '2w', in days (1 to 3660); None if unreadable.
    For reminder horizons and calendar alarms."""
    text = text.strip().lower()
    n = text[:-1]
    if not 1 <= len(n) <= 5 or not (n.isascii() and n.isdigit()) or text[-1] not in "dw":
        return None
    days = int(n) * (7 if text[-1] == "w" else 1)
    return days if 0 < days <= 3660 else None


def in_range(day: date) -> bool:
    from poacal.model import YEARS

    return YEARS[0] <= day.year <= YEARS[1]


def _shift(day: date, delta: relativedelta, sign: int) -> date | None:
    """`day` moved by `delta`, or None when that leaves the years poacal counts with."""
    try:
        moved: date = day + delta if sign > 0 else day - delta
    except (OverflowError, ValueError):
        return None
    return moved if in_range(moved) else None


_NAMED = {"today": 0, "tomorrow": 1, "yesterday": -1}
_RELATIVE = re.compile(r"^\s*([+-])\s*([0-9]{1,4}\s*[dwmy])\s*$", re.IGNORECASE | re.ASCII)
_ISO = re.compile(r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$", re.ASCII)


class DateError(ValueError):
    """A date a user typed that cannot be read; the text says why, for one line."""


def read_day(text: str, today: date) -> date:
    """A date typed by a user: YYYY-MM-DD, 'today', 'tomorrow', 'yesterday', a relative
    form ('+30d', '-1y', '+2w') or a date with the month in words ('1 June 2021',
    'June 1, 2021'), read by python-dateutil. Raises DateError with the reason."""
    word = text.strip().lower()
    if word in _NAMED:
        day = date.fromordinal(today.toordinal() + _NAMED[word])
    elif m := _RELATIVE.match(text):
        delta = _delta(m.group(2))
        assert delta is not None
        moved = _shift(today, delta, 1 if m.group(1) == "+" else -1)
        if moved is None:
            raise DateError(f"{text!r} is out of range")
        day = moved
    elif _ISO.match(text):
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            raise DateError(f"{text!r} is not a real date") from None
    elif text.isascii() and any(c.isalpha() for c in text) and len(text) <= 40:
        day = _natural(text)
    else:
        raise DateError(
            f"cannot read {text!r} as a date; use YYYY-MM-DD, a month in words "
            "('1 June 2021'), 'today' or a relative date such as +30d or -1y"
        )
    if not in_range(day):
        from poacal.model import YEARS

        raise DateError(f"{text!r} is out of range; poacal counts from {YEARS[0]} to {YEARS[1]}")
    return day


def _natural(text: str) -> date:
    """'1 June 2021' with python-dateutil; every part must be given, and the month in
    words, so '02/03/2021' (2 March or 3 February?) is never guessed."""
    from dateutil import parser

    try:
        a = parser.parse(text, default=datetime(2000, 1, 1))
        b = parser.parse(text, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, parser.ParserError):
        raise DateError(f"cannot read {text!r} as a date; write e.g. 1 June 2021") from None
    if a != b:
        raise DateError(f"{text!r} is not a whole date; give day, month and year")
    if a.time() != datetime.min.time() or a.tzinfo is not None:
        raise DateError(f"{text!r}: give a date without a time of day")
    return a.date()


def window_start(text: str, as_of: date) -> date | None:
    """The first day of a window that ends at `as_of`, or a date; None if unreadable or
    out of range."""
    delta = _delta(text)
    if delta is not None:
        return _shift(as_of, delta, -1)
    try:
        return read_day(text, as_of)
    except DateError:
        return None


def window_end(text: str, as_of: date) -> date | None:
    """The last day of a window that starts at `as_of` ('14d'), or a date; None if
    unreadable or out of range."""
    delta = _delta(text)
    if delta is not None:
        return _shift(as_of, delta, 1)
    try:
        return read_day(text, as_of)
    except DateError:
        return None
