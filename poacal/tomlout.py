"""Schedule -> TOML text, in one canonical layout: what `export site` publishes as
`schedule.toml`, the file `poacal update` fetches. Loading the text gives the same
schedule back (a test checks it), and the same schedule always gives the same bytes.

Own items (the short form) are written back in the short form; nothing else of the
user's is written, since only what a Schedule holds can be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, time

from poacal.languages import default_languages
from poacal.model import (
    PROCESS_NAMES,
    Confidence,
    Decision,
    Document,
    Item,
    Kind,
    Precision,
    Process,
    Schedule,
)


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date | time):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    # JSON's string escapes are valid in TOML basic strings
    return json.dumps(str(v), ensure_ascii=False)


def _pairs(pairs: Iterable[tuple[str, object]], indent: str = "") -> list[str]:
    return [f"{indent}{k} = {_value(v)}" for k, v in pairs if v is not None and v != ()]


def _document(d: Document) -> list[str]:
    return [
        "[[document]]",
        *_pairs(
            (
                ("id", d.id),
                ("symbol", d.symbol),
                ("title", d.title),
                ("url", d.url),
                ("adopted", d.adopted),
                ("publisher", d.publisher),
                ("confidence", None if d.confidence is Confidence.CONFIRMED else d.confidence),
                ("note", d.note),
                # written only where it differs from what the loader assumes
                (
                    "languages",
                    None
                    if d.languages == default_languages(d.url, d.symbol)
                    else list(d.languages),
                ),
            )
        ),
        "",
    ]


def _dates(d: Decision, kind: Kind) -> list[tuple[str, object]]:
    w = d.when
    if w is None:
        return []
    if w.precision is Precision.DAY:
        if kind is Kind.MEETING:
            out: list[tuple[str, object]] = [("start", w.start), ("end", w.end)]
            if w.opens and w.closes:
                out += [("opens", w.opens), ("closes", w.closes), ("timezone", w.tz)]
            return [*out, ("length", w.length)]
        return [("due", w.start)]
    return [
        ("year", w.year),
        ("month", w.month if w.precision is Precision.MONTH else None),
        ("early", True if w.precision is Precision.EARLY else None),
        ("length", w.length),
    ]


def _own(item: Item, schedule: Schedule) -> bool:
    """An item in the short form: one decision of the user's own, with no document."""
    return (
        len(item.decisions) == 1
        and item.decisions[0].confidence is Confidence.OWN
        and item.decisions[0].source not in schedule.documents
    )


def _item(item: Item, schedule: Schedule) -> list[str]:
    head = [
        f"[[{item.kind}]]",
        *_pairs(
            (
                ("id", item.id),
                ("type", item.type),
                ("code", item.code),
                ("name", item.name),
                ("cycle", item.cycle),
                ("serves", item.serves),
                ("closed_by", item.closed_by),
                ("addressee", item.addressee),
                ("description", item.description),
            )
        ),
    ]
    if _own(item, schedule):
        return [*head, *_pairs(_dates(item.decisions[0], item.kind)), ""]
    lines = [*head, ""]
    for d in item.decisions:
        lines.append(f"  [[{item.kind}.decision]]")
        lines += _pairs(
            (
                ("taken", d.taken),
                ("taken_exact", None if d.taken_exact else False),
                ("source", d.source),
                ("paragraph", d.paragraph),
                ("also", list(d.also) or None),
                ("confidence", d.confidence),
                ("status", d.status),
                *_dates(d, item.kind),
                ("due_at", d.due_at),
                *d.facts,
                ("note", d.note),
            ),
            "  ",
        )
        lines.append("")
    return lines


def dumps(schedule: Schedule, process: Process = Process.POA) -> str:
    """The items of `process` as TOML, canonical: documents by id, items in the
    schedule's order. A schedule of one process is written whole; of several, each
    process's file holds its items and the documents they cite."""
    items = [i for i in schedule.items if i.process is process]
    mixed = len(items) != len(schedule.items)
    poa = process is Process.POA
    if poa:
        header = [
            "# The schedule of the UN Programme of Action on small arms (PoA/ITI), as published",
            "# by `poacal export site`; every fact with its source and confidence.",
            "# Format: docs/data-format.md in poacal's source; `poacal update` fetches this file.",
        ]
    else:
        header = [
            f"# The {PROCESS_NAMES[process]} data pack of poacal, as published by `poacal",
            "# export site`; every fact with its source and confidence.",
            "# Format: docs/data-format.md in poacal's source.",
        ]
    title = schedule.title if poa and not mixed else PROCESS_NAMES[process]
    lines = [
        *header,
        "",
        "[schedule]",
        "schema = 1",
        f"revision = {schedule.revision_of(process).isoformat()}",
        f"title = {_value(title)}",
        *([] if poa else [f"process = {_value(process.value)}"]),
        "",
    ]
    cited = {ref for i in items for d in i.decisions for ref in (d.source, *d.also)}
    for doc_id in sorted(schedule.documents):
        if not mixed or doc_id in cited:
            lines += _document(schedule.documents[doc_id])
    for item in items:
        lines += _item(item, schedule)
    return "\n".join(lines).rstrip("\n") + "\n"
