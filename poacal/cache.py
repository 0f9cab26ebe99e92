"""A plain-data cache of checked schedules, so that a run on unchanged files skips the
TOML parse and the checks (at 10,000 items they are most of a run's time).

What is kept: the Schedule that `load_schedule` built, as JSON (never pickle, never
code), in the user's cache folder, one file per list of schedule files. It is used only
when its key matches: a SHA-256 of the files' names and content and of poacal's own
modules (their names, sizes and modification times), so an edited file, a new poacal
or an edited checkout each check afresh. Only a schedule that loaded without a problem
is kept, so every error is still found and reported by the checks.

Safe against a planted file: the folder and the file must be the user's own and
writable by nobody else, the file a regular file (no symlink is followed, no FIFO
waited on) of at most MAX_BYTES; anything else, or anything that does not decode to
exactly the model's shape, is ignored and the files are checked as if there were no
cache. A cache that cannot be written (a read-only home, a full disk) is skipped
silently. POACAL_CACHE=off turns it off.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from datetime import date, time
from pathlib import Path
from typing import Any

from poacal.model import (
    Confidence,
    Decision,
    Document,
    Item,
    Kind,
    Precision,
    Process,
    Schedule,
    Status,
    When,
)

FORMAT = "poacal-schedule-cache 1"
MAX_BYTES = 64 * 1024 * 1024  # four schedule files at their 16 MiB cap
Source = tuple[str, str]  # (the name shown in messages, the file's text)


def _sha256(data: bytes) -> Any:
    """SHA-256 from the module built into CPython (_sha2 from 3.12, _sha256 before):
    `hashlib` would load OpenSSL first, 11 M instructions, 4 % of a run (measured)."""
    from importlib import import_module

    for name in ("_sha2", "_sha256", "hashlib"):
        try:
            return import_module(name).sha256(data)
        except (ImportError, AttributeError):
            continue
    raise ImportError("no SHA-256 in this Python")


def enabled() -> bool:
    return os.environ.get("POACAL_CACHE", "").lower() not in ("off", "0", "no", "false")


def _code() -> bytes:
    """poacal's own modules as they are installed: name, size, modification time."""
    here = Path(__file__).parent
    parts = []
    for entry in sorted(os.scandir(here), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            st = entry.stat()
            parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode()


def key(sources: list[Source]) -> tuple[str, str]:
    """(the cache file's name, the key its content must carry) for these files."""
    # One file per list of files and per installed poacal: two installs (two virtual
    # environments) each keep their own rather than replacing each other's on every run.
    where = [str(Path(__file__).parent), *(name for name, _ in sources)]
    names = _sha256("\0".join(where).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    digest = _sha256(FORMAT.encode() + b"\0" + _code())
    for name, text in sources:
        digest.update(b"\0%d\0" % len(name.encode()) + name.encode())
        data = text.encode("utf-8", "surrogatepass")
        digest.update(b"\0%d\0" % len(data) + data)
    return f"{names}.json", digest.hexdigest()


def _own(st: os.stat_result, kind: int) -> bool:
    """Of the expected kind, the user's own, and writable by nobody else."""
    mine = not hasattr(os, "geteuid") or st.st_uid == os.geteuid()
    return stat.S_IFMT(st.st_mode) == kind and mine and not st.st_mode & 0o022


def get(name: str, want: str) -> Schedule | None:
    """The schedule kept in cache file `name` if it carries key `want` (see `key`), or
    None (no cache, a stale or an unsafe one)."""
    from poacal.paths import cache_dir

    try:
        folder = cache_dir()
        if not _own(os.lstat(folder), stat.S_IFDIR):
            return None
        fd = os.open(
            folder / name,
            os.O_RDONLY
            | os.O_NONBLOCK
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0),
        )
    except (OSError, RuntimeError):  # RuntimeError: no home folder to find the cache in
        return None
    try:
        with open(fd, "rb") as fh:  # closes fd
            st = os.fstat(fd)
            if not _own(st, stat.S_IFREG) or st.st_size > MAX_BYTES:
                return None
            raw = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    try:
        data = json.loads(raw)
        if data["format"] != FORMAT or data["key"] != want:
            return None
        return decode(data["schedule"])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def put(name: str, want: str, schedule: Schedule) -> None:
    """Keep `schedule` in cache file `name` with key `want`; silently nothing if that
    cannot be done safely."""
    from poacal.errors import PoacalError
    from poacal.files import write_atomic
    from poacal.paths import cache_dir

    data = json.dumps(
        {"format": FORMAT, "key": want, "schedule": encode(schedule)},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        return
    try:
        folder = cache_dir()
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not _own(os.lstat(folder), stat.S_IFDIR):
            return
        try:
            if not _own(os.lstat(folder / name), stat.S_IFREG):
                return  # a symlink, a FIFO or another user's file: never written through
        except FileNotFoundError:
            pass
        old = os.umask(0o077)
        try:
            write_atomic(folder / name, data)
        finally:
            os.umask(old)
        _prune(folder, keep=name)
    except (OSError, RuntimeError, PoacalError):
        return


KEEP = 16  # cache files kept: one per list of schedule files, the most recently written


def _prune(folder: Path, keep: str) -> None:
    """Remove the oldest cache files past KEEP (a file per list of schedule files would
    otherwise pile up, one for every file ever validated). Only poacal's own names
    (32 hex digits and .json) are touched, never a symlink."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            stem, _, ext = entry.name.partition(".")
            if ext != "json" or len(stem) != 32 or entry.name == keep or entry.is_symlink():
                continue
            if all(c in "0123456789abcdef" for c in stem):
                found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
    for _, old in sorted(found)[: max(0, len(found) - (KEEP - 1))]:
        with contextlib.suppress(FileNotFoundError):  # another run pruned it first
            os.unlink(folder / old)


# The model as JSON: each record a list of its fields in their declared order, dates in
# ISO form, enums by value. decode() rebuilds exactly the types the loader builds.


def _iso(d: date | time | None) -> str | None:
    return None if d is None else d.isoformat()


def _when(w: When | None) -> list[Any] | None:
    if w is None:
        return None
    return [
        w.precision.value,
        _iso(w.start),
        _iso(w.end),
        w.year,
        w.month,
        w.length,
        _iso(w.opens),
        _iso(w.closes),
        w.tz,
    ]


def _decision(d: Decision) -> list[Any]:
    return [
        *d[:2],
        _iso(d.taken),
        *d[3:7],
        _when(d.when),
        d.due_at,
        d.status,
        d.facts,
    ]


def encode(schedule: Schedule) -> dict[str, Any]:
    return {
        "items": [
            [*item[:5], [_decision(d) for d in item.decisions], *item[6:]]
            for item in schedule.items
        ],
        "documents": [
            [*doc[:4], _iso(doc.adopted), *doc[5:]] for doc in schedule.documents.values()
        ],
        "revision": schedule.revision.isoformat(),
        "title": schedule.title,
        "revisions": [[p.value, r.isoformat()] for p, r in schedule.revisions.items()],
    }


def _members(enum: Any) -> dict[str, Any]:
    return {m.value: m for m in enum}


def decode(v: dict[str, Any]) -> Schedule:
    """The Schedule `encode` gave; KeyError, ValueError or TypeError if `v` is not one.
    Built positionally, with dict lookups for enums and one When per distinct dates: at
    10,000 items this is a fifth of what keyword construction cost (measured)."""
    day, hour = date.fromisoformat, time.fromisoformat
    kinds, processes = _members(Kind), _members(Process)
    confidences, statuses, precisions = _members(Confidence), _members(Status), _members(Precision)
    whens: dict[tuple[Any, ...], When] = {}

    def when(w: list[Any] | None) -> When | None:
        if w is None:
            return None
        k = tuple(w)
        got = whens.get(k)
        if got is None:
            precision, start, end, year, month, length, opens, closes, tz = w
            got = whens[k] = When(
                precision=precisions[precision],
                start=start and day(start),
                end=end and day(end),
                year=year,
                month=month,
                length=length,
                opens=opens and hour(opens),
                closes=closes and hour(closes),
                tz=tz,
            )
        return got

    def decision(d: list[Any]) -> Decision:
        source, confidence, taken, exact, paragraph, also, note, w, due_at, status, facts = d
        return Decision._make(
            (
                source,
                confidences[confidence],
                taken and day(taken),
                exact,
                paragraph,
                tuple(also),
                note,
                when(w),
                due_at,
                status and statuses[status],
                tuple(map(tuple, facts)),
            )
        )

    items = []
    for i in v["items"]:
        (id_, kind, type_, code, name, decisions, cycle, serves, addressee, description,
         origin, remind, process, closed_by) = i  # fmt: skip
        items.append(
            Item._make(
                (
                    id_,
                    kinds[kind],
                    type_,
                    code,
                    name,
                    tuple(map(decision, decisions)),
                    cycle,
                    serves,
                    addressee,
                    description,
                    origin,
                    tuple(remind),
                    processes[process],
                    closed_by,
                )
            )
        )
    documents = {}
    for doc in v["documents"]:
        id_, title, url, symbol, adopted, publisher, confidence, note, languages = doc
        documents[id_] = Document._make(
            (
                id_,
                title,
                url,
                symbol,
                adopted and day(adopted),
                publisher,
                confidences[confidence],
                note,
                tuple(languages),
            )
        )
    return Schedule(
        items=tuple(items),
        documents=documents,
        revision=day(v["revision"]),
        title=v["title"],
        revisions={processes[p]: day(r) for p, r in v["revisions"]},
    )
