"""Reminders: what is overdue, due today, in session or within a horizon, on a date.

Pure: rows and the state in, reminders and the updated state out.

Without `once`, every item inside the largest horizon is reported on every run, with
how far away it is and the horizon it is within (like `khal list today 7d`), so a
person checking by hand, or a job that runs on weekdays only, never hears "nothing"
while a deadline is days away.

With `once` (cron), the horizons cut the time before a date into bands; for 30d,7d,1d:
30 to 8 days, 7 to 2 days, 1 day, the day itself ("0d"), the session ("session", for a
meeting that has opened) and "overdue". Each (item, date, band) is reported once; a run
after a gap reports the band the item is in now, not every band it skipped.

An overdue item is reminded of daily for its first week overdue, then weekly (`Backoff`),
each line saying when the next will come, until it is marked done or closed (the meeting
it serves is over).

Moves: every item within the notice window (90 days, or the largest horizon if that is
longer) or already reminded of is remembered with its dates and status; when these
differ on a later run, one "moved" line names the decision, and the bands start again for
the new date (they are keyed by the date). So a postponement a month before a meeting is
announced though no band was reached yet, while a move years ahead stays quiet. An item
is forgotten once it leaves the window with a date (after its move there is announced):
a postponed item, with no date yet, is remembered until its new dates are set.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from poacal.history import source_ref
from poacal.languages import link
from poacal.model import Kind, Schedule
from poacal.processes import code as shown_code
from poacal.queries import Row, Standing, relative
from poacal.text import terminal
from poacal.windows import lead_days

if TYPE_CHECKING:
    from poacal.state import State

# Where an item with no date yet can stand: remembered until its dates are set.
UNDATED = frozenset({Standing.POSTPONED, Standing.NOT_SET, Standing.UNKNOWN})

ACTIVE = frozenset(
    {
        Standing.UPCOMING,
        Standing.DUE_SOON,
        Standing.DUE_TODAY,
        Standing.OVERDUE,
        Standing.IN_SESSION,
    }
)


class Reason(enum.StrEnum):
    """Why an item is reminded of today."""

    HORIZON = "horizon"  # its date is within a horizon
    DUE_TODAY = "due-today"
    OPENS_TODAY = "opens-today"
    IN_SESSION = "in-session"
    OVERDUE = "overdue"
    MOVED = "moved"  # its dates or status changed since it was last reminded


NOTICE_DAYS = 90


class Backoff(NamedTuple):
    """How often an overdue item is reminded of: every day for its first `daily` days
    overdue, then every `every` days."""

    daily: int = 7
    every: int = 7

    def next_after(self, sent: date, due: date) -> date:
        """The day after `sent` when the next overdue reminder goes out."""
        return sent + timedelta(days=1 if (sent - due).days < self.daily else self.every)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Reminder(NamedTuple):
    row: Row
    due: date
    days: int
    reason: Reason
    horizon: int | None = None
    moved_from: str | None = None
    next: date | None = None  # when an overdue item is reminded of again (--once)

    @property
    def key(self) -> str:
        return f"{self.row.item.id}@{self.due.isoformat()}"

    @property
    def band(self) -> str:
        """The band this reminder stands for, as the state file records it."""
        if self.reason is Reason.OVERDUE:
            return "overdue"
        if self.reason is Reason.IN_SESSION:
            return "session"
        if self.reason in (Reason.DUE_TODAY, Reason.OPENS_TODAY):
            return "0d"
        return f"{self.horizon}d"


def parse_horizons(text: str) -> tuple[int, ...] | None:
    """'30d,7d,1d' or '2w,3d' -> days, largest first; None if unreadable."""
    days = [lead_days(part) for part in text.split(",")]
    if not days or None in days:
        return None
    return tuple(sorted({d for d in days if d is not None}, reverse=True))


def candidate(row: Row, as_of: date, horizons: Sequence[int]) -> Reminder | None:
    """What there is to say about `row` on `as_of`, if anything."""
    if row.standing not in ACTIVE or row.days is None or row.state.when.start is None:
        return None
    due, left = row.state.when.start, row.days
    meeting = row.item.kind is Kind.MEETING
    if row.standing is Standing.IN_SESSION and left < 0:
        return Reminder(row=row, due=due, days=left, reason=Reason.IN_SESSION)
    if left < 0:
        return None if meeting else Reminder(row=row, due=due, days=left, reason=Reason.OVERDUE)
    if left == 0:
        return Reminder(
            row=row, due=due, days=0, reason=Reason.OPENS_TODAY if meeting else Reason.DUE_TODAY
        )
    inside = [h for h in (row.item.remind or horizons) if left <= h]
    if not inside:
        return None
    return Reminder(row=row, due=due, days=left, reason=Reason.HORIZON, horizon=min(inside))


def _dates(row: Row) -> str:
    """An item's dates and status in words, as the state file remembers them."""
    status = row.state.status.value
    label = row.label()
    return label if status in ("scheduled", "open", "held") else f"{label} ({status})"


def noticed(row: Row, notice: int) -> bool:
    """Whether a change of `row` is worth a line: it is active and at most `notice` days
    away (or overdue, or in session)."""
    return row.standing in ACTIVE and row.days is not None and row.days <= notice


def due_reminders(
    rows: Iterable[Row],
    as_of: date,
    horizons: Sequence[int],
    state: State | None = None,
    *,
    notice: int = NOTICE_DAYS,
    backoff: Backoff = Backoff(),
) -> tuple[list[Reminder], State | None]:
    """The reminders for `as_of`. With a `state` (the --once mode), skip what was already
    reported, announce moved dates, and return a new state with this run recorded;
    without, return None."""
    new = state.copy() if state is not None else None
    found: list[Reminder] = []
    for row in rows:
        r = candidate(row, as_of, horizons)
        if new is not None:
            item_id = row.item.id
            now = _dates(row)
            before = new.seen.get(item_id)
            if before is not None and before != now:
                found.append(
                    Reminder(
                        row=row,
                        due=row.state.when.start or as_of,
                        days=row.days or 0,
                        reason=Reason.MOVED,
                        moved_from=before,
                    )
                )
            undated = row.state.when.start is None and row.standing in UNDATED
            if r is not None or noticed(row, notice) or (before is not None and undated):
                new.seen[item_id] = now
            else:
                new.seen.pop(item_id, None)
        if r is None:
            continue
        if new is not None:
            if r.reason is Reason.OVERDUE:
                last = new.overdue.get(r.key)
                if last is not None and as_of < backoff.next_after(date.fromisoformat(last), r.due):
                    continue
                new.overdue[r.key] = as_of.isoformat()
                r = r._replace(next=backoff.next_after(as_of, r.due))
            else:
                sent = new.reported.setdefault(r.key, [])
                # a session is announced on its opening day, or once later if no run
                # fell on that day
                if r.band in sent or (r.band == "session" and "0d" in sent):
                    continue
                sent.append(r.band)
        found.append(r)
    found.sort(key=lambda r: (r.reason is not Reason.MOVED, r.due, r.row.item.id))
    return found, new


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _when(r: Reminder) -> str:
    meeting = r.row.item.kind is Kind.MEETING
    if r.reason is Reason.OVERDUE:
        again = f" (next reminder {r.next.isoformat()})" if r.next is not None else ""
        return f"overdue by {_plural(-r.days, 'day')}{again}"
    if r.reason is Reason.DUE_TODAY:
        return "due today"
    if r.reason is Reason.OPENS_TODAY:
        return "opens today"
    if r.reason is Reason.IN_SESSION:
        end = r.row.state.when.end or r.due
        length = (end - r.due).days + 1
        return f"in session, day {-r.days + 1} of {length}"
    verb = "opens in" if meeting else "due in"
    return f"{verb} {_plural(r.days, 'day')} (within {r.horizon}d)"


def _day(d: date) -> str:
    weekend = d.weekday() >= 5
    return f"{d.isoformat()} ({WEEKDAYS[d.weekday()]})" if weekend else d.isoformat()


def line(r: Reminder, schedule: Schedule) -> str:
    """One line, ready for mail or chat; text from the data is escaped."""
    it = r.row.item
    code = shown_code(it)
    st = r.row.state
    d = st.dates_from
    ref = source_ref(d, schedule) if d is not None else ""
    if r.reason is Reason.MOVED:
        by = st.decisions[-1] if st.decisions else None
        cause = source_ref(by, schedule) if by is not None else ref
        return terminal(f"moved: {code} {r.moved_from} → {_dates(r.row)} ({cause}): {it.name}")
    src = ""
    if d is not None:
        doc = schedule.documents.get(d.source)
        src = f" (source: {ref}" + (f", {link(doc)})" if doc else ")")
    conf = st.confidence.value
    sure = "" if conf == "confirmed" else f" [{conf}]"
    return terminal(f"{_day(r.due)}  {_when(r)}: {code}: {it.name}{sure}{src}")


def to_json(
    found: Sequence[Reminder], schedule: Schedule, as_of: date, horizons: Sequence[int], once: bool
) -> dict[str, object]:
    from poacal.jsonout import envelope, source
    from poacal.processes import several

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
                "weekday": WEEKDAYS[r.due.weekday()],
                "days": r.days,
                "reason": r.reason,
                "band": r.band if r.reason is not Reason.MOVED else None,
                "horizon": f"{r.horizon}d" if r.horizon is not None else None,
                "relative": relative(r.days),
                "text": _when(r) if r.reason is not Reason.MOVED else f"moved from {r.moved_from}",
                "moved_from": r.moved_from,
                "next_reminder": r.next.isoformat() if r.next is not None else None,
                "dates": _dates(r.row),
                "confidence": r.row.state.confidence.value,
                "sources": source(r.row.state.dates_from, schedule)
                if r.row.state.dates_from
                else [],
                **({"process": r.row.item.process.value} if several() else {}),
            }
            for r in found
        ],
    )


def exit_code(found: Sequence[Reminder]) -> int:
    from poacal.errors import EXIT_DUE, EXIT_OK, EXIT_OVERDUE

    if any(r.reason is Reason.OVERDUE for r in found):
        return EXIT_OVERDUE
    return EXIT_DUE if found else EXIT_OK
