"""Questions asked of a schedule on a given date. Pure: (schedule, as_of) in, rows out.

`as_of` plays two parts at once: only decisions taken on or before it count (the
schedule *as known* on that day), and statuses are relative to it (upcoming, overdue)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

from poacal.fold import ItemState, states
from poacal.model import (
    Item,
    Kind,
    Schedule,
    Status,
    cycle_years,
)

DUE_SOON_DAYS = 30


class Standing(enum.Enum):
    """Where an item stands on the as-of date."""

    UNKNOWN = "not yet decided"
    NOT_SET = "dates not yet set"
    UPCOMING = "upcoming"
    IN_SESSION = "in session"
    HELD = "held"
    PAST = "ended (outcome not yet recorded)"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    DUE_SOON = "due soon"
    DUE_TODAY = "due today"
    OVERDUE = "overdue"
    CLOSED = "closed"
    DONE = "done"
    FULFILLED = "fulfilled"
    ONGOING = "ongoing"

    @property
    def key(self) -> str:
        """The JSON name: 'due-soon', 'in-session'."""
        return STANDING_KEYS[self]


STANDING_KEYS = {s: s.name.lower().replace("_", "-") for s in Standing}


class Done(NamedTuple):
    """A personal mark: the user has done this item. `note` is only in state files
    written before notes had their own list."""

    on: date
    note: str | None = None


class Note(NamedTuple):
    """A user's dated note on an item (`poacal note`, `done --note`)."""

    on: date
    text: str


# An empty mapping that cannot be changed: the default of Personal's fields.
_NONE: Mapping[str, Any] = MappingProxyType({})


class Personal(NamedTuple):
    """The user's own marks from the state file, as the views use them."""

    done: Mapping[str, Done] = _NONE
    notes: Mapping[str, Sequence[Note]] = _NONE


def standing(
    st: ItemState,
    as_of: date,
    done: Mapping[str, Done] | None = None,
    meetings: Mapping[str, ItemState] | None = None,
) -> Standing:
    """Where an item stands on `as_of`."""
    if not st.known:
        return Standing.UNKNOWN
    mark = done.get(st.item.id) if done else None
    if mark is not None and mark.on <= as_of:
        return Standing.DONE
    if st.status is Status.CANCELLED:
        return Standing.CANCELLED
    if st.status is Status.POSTPONED:
        return Standing.POSTPONED
    if st.status is Status.FULFILLED:
        return Standing.FULFILLED
    if st.status is Status.ONGOING:
        return Standing.ONGOING
    w = st.when
    if st.item.kind is Kind.MEETING:
        if not w.firm and st.status is Status.HELD:
            return Standing.HELD
        if not w.firm:
            latest = w.latest()
            return Standing.PAST if latest and latest < as_of else Standing.NOT_SET
        assert w.start and w.end
        if as_of < w.start:
            return Standing.UPCOMING
        if as_of <= w.end:
            return Standing.IN_SESSION
        return Standing.HELD if st.status is Status.HELD else Standing.PAST
    if not w.firm or st.due is None:
        latest = w.latest()
        return Standing.CLOSED if latest is not None and latest < as_of else Standing.NOT_SET
    left = (st.due - as_of).days
    if left < 0:
        # closed once the meeting it serves is over, or its next occurrence has fallen due
        for ref in (st.item.serves, st.item.closed_by):
            other = (meetings or {}).get(ref or "")
            ended = other.when.latest() if other else None
            if ended and ended < as_of:
                return Standing.CLOSED
        return Standing.OVERDUE
    if left == 0:
        return Standing.DUE_TODAY
    return Standing.DUE_SOON if left <= DUE_SOON_DAYS else Standing.UPCOMING


def days_until(st: ItemState, as_of: date) -> int | None:
    """Days from `as_of` to the item's (first) day; negative when past, counted from a
    meeting's last day once it is over; None if not firm."""
    if not st.when.firm or st.when.start is None:
        return None
    end = st.when.end or st.when.start
    if st.item.kind is Kind.MEETING and end < as_of:
        return (end - as_of).days
    return (st.when.start - as_of).days


def relative(days: int | None) -> str:
    """'in 12 days', '3 weeks ago', 'today'."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    n = abs(days)
    if n == 1:
        return "tomorrow" if days > 0 else "yesterday"
    if n < 14:
        amount = f"{n} days"
    elif n < 60:
        amount = f"{n // 7} weeks"
    elif n < 730:
        amount = f"{n // 30} months"
    else:
        amount = f"{n // 365} years"
    return f"in {amount}" if days > 0 else f"{amount} ago"


def cycle_of(year: int, cycles: Iterable[str]) -> set[str]:
    """The cycles ('2018-2024') whose span includes `year`."""
    found = set()
    for c in cycles:
        span = cycle_years(c)
        if span and span[0] <= year <= span[1]:
            found.add(c)
    return found


def sort_key(st: ItemState) -> tuple[date, str]:
    return (st.when.earliest() or date.max, st.item.id)


class Row(NamedTuple):
    """One item, ready for a view: its state and where it stands on the as-of date."""

    state: ItemState
    standing: Standing
    days: int | None
    as_of: date
    done: Done | None = None
    notes: tuple[Note, ...] = ()
    serves: str | None = None

    @property
    def item(self) -> Item:
        return self.state.item

    def when_words(self) -> str:
        """How far away it is: 'in 12 days', '3 weeks ago' (a meeting: from its last day),
        'in session, day 3 of 5'."""
        w = self.state.when
        if self.standing is Standing.IN_SESSION and w.start and w.end:
            day = (self.as_of - w.start).days + 1
            return f"in session, day {day} of {(w.end - w.start).days + 1}"
        return relative(self.days)

    @property
    def over(self) -> bool:
        """Held, or its whole period is before the as-of date: a partial date is then
        'not recorded' rather than 'not yet set'."""
        latest = self.state.when.latest()
        return self.state.status is Status.HELD or (latest is not None and latest < self.as_of)

    def label(self) -> str:
        """Its dates in words, as known on the as-of date."""
        text = self.state.when.label(held=self.over)
        if self.item.kind is not Kind.MEETING:
            text = text.replace("(exact dates not recorded)", "(date not recorded)")
        return text


def rows(
    schedule: Schedule,
    as_of: date,
    done: Mapping[str, Done] | None = None,
    notes: Mapping[str, Sequence[Note]] | None = None,
) -> list[Row]:
    """Every item known on `as_of`, with its standing, sorted by date then id; the
    user's done marks and notes as they stood on that day."""
    all_states = states(schedule, as_of)
    meetings = {s.item.id: s for s in all_states if s.item.kind is Kind.MEETING}
    closers = {s.item.closed_by for s in all_states if s.item.closed_by}
    if closers:
        meetings |= {s.item.id: s for s in all_states if s.item.id in closers}
    known = {s.item.id for s in all_states if s.known}
    notes = notes or {}
    out = [
        Row(
            state=s,
            standing=standing(s, as_of, done, meetings),
            days=days_until(s, as_of),
            as_of=as_of,
            done=mark if (mark := (done or {}).get(s.item.id)) and mark.on <= as_of else None,
            notes=tuple(n for n in notes.get(s.item.id, ()) if n.on <= as_of),
            serves=s.item.serves if s.item.serves in known else None,
        )
        for s in all_states
        if s.known
    ]
    out.sort(key=lambda r: sort_key(r.state))
    return out


# A mandate still to be done: the dashboard lists these, and so does `mandates`.
MANDATE_OPEN = frozenset(
    {Standing.UPCOMING, Standing.DUE_SOON, Standing.DUE_TODAY, Standing.ONGOING, Standing.NOT_SET}
)


ATTENTION = frozenset(
    {Standing.IN_SESSION, Standing.DUE_SOON, Standing.DUE_TODAY, Standing.OVERDUE}
)


def select(
    all_rows: Iterable[Row],
    as_of: date,
    *,
    kinds: Iterable[Kind] = (),
    cycles: Iterable[str] = (),
    types: Iterable[str] = (),
    everything: bool = False,
    ids: Iterable[str] = (),
    until: date | None = None,
) -> list[Row]:
    """Filter rows for a listing. `until` keeps what falls between the as-of date and
    that day (a forward window: `--within 14d`).

    By default a listing shows the cycles that include the as-of year, plus anything that
    needs attention now; `everything` shows all history back to 2001.
    """
    kinds, cycles, types, ids = set(kinds), set(cycles), set(types), set(ids)
    current = set()
    if not (everything or cycles):
        current = cycle_of(as_of.year, {r.item.cycle for r in all_rows if r.item.cycle})
    out = []
    for r in all_rows:
        it = r.item
        if (kinds and it.kind not in kinds) or (types and it.type not in types):
            continue
        if ids and it.id not in ids:
            continue
        if cycles and it.cycle not in cycles:
            continue
        if until is not None and not (
            (r.state.when.earliest() or date.max) <= until
            and (r.state.when.latest() or date.min) >= as_of
        ):
            continue
        # an item of no cycle (a user's own) shows while it lies ahead; an open mandate
        # of any cycle shows, as on the dashboard
        ahead = it.cycle is None and (r.state.when.latest() or date.max) >= as_of
        still_open = it.kind is Kind.MANDATE and r.standing in MANDATE_OPEN
        if (
            current
            and it.cycle not in current
            and r.standing not in ATTENTION
            and not ahead
            and not still_open
        ):
            continue
        out.append(r)
    return out
