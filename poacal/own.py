"""A delegation's own items in its own schedule file: add, edit and remove.

Every change goes through `change.change` (lock, read, check in context, atomic write,
read back; a byte-order mark and CRLF line ends kept). `add` appends text after what is
there, byte for byte; `edit` and `remove` go through tomlkit, which keeps comments and
layout by construction. A change is checked together with the schedule it merges over
before anything is written: an invalid result, a clashing id or code, an item that is not
the user's own are refused with nothing changed.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from poacal.errors import OutputError, ScheduleError, UsageError

if TYPE_CHECKING:
    from poacal.model import Schedule

Finder = Callable[["Schedule", str], str]  # cli.find: an id or code -> the item's id


def slug(name: str) -> str:
    """An id from a name: 'Inter-ministerial review' -> 'inter-ministerial-review'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "own"


def short_code(name: str, taken: set[str]) -> str:
    """A short code for a table from a name, not one of `taken` (compared as _code_key):
    'Inter-ministerial review' -> 'IMR'; a one-word name keeps its first 8 letters."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", slug(name)) if w]
    stem = "".join(w[0] for w in words).upper() if len(words) > 1 else slug(name)[:8].upper()
    stem = stem[:6] or "OWN"
    code, n = stem, 2
    while _code_key(code) in taken:
        code, n = f"{stem} {n}", n + 1
    return code


def _code_key(code: str) -> str:
    return " ".join(code.lower().split())


def _base_paths(path: Path) -> list[Path]:
    from poacal.sources import base_path

    return [base_path()] if path.resolve() != base_path().resolve() else []


def _check(path: Path, text: str) -> Schedule:
    """The merged schedule with `text` as the user's file, or a usage error saying why
    the change would make it invalid."""
    from poacal.load import load_schedule

    try:
        return load_schedule(*_base_paths(path), path, texts={path: text})
    except ScheduleError as e:
        raise UsageError(f"the change would not be valid: {e.lines()[0]}") from None


def _refuse_code_clash(sched: Schedule, item_id: str, code: str | None) -> None:
    if not code:
        return
    clash = [i.id for i in sched.items if i.id != item_id and _code_key(i.code) == _code_key(code)]
    if clash:
        raise UsageError(f"--code: {code!r} is already the code of {', '.join(clash)}")


def _change(path: Path, edit: Callable[[str, Schedule | None], str]) -> None:
    """Change the user's file at `path` through change.change: `edit` gets its text (LF
    line ends, no BOM) and the schedule it makes now (None: no file yet)."""
    from poacal.change import change, decode_text, encode_text
    from poacal.load import load_schedule
    from poacal.tomlread import MAX_BYTES

    def step(raw: bytes | None) -> bytes:
        old, layout = decode_text(raw or b"", path, OutputError)
        current = (
            load_schedule(*_base_paths(path), path, texts={path: old}) if raw is not None else None
        )
        return encode_text(edit(old, current), layout)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{path.parent}: cannot create the folder: {e.strerror}") from None
    change(path, step, limit=MAX_BYTES, error=OutputError, what="schedule file")


def add(
    path: Path,
    kind: str,
    name: str,
    dates: Mapping[str, date],
    item_id: str | None = None,
    code: str | None = None,
    serves: str | None = None,
    find: Finder | None = None,
) -> str:
    """Append a short-form item to the user's file; returns its id."""
    from poacal.load import load_schedule

    added: list[str] = []

    def edit(old: str, current: Schedule | None) -> str:
        sched = current or load_schedule(*_base_paths(path))
        target = find(sched, serves) if serves is not None and find is not None else serves
        new_id = item_id
        if new_id is None:
            stem = slug(name)
            new_id, n = stem, 2
            while sched.get(new_id) is not None:
                new_id, n = f"{stem}-{n}", n + 1
        elif sched.get(new_id) is not None:
            raise UsageError(f"--id: {new_id!r} is already used; choose another id")
        _refuse_code_clash(sched, new_id, code)
        # a short code unless one is given, so an own item does not widen every table
        short = code or short_code(name, {_code_key(i.code) for i in sched.items})
        given = {"id": new_id, "name": name, "code": short, **dates, "serves": target}
        block = _new_table(kind, {k: v for k, v in given.items() if v})
        sep = "" if not old else "\n" if old.endswith("\n") else "\n\n"
        new = old + sep + block
        _check(path, new)
        added[:] = [new_id]
        return new

    _change(path, edit)
    return added[0]


def _new_table(kind: str, values: Mapping[str, object]) -> str:
    """One [[kind]] table, written by tomlkit (its quoting and escapes), to be appended to
    the user's file: what is there already is kept byte for byte."""
    import tomlkit

    table = tomlkit.table()
    for key, value in values.items():
        table.add(key, value)
    entries = tomlkit.aot()
    entries.append(table)
    doc = tomlkit.document()
    doc.append(kind, entries)
    return tomlkit.dumps(doc)


@dataclass(frozen=True, slots=True)
class Found:
    """An item's table in the user's file, as tomlkit sees it."""

    kind: str
    index: int
    table: Any


def _own_item(doc: Any, item_id: str, path: Path, sched: Schedule | None) -> Found:
    for kind in ("meeting", "deadline", "mandate"):
        tables = doc.get(kind)
        if tables is None:
            continue
        for n, table in enumerate(tables):
            if table.get("id") == item_id:
                return Found(kind, n, table)
    if sched is not None and sched.get(item_id) is not None:
        raise UsageError(
            f"{item_id} is not in your schedule file {path}: poacal's own items cannot be "
            f"changed; keep a note on it with `poacal note {item_id} TEXT`, or mark it with "
            f"`poacal done {item_id}`"
        )
    raise UsageError(f"no item {item_id!r} in your schedule file {path}")


def _require(path: Path) -> None:
    """edit and remove need the user's file; they never create it (nor its folder)."""
    if not os.path.lexists(path):
        raise UsageError(f"{path}: you have no schedule file yet; `poacal add` makes one")


def _named(current: Schedule | None, path: Path, wanted: str, find: Finder) -> str:
    """The id of the item named `wanted` (id or code) in the schedule the file makes now."""
    if current is None:
        raise UsageError(f"{path}: you have no schedule file yet; `poacal add` makes one")
    return find(current, wanted)


def edit(
    path: Path,
    wanted: str,
    changes: Mapping[str, object],
    find: Finder,
) -> tuple[str, str, str]:
    """Change fields of one of the user's own short-form items; returns (id, the item's
    text before, after). `serves` may name the item it serves by id or code."""
    import tomlkit

    _require(path)
    shown: list[str] = []

    def step(old: str, current: Schedule | None) -> str:
        item_id = _named(current, path, wanted, find)
        assert current is not None
        if "serves" in changes:
            changes_now = {**changes, "serves": find(current, str(changes["serves"]))}
        else:
            changes_now = dict(changes)
        doc = tomlkit.parse(old)
        found = _own_item(doc, item_id, path, current)
        table = found.table
        if "decision" in table:
            raise UsageError(
                f"{item_id} is written with decisions (the long form); edit {path} by hand"
            )
        before = _block(found)
        for key, value in changes_now.items():
            _set(table, key, value)
        if "start" in changes or "end" in changes:
            start, end = table.get("start"), table.get("end")
            if isinstance(start, date) and isinstance(end, date) and end < start:
                raise UsageError(f"end {end.isoformat()} is before start {start.isoformat()}")
        new = tomlkit.dumps(doc)
        sched = _check(path, new)
        _refuse_code_clash(sched, item_id, changes.get("code"))  # type: ignore[arg-type]
        shown[:] = [item_id, before, _block(found)]
        return new

    _change(path, step)
    return shown[0], shown[1], shown[2]


def remove(path: Path, wanted: str, find: Finder, *, dry_run: bool = False) -> tuple[str, str]:
    """Remove one of the user's own items; returns (id, its text). With `dry_run`,
    nothing is written. Refused when another item still refers to it."""
    import tomlkit

    _require(path)
    shown: list[str] = []

    def step(old: str, current: Schedule | None) -> str:
        item_id = _named(current, path, wanted, find)
        doc = tomlkit.parse(old)
        found = _own_item(doc, item_id, path, current)
        shown[:] = [item_id, _block(found)]
        tables = doc[found.kind]
        del tables[found.index]
        if not tables:
            del doc[found.kind]
        new = tomlkit.dumps(doc)
        _check(path, new)
        return old if dry_run else new

    _change(path, step)
    return shown[0], shown[1]


def _set(table: Any, key: str, value: object) -> None:
    """Set a key of an item's table. A new key goes right after the item's last key, not
    after the comments that follow it (tomlkit would append it there, where it reads as
    part of the next item)."""
    keys = list(table.keys())
    container = table.value
    insert_at = getattr(container, "_insert_at", None)
    if key in keys or not keys or insert_at is None:  # (a tomlkit without it: plainer)
        table[key] = value
        return
    # tomlkit's Container keeps the table's lines in `body`, as (key, item) pairs (key
    # None for blank lines and comments); 0.15.3 dropped `_insert_after`, `_insert_at`
    # is in every version since 0.7.
    last = max(i for i, (k, _) in enumerate(container.body) if k is not None and k.key == keys[-1])
    insert_at(last + 1, key, value)


def _block(found: Found) -> str:
    """The item's table as TOML text, for the user to see."""
    body = found.table.as_string().rstrip()
    # what follows the last key (blank lines, a comment on the next item) is not its text
    lines = body.split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return f"[[{found.kind}]]\n" + "\n".join(lines) + "\n"
