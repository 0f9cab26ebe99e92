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


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def window_end(text: str, as_of: date) -> date | None:
    """The last day of a window that starts at `as_of`, or an ISO date; None if unreadable."""
    delta = _delta(text)
    if delta is not None:
        end: date = as_of + delta
        return end
    return _iso(text)


def window_start(text: str, as_of: date) -> date | None:
    """The first day of a window that ends at `as_of`, or an ISO date; None if unreadable."""
    delta = _delta(text)
    if delta is not None:
        start: date = as_of - delta
        return start
    return _iso(text)
