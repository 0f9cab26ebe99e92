"""Rows -> JSON-ready dicts: the documented contract in docs/json.md.

Keys are fixed and in a fixed order; dates are ISO; items are sorted by date then id.
A later version only ever adds keys; a change to an existing key bumps SCHEMA_VERSION.
Imports nothing heavy, so `--json` paths start fast.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from poacal.history import Change, explain_date
from poacal.languages import urls
from poacal.model import Decision, Schedule, When
from poacal.processes import several
from poacal.queries import Row
from poacal.vocabulary import FACT_KEYS

if TYPE_CHECKING:  # the dashboard's and the agenda's own module: not on a listing's path
    from poacal.overview import Agenda, Dashboard

SCHEMA_VERSION = 1


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def dates(w: When, held: bool = False) -> dict[str, Any]:
    return {
        "precision": w.precision,
        "start": _iso(w.start),
        "end": _iso(w.end),
        "year": w.year,
        "month": w.month,
        "length": w.length,
        "opens": w.opens.isoformat("minutes") if w.opens else None,
        "closes": w.closes.isoformat("minutes") if w.closes else None,
        "timezone": w.tz,
        "label": w.label(held),
    }


def source(d: Decision, schedule: Schedule) -> list[dict[str, Any]]:
    out = []
    for n, ref in enumerate((d.source, *d.also)):
        doc = schedule.documents.get(ref)
        out.append(
            {
                "id": ref,
                "symbol": doc.symbol if doc else None,
                "title": doc.title if doc else None,
                "paragraph": d.paragraph if n == 0 else None,
                "url": doc.url if doc else None,
                "urls": urls(doc) if doc else {},
            }
        )
    return out


def decision(d: Decision, schedule: Schedule) -> dict[str, Any]:
    return {
        "taken": _iso(d.taken),
        "taken_exact": d.taken_exact and d.taken is not None,
        "confidence": d.confidence,
        "sources": source(d, schedule),
        "dates": dates(d.when) if d.when else None,
        "due_at": d.due_at,
        "status": d.status,
        **{key: d.fact(key) for key in FACT_KEYS},
        "note": d.note,
    }


def item(row: Row, schedule: Schedule, *, history: bool = False) -> dict[str, Any]:
    st, it = row.state, row.item
    out: dict[str, Any] = {
        "id": it.id,
        "kind": it.kind,
        "type": it.type,
        "code": it.code,
        "name": it.name,
        "cycle": it.cycle,
        "dates": {**dates(st.when, held=row.over), "label": row.label()},
        "status": st.status,
        "standing": row.standing.key,
        "days": row.days,
        **{key: st.fact(key) for key in FACT_KEYS},
        "confidence": st.confidence,
        "tied_to": st.tied_to,
        "serves": row.serves,
        "addressee": it.addressee,
        "sources": source(st.dates_from, schedule) if st.dates_from else [],
        "done": {"on": row.done.on.isoformat(), "note": row.done.note} if row.done else None,
        "notes": [{"on": n.on.isoformat(), "text": n.text} for n in row.notes],
        "origin": it.origin,
    }
    if several():
        out["process"] = it.process
    if history:
        out["description"] = it.description
        out["date_explained"] = explain_date(st, schedule)
        out["decisions"] = [decision(d, schedule) for d in st.decisions]
    return out


def envelope(schedule: Schedule, as_of: date, **body: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "revision": schedule.revision.isoformat(),
        **body,
    }


def listing(
    rows: Iterable[Row],
    schedule: Schedule,
    as_of: date,
    *,
    with_counts: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    rows = list(rows)
    # A generator: `write` turns each item into its line and drops it, so 10,000 items
    # never sit in memory as dicts all at once.
    body: dict[str, Any] = {"items": (item(r, schedule) for r in rows), **extra}
    if with_counts:
        from poacal.overview import counts

        body["counts"] = counts(rows)
    return envelope(schedule, as_of, **body)


def agenda(found: Agenda, schedule: Schedule, as_of: date) -> dict[str, Any]:
    return envelope(
        schedule,
        as_of,
        start=found.start.isoformat(),
        end=found.end.isoformat(),
        items=[item(r, schedule) for r in found.dated],
        date_not_set=[item(r, schedule) for r in found.not_set],
    )


def change(c: Change, schedule: Schedule) -> dict[str, Any]:
    return {
        "id": c.item.id,
        "kind": c.item.kind,
        "code": c.item.code,
        "decision": c.number,
        **decision(c.decision, schedule),
        "changed": [{"field": f, "before": b, "after": a} for f, b, a in c.changed],
        "follows": c.follows.id if c.follows is not None else None,
    }


def changes(
    found: Iterable[Change],
    schedule: Schedule,
    as_of: date,
    since: date,
    undated: Iterable[Change] = (),
) -> dict[str, Any]:
    return envelope(
        schedule,
        as_of,
        since=since.isoformat(),
        changes=[change(c, schedule) for c in found],
        undated=[change(c, schedule) for c in undated],
    )


def dashboard(d: Dashboard, schedule: Schedule) -> dict[str, Any]:
    return envelope(
        schedule,
        d.as_of,
        in_session=[item(r, schedule) for r in d.in_session],
        next_meeting=item(d.next_meeting, schedule) if d.next_meeting else None,
        then=[item(r, schedule) for r in d.then],
        deadlines=[item(r, schedule) for r in d.deadlines],
        overdue=[item(r, schedule) for r in d.overdue],
        mandates=[item(r, schedule) for r in d.mandates],
        changes=[change(c, schedule) for c in d.changes],
    )


def write(data: Any, out: IO[str]) -> None:
    """The one way poacal writes JSON: stable, UTF-8 text, newline at the end.

    The envelope's keys go one per line and each element of a top-level array (an item,
    a change, a reminder) on a line of its own: readable, diff- and grep-friendly, and
    fast, because every line is written by the C encoder (an `indent` would force
    Python's pure-Python one, ten times slower on 10,000 items). Arrays may be given as
    iterators, and are written as they are produced.
    """
    one = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    if not isinstance(data, dict):
        out.write(one(data) + "\n")
        return
    out.write("{")
    for n, (key, value) in enumerate(data.items()):
        out.write(",\n  " if n else "\n  ")
        out.write(one(key) + ": ")
        if isinstance(value, list | Iterator):
            first = True
            for element in value:
                out.write(("[\n    " if first else ",\n    ") + one(element))
                first = False
            out.write("[]" if first else "\n  ]")
        else:
            out.write(one(value))
    out.write("\n}\n")


def dumps(data: Any) -> str:
    """`write` to a string."""
    buf = io.StringIO()
    write(data, buf)
    return buf.getvalue()
