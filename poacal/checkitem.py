"""Checking the items of a schedule file (meetings, deadlines, mandates) and their
decisions, and building them: the long form (type, code, name, decisions with sources),
a user's own short form (dates on the item), and `extend` (decisions added to an item
of an earlier file)."""

from __future__ import annotations

from typing import Any

from poacal.check import DECISION, ITEM, TYPES, At, Checker, valid, valid_id
from poacal.checkdates import dates_of
from poacal.errors import Problem
from poacal.model import (
    STATUSES,
    Confidence,
    Decision,
    Item,
    Kind,
    Process,
    Status,
    When,
    cycle_years,
)
from poacal.tomlread import Parsed
from poacal.vocabulary import DATE_KEYS, FACT_KEYS, LONG_FORM, SHORT_HOURS, SHORT_KEYS

_SHORT = frozenset(SHORT_KEYS)
_LONG_FORM = frozenset(LONG_FORM)


def check_file(parsed: Parsed, problems: list[Problem], base: bool) -> None:
    """Check one file; what is well-formed is built into `parsed` (documents, items)."""
    ch = Checker(parsed, problems, base)
    ch.run()
    for kind in Kind:
        for i, raw in enumerate(ch.array(parsed.data, kind)):
            item(ch, kind, i, raw)


def item(ch: Checker, kind: Kind, i: int, raw: dict[str, Any]) -> None:
    """Check one item; add it to the file's items if it is well-formed."""
    parsed = ch.parsed
    iid = raw.get("id")
    at = At(parsed, kind, i, f'{kind} "{iid}"' if isinstance(iid, str) else f"{kind} #{i + 1}")
    before = len(ch.problems)
    if isinstance(iid, str):
        if iid in parsed.ids:
            first_kind, first_index = parsed.ids[iid]
            first = parsed.line_of(first_kind, first_index, key="id")
            message = f"duplicate id (first used at line {first})" if first else "duplicate id"
            ch.add(at, "id", message, "each id must be unique")
        else:
            parsed.ids[iid] = (kind, i)
    ch.shape(raw, ITEM, at)
    if isinstance(iid, str) and not valid_id(iid):
        ch.add(
            at,
            "id",
            "id: expected lower-case letters, digits, '-' or '.'",
            'for example "bms7" or "reports-2026"',
        )
    extend = raw.get("extend") is True
    short = [k for k in SHORT_KEYS if k in raw] if _SHORT & raw.keys() else []
    if short or extend or not raw.keys() >= _LONG_FORM:
        _form(ch, kind, raw, at, short, extend)
    hours = [k for k in SHORT_HOURS if k in raw]
    if hours and ("start" not in raw or "end" not in raw):
        ch.add(
            at,
            hours[0],
            f"{hours[0]}: session hours on the item need its start and end on the item too",
            "in a decision, give them with that decision's start and end",
        )
    itype = (
        ch.enum(TYPES[kind], raw["type"], at, "type")
        if "type" in raw
        else TYPES[kind]("internal")
        if (short or extend) and kind is not Kind.MANDATE
        else None
    )
    cycle = raw.get("cycle")
    if isinstance(cycle, str) and cycle_years(cycle) is None:
        ch.add(
            at,
            "cycle",
            f'cycle: expected "YYYY-YYYY", got "{cycle}"',
            'for example cycle = "2024-2030"',
        )
    process = ch.enum(Process, raw["process"], at, "process") if "process" in raw else None
    if "addressee" in raw and kind is not Kind.MANDATE:
        ch.add(at, "addressee", "addressee: only mandates have an addressee")
    remind = _remind(ch, raw.get("remind"), at)
    decisions = _decisions(ch, kind, i, raw.get("decision"), at)
    if short and len(ch.problems) == before:
        ch.in_range(raw, SHORT_KEYS, at)
        given = {k: raw[k] for k in (*short, *SHORT_HOURS) if k in raw}
        when = _dates(ch, kind, given, at)
        if when is not None:
            # The user's own item: its source is the user's file, its confidence "own".
            decisions.append(
                Decision(source=parsed.path.name, confidence=Confidence.OWN, when=when)
            )
    if len(ch.problems) > before or itype is None or not isinstance(iid, str):
        return
    made = Item(
        id=iid,
        kind=kind,
        type=itype.value,
        code=raw.get("code", iid),
        name=raw.get("name", iid),
        cycle=cycle,
        serves=raw.get("serves"),
        closed_by=raw.get("closed_by"),
        addressee=raw.get("addressee"),
        description=raw.get("description"),
        decisions=tuple(d for d in decisions if d),
        origin=parsed.path.name,
        remind=remind,
        process=process or parsed.process,
    )
    how = "override" if raw.get("override") else "extend" if extend else ""
    if "yearly_from" in raw or "yearly_until" in raw:
        from poacal.yearly import expand

        every = expand(made, raw.get("yearly_from"), raw.get("yearly_until"), ch, at)
        parsed.items.extend((one, how, i) for one in every)
        return
    parsed.items.append((made, how, i))


def _remind(ch: Checker, given: Any, at: At) -> tuple[int, ...]:
    """An item's own lead times, in days, largest first."""
    if not isinstance(given, list):
        return ()
    from poacal.windows import lead_days

    leads = [lead_days(t) if isinstance(t, str) else None for t in given]
    bad = [t for t, d in zip(given, leads, strict=True) if d is None]
    if bad or not leads:
        ch.add(
            at,
            "remind",
            f"remind: cannot read {bad[0]!r}" if bad else "remind: the list is empty",
            'give days or weeks before the date, e.g. remind = ["42d", "7d"] or ["6w"]',
        )
        return ()
    return tuple(sorted({d for d in leads if d is not None}, reverse=True))


def _decisions(ch: Checker, kind: Kind, i: int, given: Any, at: At) -> list[Decision | None]:
    if not isinstance(given, list):
        return []
    if not given:
        ch.add(
            at,
            "decision",
            "no decisions",
            "every item needs at least one [[" + kind + ".decision]] with its source",
        )
    out: list[Decision | None] = []
    for j, d in enumerate(given):
        if isinstance(d, dict):
            out.append(
                decision(ch, kind, At(ch.parsed, kind, i, f"{at.where}, decision {j + 1}", j), d)
            )
        else:
            ch.add(at, "decision", "decision: expected a table")
            out.append(None)
    taken = [d.taken for d in out if d and d.taken]
    if taken != sorted(taken):
        ch.add(
            at, "decision", "decisions are not in date order", "list them oldest first, by taken"
        )
    return out


def _form(
    ch: Checker, kind: Kind, raw: dict[str, Any], at: At, short: list[str], extend: bool
) -> None:
    """The long form needs type, code, name and decisions; the short form (a user's
    own item) needs only a name and its dates; `extend` only decisions to add."""
    if short and "decision" in raw:
        ch.add(
            at,
            short[0],
            f"{short[0]}: give the dates on the item or in decisions, not both",
            "the short form (due = ... on the item) is for your own items",
        )
        return
    if short and kind is Kind.MANDATE:
        ch.add(
            at,
            short[0],
            f"{short[0]}: a mandate needs decisions with their sources",
            "the short form is for your own deadlines and meetings",
        )
        return
    if extend and raw.get("override"):
        ch.add(at, "extend", "extend: conflicts with override", "keep one")
    needed = ["decision"] if extend else ["name"] if short else ["type", "code", "name"]
    if not short and not extend:
        needed.append("decision")
    for key in needed:
        if key not in raw:
            hint = f"expected {ITEM.keys[key].toml_type}"
            if key == "decision" and kind is not Kind.MANDATE:
                hint += "; for your own item, give its dates directly: " + (
                    "due = YYYY-MM-DD" if kind is Kind.DEADLINE else "start = ..., end = ..."
                )
            ch.add(at, None, f'missing key "{key}"', hint)


def decision(ch: Checker, kind: Kind, at: At, d: dict[str, Any]) -> Decision | None:
    before = len(ch.problems)
    well_typed = ch.shape(d, DECISION, at)
    ch.in_range(d, ("taken", "start", "end", "due"), at)
    conf = ch.enum(Confidence, d.get("confidence"), at, "confidence")
    status = ch.enum(Status, d.get("status"), at, "status") if "status" in d else None
    if status is not None and status not in STATUSES[kind]:
        allowed = ", ".join(sorted(s.value for s in STATUSES[kind]))
        ch.add(
            at,
            "status",
            f'status: "{status.value}" is not a {kind} status',
            f"use one of: {allowed}",
        )
    dates_typed = well_typed or all(
        valid(d[k], DECISION.keys[k]) for k in (*DATE_KEYS, "due_at") if k in d
    )
    when = _dates(ch, kind, d, at) if dates_typed else None
    if len(ch.problems) > before:
        return None
    return Decision(
        taken=d.get("taken"),
        taken_exact=d.get("taken_exact", True),
        source=d["source"],
        paragraph=d.get("paragraph"),
        also=tuple(d.get("also", ())),
        confidence=conf,
        note=d.get("note"),
        when=when,
        due_at=d.get("due_at"),
        status=status,
        facts=tuple((k, d[k]) for k in FACT_KEYS if k in d),
    )


def _dates(ch: Checker, kind: Kind, d: dict[str, Any], at: At) -> When | None:
    return dates_of(kind, d, lambda key, msg, hint: ch.add(at, key, msg, hint))
