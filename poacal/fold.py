"""An item on a date: the fold of the decisions that count by then (from when each
counts, `decision_dates`), with the facts, dates and status they set. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

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
)
from poacal.vocabulary import FACT_KEYS, FACTS


class ItemState(NamedTuple):
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
        st = st._replace(facts=kept)
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
