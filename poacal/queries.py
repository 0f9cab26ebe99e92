"""Questions asked of a schedule on a given date. Pure: (schedule, as_of) in, rows out.

`as_of` plays two parts at once: only decisions taken on or before it count (the
schedule *as known* on that day), and statuses are relative to it (upcoming, overdue).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from poacal.model import (
    INITIAL_STATUS,
    UNSET,
    Confidence,
    Decision,
    Document,
    Item,
    Kind,
    Precision,
    Schedule,
    Status,
    When,
    cycle_years,
    day_label,
)
from poacal.vocabulary import FACT_KEYS, FACTS

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Done:
    """A personal mark: the user has done this item. `note` is only in state files
    written before notes had their own list."""

    on: date
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A user's dated note on an item (`poacal note`, `done --note`)."""

    on: date
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Personal:
    """The user's own marks from the state file, as the views use them."""

    done: Mapping[str, Done] = field(default_factory=dict)
    notes: Mapping[str, Sequence[Note]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemState:
    """An item as known on a date: the fold of its decisions taken on or before it."""

    item: Item
    decisions: tuple[Decision, ...]
    when: When
    status: Status
    # The facts the decisions set (vocabulary.FACTS), latest first wins: (key, value)
    # pairs in the order vocabulary.FACT_KEYS gives.
    facts: tuple[tuple[str, str], ...] = ()
    tied_to: str | None = None
    dates_from: Decision | None = None
    sequence: int = 0
    last_firm: When | None = None

    @property
    def known(self) -> bool:
        return bool(self.decisions)

    def fact(self, key: str) -> str | None:
        return next((v for k, v in self.facts if k == key), None)

    @property
    def confidence(self) -> Confidence:
        """Confidence of the dates: the decision that set them, or the latest one."""
        src = self.dates_from or (self.decisions[-1] if self.decisions else None)
        return src.confidence if src else Confidence.UNCONFIRMED

    @property
    def last_decided(self) -> date | None:
        return max((d.taken for d in self.decisions if d.taken), default=None)

    @property
    def due(self) -> date | None:
        """For deadlines and mandates: the day it is due, if firm."""
        return self.when.start if self.when.firm else None


def taken_words(d: Decision) -> str:
    """When a decision was taken, in the one wording every output uses: the day; "by DAY
    (date unconfirmed)" when only the latest day it can have is known; or "date unknown"."""
    if d.taken is None:
        return "date unknown"
    if d.taken_exact:
        return d.taken.isoformat()
    return f"by {d.taken.isoformat()} (date unconfirmed)"


def decision_dates(
    item: Item, documents: Mapping[str, Document], cycles: Mapping[str, date] | None = None
) -> tuple[date | None, ...]:
    """From when each of the item's decisions counts: when it was taken. An undated one
    counts from the earliest act that can be shown to call for it: the adoption of its
    sources (the first of them that is dated), else the end of the Review Conference
    that opened its cycle (`cycles`), else the item's first dated decision; never from
    an invented date. It never counts before a decision listed before it, and a report
    that a meeting was held (or its outcome) never before the last day the meeting
    could end, as known from those decisions. None: nothing dates it (historical
    context, always)."""
    out: list[date | None] = []
    floor: date | None = None
    first_dated = min((x.taken for x in item.decisions if x.taken), default=None)
    for n, d in enumerate(item.decisions):
        when = d.taken
        if when is None:
            adopted = [
                doc.adopted
                for ref in (d.source, *d.also)
                if (doc := documents.get(ref)) is not None and doc.adopted is not None
            ]
            when = min(adopted) if adopted else (cycles or {}).get(item.cycle or "") or first_dated
            if d.status is Status.HELD or d.fact("outcome"):
                ends = fold_decisions(item, item.decisions[:n]).when.latest()
                if ends is not None and (when is None or when < ends):
                    when = ends
            if floor is not None and (when is None or when < floor):
                when = floor
        out.append(when)
        if when is not None and (floor is None or when > floor):
            floor = when
    return tuple(out)


def cycle_openings(schedule: Schedule) -> dict[str, date]:
    """Each cycle of the schedule ('2018-2024') with the last day of the Review
    Conference held in its first year, whose outcome set the cycle's meetings."""
    cycles = {i.cycle for i in schedule.items if i.cycle}
    out: dict[str, date] = {}
    for item in schedule.items:
        if item.type != "review-conference":
            continue
        st = fold_decisions(item, tuple(d for d in item.decisions if d.taken is not None))
        end = st.when.end if st.when.firm else None
        if st.status is Status.HELD and end is not None:
            for c in cycles:
                if (span := cycle_years(c)) and span[0] == end.year:
                    out[c] = end
    return out


def fold(
    item: Item,
    as_of: date,
    meetings: Mapping[str, ItemState] | None = None,
    documents: Mapping[str, Document] | None = None,
    cycles: Mapping[str, date] | None = None,
) -> ItemState:
    """The state of `item` from its decisions that count on `as_of` (decision_dates).

    A deadline or mandate tied to a meeting (`due_at`) takes that meeting's opening day as
    known on the same date, so it moves when the meeting moves. A Chair-designate is not
    shown once the meeting is over: only a source that says who chaired it is.
    """
    docs = documents or {}
    dated = decision_dates(item, docs, cycles)
    taken = tuple(d for d, f in zip(item.decisions, dated, strict=True) if f is None or f <= as_of)
    st = fold_decisions(item, taken, meetings)
    role = st.fact("chair_role") or ""
    ended = st.when.latest()
    if role.lower().endswith("designate") and ended is not None and ended < as_of:
        kept = tuple(p for p in st.facts if p[0] not in ("chair", "chair_role"))
        st = replace(st, facts=kept)
    return st


def fold_decisions(
    item: Item, taken: tuple[Decision, ...], meetings: Mapping[str, ItemState] | None = None
) -> ItemState:
    """The state that `taken` (a prefix of the item's decisions, in order) sets."""
    when, status = UNSET, INITIAL_STATUS[item.kind]
    tied: str | None = None
    facts: dict[str, str] = {}
    dates_from: Decision | None = None
    sequence = 0
    for i, d in enumerate(taken):
        # What calendars must see as a new version: dates, status, the venue (LOCATION).
        before = (when, tied, status, facts.get("venue"))
        if d.when is not None:
            when, tied, dates_from = d.when, None, d
        if d.due_at is not None:
            tied, dates_from = d.due_at, d
        status = d.status or status
        if d.facts:
            given = dict(d.facts)
            for f in FACTS:
                if value := given.get(f.name):
                    facts[f.name] = value
                    if f.role and (role := given.get(f.role)):
                        facts[f.role] = role
        if i and (when, tied, status, facts.get("venue")) != before:
            sequence += 1
    last_firm = when if when.firm else None
    if last_firm is None:
        last_firm = next((d.when for d in reversed(taken) if d.when and d.when.firm), None)
    if tied is not None:
        meeting = (meetings or {}).get(tied)
        if meeting is not None and not meeting.known:
            meeting = None  # not yet decided on that date: neither its dates nor its name
        start = meeting.when.start if meeting and meeting.when.firm else None
        if start is not None:
            when = When(precision=Precision.DAY, start=start, end=start)
        elif meeting is not None:
            when = meeting.when
        else:
            when = UNSET
        if meeting is not None:
            # A tied date moves when its meeting moves: calendars must see a new version.
            sequence += meeting.sequence
            last_firm = when if when.firm else None
    return ItemState(
        item=item,
        decisions=taken,
        when=when,
        status=status,
        facts=tuple((k, facts[k]) for k in FACT_KEYS if k in facts),
        tied_to=tied,
        dates_from=dates_from,
        sequence=sequence,
        last_firm=last_firm,
    )


def states(schedule: Schedule, as_of: date) -> list[ItemState]:
    """Every item's state on `as_of`, in file order; one pass, meetings first."""
    meetings: dict[str, ItemState] = {}
    docs = schedule.documents
    cycles = cycle_openings(schedule)
    for item in schedule.items:
        if item.kind is Kind.MEETING:
            meetings[item.id] = fold(item, as_of, None, docs, cycles)
    return [
        meetings[i.id] if i.kind is Kind.MEETING else fold(i, as_of, meetings, docs, cycles)
        for i in schedule.items
    ]


def state_of(schedule: Schedule, item_id: str, as_of: date) -> ItemState | None:
    item = schedule.get(item_id)
    if item is None:
        return None
    meetings = {}
    cycles = cycle_openings(schedule)
    for d in item.decisions:
        if d.due_at and (m := schedule.get(d.due_at)):
            meetings[m.id] = fold(m, as_of, None, schedule.documents, cycles)
    return fold(item, as_of, meetings, schedule.documents, cycles)


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
        served = (meetings or {}).get(st.item.serves or "")
        ended = served.when.latest() if served else None
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


def explain_date(st: ItemState, schedule: Schedule) -> str:
    """How the item's date was arrived at, in words, for `show`."""
    d = st.dates_from
    if d is None:
        return "No decision on or before this date sets its dates."
    ref = source_ref(d, schedule)
    if st.tied_to:
        meeting = schedule.get(st.tied_to)
        name = meeting.code if meeting else st.tied_to
        if st.when.firm and st.when.start:
            return (
                f"Due by the opening day of {name}, {day_label(st.when.start)}, as {ref} "
                f"ties it to that meeting; it moves when {name} moves."
            )
        return f"Tied by {ref} to {name}, whose dates are not yet set."
    return f"Set by {ref}."


def what_it_sets(d: Decision, schedule: Schedule) -> list[str]:
    """What a decision set, in words, one fact per string: for `show` and `changes`."""
    sets = []
    if d.when:
        sets.append(f"dates: {d.when.label()}")
    if d.due_at:
        tied = schedule.get(d.due_at)
        sets.append(f"due at the opening of {tied.code if tied else d.due_at}")
    if d.status:
        sets.append(f"status: {d.status.value}")
    for label, value in fact_lines(d, lower=True):
        sets.append(f"{label}: {value}")
    return sets


def fact_lines(has: ItemState | Decision, lower: bool = False) -> list[tuple[str, str]]:
    """The facts `has` gives, each with its label, in declared order: for `show`,
    `changes` and the iCalendar description. A role, when given, labels its fact as
    written ("President: ..."); the declared labels are lower-cased if `lower`."""
    out = []
    for f in FACTS:
        value = has.fact(f.name)
        if value:
            role = f.role and has.fact(f.role)
            out.append((role or (f.label.lower() if lower else f.label), value))
    return out


def source_ref(d: Decision, schedule: Schedule) -> str:
    doc = schedule.documents.get(d.source)
    name = (doc.symbol or doc.title) if doc else d.source
    if not d.paragraph:
        return name
    if not d.paragraph[0].isdigit():
        return f"{name}, {d.paragraph}"
    many = any(sep in d.paragraph for sep in ("–", "-", ","))
    return f"{name}, {'paras.' if many else 'para.'} {d.paragraph}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """A decision, with the item it changed and what it changed: (field, before, after),
    the values before being None where the item had none yet."""

    item: Item
    decision: Decision
    number: int
    changed: tuple[tuple[str, str | None, str], ...] = ()


def _facts(st: ItemState, schedule: Schedule) -> dict[str, str]:
    """What a state says, field by field, in words (for before/after)."""
    out = {}
    if st.tied_to:
        tied = schedule.get(st.tied_to)
        out["dates"] = f"due at the opening of {tied.code if tied else st.tied_to}"
    elif st.when.precision is not Precision.UNSET:
        out["dates"] = st.when.label()
    if st.decisions:
        out["status"] = st.status.value
    for label, value in fact_lines(st):
        out[label.lower()] = value
    return out


def what_changed(item: Item, n: int, schedule: Schedule) -> tuple[tuple[str, str | None, str], ...]:
    """What the n-th decision (1-based) of `item` changed, from the fold before it to the
    fold with it: the history a researcher would otherwise fold by hand."""
    before = _facts(fold_decisions(item, item.decisions[: n - 1]), schedule)
    after = _facts(fold_decisions(item, item.decisions[:n]), schedule)
    return tuple((k, before.get(k), v) for k, v in after.items() if before.get(k) != v)


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


def changes(
    schedule: Schedule,
    since: date,
    as_of: date,
    *,
    kinds: Iterable[Kind] = (),
    ids: Iterable[str] = (),
    cycles: Iterable[str] = (),
    undated: bool = False,
) -> list[Change]:
    """Decisions taken after `since` and on or before `as_of`, newest first, each with
    what it changed. With `undated`, the decisions whose date is unknown instead."""
    kinds, ids, cycles = set(kinds), set(ids), set(cycles)
    found = [
        Change(item=item, decision=d, number=n, changed=what_changed(item, n, schedule))
        for item in schedule.items
        if (not kinds or item.kind in kinds)
        and (not ids or item.id in ids)
        and (not cycles or item.cycle in cycles)
        for n, d in enumerate(item.decisions, 1)
        if (d.taken is None if undated else d.taken is not None and since < d.taken <= as_of)
    ]
    found.sort(key=lambda c: (c.decision.taken or date.min, c.item.id, c.number), reverse=True)
    return found


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
