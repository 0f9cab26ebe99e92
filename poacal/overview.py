"""The summaries over all rows on a date: the dashboard, the agenda of a window, the
counts by kind and standing. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from poacal.history import Change, changes
from poacal.model import (
    Kind,
    Schedule,
)
from poacal.queries import MANDATE_OPEN, STANDING_KEYS, Done, Note, Row, Standing, rows


@dataclass(frozen=True, slots=True, kw_only=True)
class Dashboard:
    as_of: date
    in_session: tuple[Row, ...]
    next_meeting: Row | None
    then: tuple[Row, ...]
    deadlines: tuple[Row, ...]
    overdue: tuple[Row, ...]
    mandates: tuple[Row, ...]
    changes: tuple[Change, ...]


DASHBOARD_DAYS = 90


THEN = 3  # meetings after the next one that the dashboard names


def dashboard(
    schedule: Schedule,
    as_of: date,
    done: Mapping[str, Done] | None = None,
    window_days: int = DASHBOARD_DAYS,
    notes: Mapping[str, Sequence[Note]] | None = None,
) -> Dashboard:
    """What a delegate needs on one screen: now, next, due, overdue, open mandates."""
    all_rows = rows(schedule, as_of, done, notes)
    meetings = [r for r in all_rows if r.item.kind is Kind.MEETING]
    in_session = tuple(r for r in meetings if r.standing is Standing.IN_SESSION)
    ahead = [
        r
        for r in meetings
        if r.standing in (Standing.UPCOMING, Standing.NOT_SET, Standing.POSTPONED)
        and (r.state.when.latest() or date.max) >= as_of
    ]
    # A meeting known only to the month or year could fall as late as the end of it:
    # the next meeting named is one whose dates are known, before "sometime in 2026".
    ahead.sort(key=lambda r: (r.state.when.latest() or date.max, r.item.id))
    due = tuple(
        r
        for r in all_rows
        if r.item.kind is not Kind.MEETING
        and r.standing in (Standing.UPCOMING, Standing.DUE_SOON, Standing.DUE_TODAY)
        and r.days is not None
        and r.days <= window_days
    )
    overdue = tuple(r for r in all_rows if r.standing is Standing.OVERDUE)
    mandates = tuple(
        r for r in all_rows if r.item.kind is Kind.MANDATE and r.standing in MANDATE_OPEN
    )
    recent = changes(schedule, date.fromordinal(as_of.toordinal() - window_days), as_of)
    return Dashboard(
        as_of=as_of,
        in_session=in_session,
        next_meeting=ahead[0] if ahead else None,
        then=tuple(ahead[1 : 1 + THEN]),
        deadlines=due,
        overdue=overdue,
        mandates=mandates,
        changes=tuple(recent),
    )


def counts(all_rows: Iterable[Row]) -> dict[str, dict[str, int]]:
    """How many items of each kind stand where, for `status`."""
    from collections import Counter

    tally = Counter((r.state.item.kind, r.standing) for r in all_rows)
    out: dict[str, dict[str, int]] = {}
    for (kind, where), n in tally.items():
        out.setdefault(str(kind), {})[STANDING_KEYS[where]] = n
    return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


@dataclass(frozen=True, slots=True)
class Agenda:
    """What falls in a window, in date order: `dated` has each event whose days are
    known (a session as one event); `not_set` the items known only to the month or year
    whose span touches the window ("date not set; may fall in this window")."""

    start: date
    end: date
    dated: tuple[Row, ...]
    not_set: tuple[Row, ...]


def agenda(all_rows: Iterable[Row], start: date, end: date) -> Agenda:
    """Every meeting, deadline, mandate and own item that falls between `start` and
    `end` (both days included); a session counts if any of its days does."""
    dated: list[Row] = []
    not_set: list[Row] = []
    for r in all_rows:
        w = r.state.when
        first, last = w.earliest(), w.latest()
        if first is None or last is None or first > end or last < start:
            continue
        (dated if w.firm else not_set).append(r)
    by_day = lambda r: (r.state.when.earliest() or date.max, r.item.id)  # noqa: E731
    return Agenda(start, end, tuple(sorted(dated, key=by_day)), tuple(sorted(not_set, key=by_day)))
