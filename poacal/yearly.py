"""A deadline that recurs every year, written once in the data (`yearly_from`,
`yearly_until`) and expanded into a dated deadline for each year, each carrying the
rule's decisions and sources: the Arms Trade Treaty's annual reports, due by 31 May each
year for the preceding calendar year (Article 13(3))."""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING, Any

from poacal.model import YEARS, Item, Kind, Precision, When

if TYPE_CHECKING:
    from poacal.check import At, Checker

MAX_YEARS = 100


def _moved(when: When | None, year: int) -> When | None:
    if when is None or when.start is None:
        return when
    day = when.start
    # 29 February falls on 28 February in a year that has none
    short = day.month == 2 and day.day == 29 and not calendar.isleap(year)
    moved = date(year, day.month, 28 if short else day.day)
    return When(precision=Precision.DAY, start=moved, end=moved)


def _words(text: str | None, year: int) -> str | None:
    if text is None:
        return None
    return text.replace("{year}", str(year)).replace("{previous}", str(year - 1))


def expand(item: Item, first: Any, last: Any, ch: Checker, at: At) -> list[Item]:
    """One deadline per year from `first` to `last`, or [] with the problem reported."""
    if item.kind is not Kind.DEADLINE:
        ch.add(at, "yearly_from", "yearly_from: only a deadline can recur every year")
        return []
    if type(first) is not int or type(last) is not int:
        # the shape checks have refused a key of another type: one is missing, so the
        # problem is placed at the table's line
        ch.add(
            at,
            None,
            "yearly_from: give both yearly_from and yearly_until, as years",
            "for example yearly_from = 2016 and yearly_until = 2030",
        )
        return []
    if not YEARS[0] <= first <= last <= YEARS[1] or last - first >= MAX_YEARS:
        ch.add(
            at,
            "yearly_until",
            f"yearly_until: {first} to {last} is not a range of years",
            f"give years from {YEARS[0]} to {YEARS[1]}, the first not after the last, "
            f"at most {MAX_YEARS} of them",
        )
        return []
    dated = [d for d in item.decisions if d.when is not None]
    if not dated or any(d.when is None or d.when.precision is not Precision.DAY for d in dated):
        ch.add(
            at,
            "yearly_from",
            "yearly_from: the decisions must give the exact day, due = YYYY-MM-DD",
            "the day and month are kept; the year is each year of the range",
        )
        return []
    return [
        item._replace(
            id=f"{item.id}-{year}",
            code=_words(item.code, year) or item.code,
            name=_words(item.name, year) or item.name,
            description=_words(item.description, year),
            decisions=tuple(d._replace(when=_moved(d.when, year)) for d in item.decisions),
            closed_by=f"{item.id}-{year + 1}" if year < last else None,
        )
        for year in range(first, last + 1)
    ]
