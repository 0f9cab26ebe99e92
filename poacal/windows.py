"""Windows of time typed by users: '30d', '6w', '3m', '1y' (dateutil's relativedelta)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

WINDOW_RE = re.compile(r"^\s*(\d{1,4})\s*([dwmy])\s*$", re.IGNORECASE)


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
    if len(text) < 2 or not text[:-1].isdigit() or text[-1] not in "dw":
        return None
    days = int(text[:-1]) * (7 if text[-1] == "w" else 1)
    return days if 0 < days <= 3660 else None


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def window_start(text: str, as_of: date) -> date | None:
    """The first day of a window that ends at `as_of`, or an ISO date; None if unreadable."""
    delta = _delta(text)
    if delta is not None:
        start: date = as_of - delta
        return start
    return _iso(text)
