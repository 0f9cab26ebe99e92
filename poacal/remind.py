"""Reminders: which items reach a horizon, are due today or are overdue, on a date.

Pure: rows and the state in, reminders and the updated state out. With `once`, each
(item, horizon) is reported once: a run that finds several horizons passed since the
last run (the job did not run for a week) reports the item once, at the nearest horizon
it has reached, and records the others as covered. Overdue items are reported on every
run, or with `once` at most once a day, until marked done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from poacal.model import Kind, Schedule
from poacal.queries import Row, Standing, relative, source_ref
from poacal.windows import lead_days

if TYPE_CHECKING:
    from poacal.state import State

ACTIVE = frozenset(
    {
        Standing.UPCOMING,
        Standing.DUE_SOON,
        Standing.DUE_TODAY,
        Standing.OVERDUE,
        Standing.IN_SESSION,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reminder:
    row: Row
    due: date
    days: int
    reason: str  # "horizon", "due-today" or "overdue"
    horizon: int | None = None

    @property
    def key(self) -> str:
        return f"{self.row.item.id}@{self.due.isoformat()}"


def parse_horizons(text: str) -> tuple[int, ...] | None:
    """'30d,7d,1d' or '2w,3d' -> days, largest first; None if unreadable."""
    days = [lead_days(part) for part in text.split(",")]
    if not days or None in days:
        return None
    return tuple(sorted({d for d in days if d is not None}, reverse=True))


def due_reminders(
    rows: Iterable[Row], as_of: date, horizons: Sequence[int], state: State | None = None
) -> tuple[list[Reminder], State | None]:
    """The reminders for `as_of`. With a `state` (the --once mode), skip what was already
    reported and return a new state with this run recorded; without, return None."""
    new = None
    if state is not None:
        from poacal.state import State

        new = State(
            done=dict(state.done),
            reported={k: list(v) for k, v in state.reported.items()},
            overdue=dict(state.overdue),
        )
    found: list[Reminder] = []
    for row in rows:
        if row.standing not in ACTIVE or row.days is None or row.state.when.start is None:
            continue
        due, left = row.state.when.start, row.days
        if left < 0 and row.item.kind is Kind.MEETING:
            continue
        if left < 0:
            r = Reminder(row=row, due=due, days=left, reason="overdue")
            if new is not None:
                if new.overdue.get(r.key) == as_of.isoformat():
                    continue
                new.overdue[r.key] = as_of.isoformat()
            found.append(r)
            continue
        if left == 0:
            r = Reminder(row=row, due=due, days=0, reason="due-today")
            if new is not None:
                sent = new.reported.setdefault(r.key, [])
                if "0d" in sent:
                    continue
                _mark(sent, ["0d", *(f"{h}d" for h in horizons)])
            found.append(r)
            continue
        reached = [h for h in horizons if left <= h]
        if not reached:
            continue
        r = Reminder(row=row, due=due, days=left, reason="horizon", horizon=min(reached))
        if new is None:
            if left in horizons:
                found.append(r)
            continue
        sent = new.reported.setdefault(r.key, [])
        if f"{r.horizon}d" in sent:
            continue
        _mark(sent, [f"{h}d" for h in reached])
        found.append(r)
    found.sort(key=lambda r: (r.due, r.row.item.id))
    return found, new


def _mark(sent: list[str], horizons: Iterable[str]) -> None:
    """Record horizons as reported (the state file sorts them when it is written)."""
    sent.extend(h for h in horizons if h not in sent)


def line(r: Reminder, schedule: Schedule) -> str:
    """One line, ready for mail or chat."""
    if r.reason == "overdue":
        when = f"overdue by {-r.days} day{'s' if r.days != -1 else ''}"
    elif r.reason == "due-today":
        when = "due today"
    else:
        when = f"in {r.days} day{'s' if r.days != 1 else ''}"
    it = r.row.item
    src = ""
    d = r.row.state.dates_from
    if d is not None:
        doc = schedule.documents.get(d.source)
        src = f" (source: {source_ref(d, schedule)}" + (f", {doc.url})" if doc else ")")
    return f"{r.due.isoformat()}  {when}: {it.code}: {it.name}{src}"


def to_json(
    found: Sequence[Reminder], schedule: Schedule, as_of: date, horizons: Sequence[int], once: bool
) -> dict[str, object]:
    from poacal.jsonout import envelope, source

    return envelope(
        schedule,
        as_of,
        horizons=[f"{h}d" for h in horizons],
        once=once,
        reminders=[
            {
                "id": r.row.item.id,
                "kind": r.row.item.kind.value,
                "code": r.row.item.code,
                "name": r.row.item.name,
                "due": r.due.isoformat(),
                "days": r.days,
                "reason": r.reason,
                "horizon": f"{r.horizon}d" if r.horizon is not None else None,
                "relative": relative(r.days),
                "confidence": r.row.state.confidence.value,
                "sources": source(r.row.state.dates_from, schedule)
                if r.row.state.dates_from
                else [],
            }
            for r in found
        ],
    )


def exit_code(found: Sequence[Reminder]) -> int:
    from poacal.errors import EXIT_DUE, EXIT_OK, EXIT_OVERDUE

    if any(r.reason == "overdue" for r in found):
        return EXIT_OVERDUE
    return EXIT_DUE if found else EXIT_OK
