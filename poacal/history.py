"""What decisions set and changed, in words: how an item's date was arrived at, what
each decision set (`show`), and the changes taken in a window (`changes`). Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

from poacal.fold import ItemState, fold_decisions
from poacal.model import (
    Confidence,
    Decision,
    Item,
    Kind,
    Precision,
    Schedule,
    Status,
    day_label,
)
from poacal.vocabulary import FACTS


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
    if doc is None and d.confidence is Confidence.OWN:
        # the user's own item: its source is their file, whatever its name
        return f"your own schedule file ({d.source})"
    name = (doc.symbol or doc.title) if doc else d.source
    if not d.paragraph:
        return name
    if not d.paragraph[0].isdigit():
        return f"{name}, {d.paragraph}"
    many = any(sep in d.paragraph for sep in ("–", "-", ","))
    return f"{name}, {'paras.' if many else 'para.'} {d.paragraph}"


class Change(NamedTuple):
    """A decision, with the item it changed and what it changed: (field, before, after),
    the values before being None where the item had none yet."""

    item: Item
    decision: Decision
    number: int
    changed: tuple[tuple[str, str | None, str], ...] = ()
    # For a date that follows a meeting (`due_at`): the meeting whose n-th decision moved
    # it; `decision` and `number` are then the meeting's.
    follows: Item | None = None


def short_taken(d: Decision) -> str:
    """When a decision was taken, as a column of changes shows it: the day, "by DAY"
    when only the latest day it can have is known, or nothing."""
    if d.taken is None:
        return ""
    return d.taken.isoformat() if d.taken_exact else f"by {d.taken.isoformat()}"


def change_words(c: Change, code: Callable[[Item], str]) -> list[str]:
    """What a change did, a phrase a field ("dates: A → B"); the decision's note where it
    changed no field; and the meeting a date moved with, named by `code`."""
    what = [
        f"{field}: {after}" if before is None else f"{field}: {before} → {after}"
        for field, before, after in c.changed
    ] or ([c.decision.note] if c.decision.note else ["(no change)"])
    if c.follows is not None:
        what.append(f"with {code(c.follows)}")
    return what


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
    if not undated:
        found += [
            c
            for c in _followed(schedule, since, as_of)
            if (not kinds or c.item.kind in kinds)
            and (not ids or c.item.id in ids)
            and (not cycles or c.item.cycle in cycles)
        ]
    # Newest first; a meeting's change, then the dates that moved with it.
    found.sort(
        key=lambda c: (
            c.decision.taken or date.min,
            (c.follows or c.item).id,
            c.follows is None,
            c.item.id,
            c.number,
        ),
        reverse=True,
    )
    return found


def _followed(schedule: Schedule, since: date, as_of: date) -> Iterable[Change]:
    """The dates that moved with a meeting: for each decision on a meeting taken in the
    window, each item due at that meeting's opening whose date it changed (74/552
    postponed BMS7, and with it the mandates due there)."""
    from poacal.fold import state_of

    tied: dict[str, list[Item]] = {}
    for item in schedule.items:
        for at in sorted({d.due_at for d in item.decisions if d.due_at}):
            tied.setdefault(at, []).append(item)
    for meeting_id, items in tied.items():
        meeting = schedule.get(meeting_id)
        if meeting is None:
            continue
        for n, d in enumerate(meeting.decisions, 1):
            if d.taken is None or not since < d.taken <= as_of:
                continue
            day_before = date.fromordinal(d.taken.toordinal() - 1)
            for item in items:
                then, now = (
                    state_of(schedule, item.id, day_before),
                    state_of(schedule, item.id, d.taken),
                )
                if then is None or now is None:
                    continue
                if then.tied_to != meeting_id or now.tied_to != meeting_id:
                    continue  # not (or no longer) due at that meeting
                if now.status in (Status.FULFILLED, Status.CANCELLED):
                    continue  # done with: its date no longer matters
                before, after = then.when.label(), now.when.label()
                if before != after:
                    was = before if then.when.precision is not Precision.UNSET else None
                    yield Change(
                        item=item,
                        decision=d,
                        number=n,
                        changed=(("dates", was, after),),
                        follows=meeting,
                    )
