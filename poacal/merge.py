"""Joining schedule files: the first is the base; later ones (a delegation's own file,
an overlay) add items, replace one by id (`override`) or add decisions to one
(`extend`); and the references between items and to the document register, checked
across all files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from poacal.errors import Problem
from poacal.model import Decision, Document, Item, Kind, Process, Schedule
from poacal.tomlread import Parsed

MAX_SUGGESTIONS = 20  # "did you mean" hints for unknown references, per load


def merge(files: Sequence[Parsed], problems: list[Problem]) -> Schedule:
    """Join files: the first is the base; later ones add items or override by id."""
    documents: dict[str, Document] = {}
    items: dict[str, Item] = {}
    where_from: dict[str, tuple[Parsed, int]] = {}
    for raw in files:
        for did, doc in raw.documents.items():
            if did in documents and documents[did] != doc:
                problems.append(
                    Problem(
                        file=raw.name,
                        line=None,
                        where=f'document "{did}"',
                        message="id already used by another file's document",
                        hint="give it another id",
                    )
                )
            documents[did] = doc
        for item, how, index in raw.items:
            here = f'{item.kind} "{item.id}"'
            override = how == "override"
            if how == "extend":
                base = items.get(item.id)
                if base is None or base.kind is not item.kind:
                    problems.append(
                        Problem(
                            file=raw.name,
                            line=raw.line_of(item.kind, index),
                            where=here,
                            message=f"extend = true, but no earlier file has a {item.kind} "
                            "with this id",
                            hint="check the id, or remove extend to add a new item",
                        )
                    )
                    continue
                merged = sorted((*base.decisions, *item.decisions), key=_taken_key)
                items[item.id] = base._replace(
                    decisions=tuple(merged), remind=item.remind or base.remind
                )
                continue
            if item.id in items and not override:
                first_raw, first_index = where_from[item.id]
                first_line = first_raw.line_of(items[item.id].kind, first_index)
                problems.append(
                    Problem(
                        file=raw.name,
                        line=raw.line_of(item.kind, index),
                        where=here,
                        message=f"id already used in {first_raw.name}"
                        + (f":{first_line}" if first_line else ""),
                        hint="rename it, or add override = true to replace that item",
                    )
                )
            elif override and item.id in items and items[item.id].kind is not item.kind:
                problems.append(
                    Problem(
                        file=raw.name,
                        line=raw.line_of(item.kind, index),
                        where=here,
                        message=f"override = true, but {item.id} is a {items[item.id].kind}",
                        hint=f"an override keeps the kind; write it as [[{items[item.id].kind}]]",
                    )
                )
            elif override and item.id not in items:
                problems.append(
                    Problem(
                        file=raw.name,
                        line=raw.line_of(item.kind, index),
                        where=here,
                        message="override = true, but no earlier file has this id",
                        hint="remove override, or check the id",
                    )
                )
            else:
                items[item.id] = item
                where_from[item.id] = (raw, index)
    revisions = [r.revision for r in files if r.revision]
    per_process: dict[Process, date] = {}
    for r in files:
        if r.revision and r.revision > per_process.get(r.process, date.min):
            per_process[r.process] = r.revision
    title = next((r.title for r in files if r.title), None)
    kwargs = {"title": title} if title else {}
    return Schedule(
        items=tuple(items.values()),
        documents=documents,
        revision=max(revisions) if revisions else date(1970, 1, 1),
        revisions=per_process if len(per_process) > 1 else {},
        **kwargs,
    )


def _taken_key(d: Decision) -> date:
    """Decisions in date order; one without a date (historical context) comes first."""
    return d.taken or date.min


def check_refs(files: Sequence[Parsed], problems: list[Problem]) -> None:
    """References between items and to the document register, across all files.

    Checked on the raw data, so an item with other problems still has its references
    checked, and an id that exists but is invalid is not reported as unknown.
    """
    import difflib

    def entries(data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        return value if isinstance(value, list) else []

    meetings = {
        str(m.get("id")) for f in files for m in entries(f.data, "meeting") if isinstance(m, dict)
    }
    docs = {
        str(d.get("id")) for f in files for d in entries(f.data, "document") if isinstance(d, dict)
    }

    ids = {
        str(it.get("id"))
        for f in files
        for kind in Kind
        for it in entries(f.data, kind)
        if isinstance(it, dict)
    }
    sorted_docs, sorted_meetings, sorted_ids = sorted(docs), sorted(meetings), sorted(ids)
    hinted = [0]

    def check(
        ref: Any, known: set[str], key: str, f: Parsed, kind: Kind, i: int, sub: int | None = None
    ) -> None:
        """Report `ref` if unknown; where it is, is worked out only then."""
        if ref.__class__ is not str or ref in known:
            return
        iid = entries(f.data, kind)[i].get("id")
        where = f'{kind} "{iid}"' if isinstance(iid, str) else f"{kind} #{i + 1}"
        if sub is not None:
            where += f", decision {sub + 1}"
        is_doc = known is docs
        pool, label, otherwise = (
            (sorted_docs, "is not in the document register", "add it as a [[document]]")
            if is_doc
            else (sorted_meetings, "is not a meeting id", "give the id of a meeting")
            if known is meetings
            else (sorted_ids, "is not an item id", "give the id of a meeting or a deadline")
        )
        hinted[0] += 1
        # Suggestions cost a pass over every id; a file with hundreds of unknown
        # references gets them for the first few only, so checking stays linear.
        close = difflib.get_close_matches(ref, pool, n=1) if hinted[0] <= MAX_SUGGESTIONS else []
        hint = f'did you mean "{close[0]}"?' if close else otherwise
        problems.append(
            Problem(
                file=f.name,
                line=f.line_of(kind, i, sub=sub, key=key),
                where=where,
                message=f'{key}: "{ref}" {label}',
                hint=hint,
            )
        )

    for f in files:
        for kind in Kind:
            for i, raw in enumerate(entries(f.data, kind)):
                if not isinstance(raw, dict):
                    continue
                check(raw.get("serves"), ids, "serves", f, kind, i)
                check(raw.get("closed_by"), ids, "closed_by", f, kind, i)
                for j, d in enumerate(entries(raw, "decision")):
                    if not isinstance(d, dict):
                        continue
                    check(d.get("source"), docs, "source", f, kind, i, j)
                    for ref in entries(d, "also"):
                        check(ref, docs, "also", f, kind, i, j)
                    check(d.get("due_at"), meetings, "due_at", f, kind, i, j)
