"""The user's own state: items marked done, and which reminders were already sent.

One JSON file, human-readable, in the user's state folder (`$XDG_STATE_HOME/poacal` on
Linux, the platform's usual place elsewhere; `POACAL_STATE` names the file itself).
It is written atomically under an exclusive lock, so cron and a person can touch it at
the same moment. A lock is an OS file lock (flock), which the kernel releases when a
process dies: a killed process never leaves a stale lock behind. A file poacal cannot
read is reported and left exactly as it is.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from poacal.errors import StateError, UsageError
from poacal.paths import state_path
from poacal.queries import Done, Note, Personal

__all__ = ["State", "locked", "parse", "read", "state_path", "updated", "write"]

FORMAT = 1


@dataclass(slots=True, kw_only=True)
class State:
    """What is in the state file. `reported` maps 'id@due-date' to the bands sent
    ('30d', '7d', '1d', '0d', 'session'); `overdue` to the last day an overdue
    reminder went out."""

    done: dict[str, Done] = field(default_factory=dict)
    reported: dict[str, list[str]] = field(default_factory=dict)
    overdue: dict[str, str] = field(default_factory=dict)
    # item id -> its dates and status in words, as last reported (to announce moves)
    seen: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[Note]] = field(default_factory=dict)

    def copy(self) -> State:
        """A copy that can be changed without touching this one; every field is kept."""
        return State(
            done=dict(self.done),
            reported={k: list(v) for k, v in self.reported.items()},
            overdue=dict(self.overdue),
            seen=dict(self.seen),
            notes={k: list(v) for k, v in self.notes.items()},
        )

    def personal(self) -> Personal:
        return Personal(done=self.done, notes=self.notes)

    def to_json(self) -> str:
        data = {
            "poacal_state": FORMAT,
            "done": {
                k: {"on": v.on.isoformat(), "note": v.note} for k, v in sorted(self.done.items())
            },
            "notes": {
                k: [{"on": n.on.isoformat(), "text": n.text} for n in v]
                for k, v in sorted(self.notes.items())
                if v
            },
            "reported": {
                k: sorted(v, key=_horizon_days, reverse=True)
                for k, v in sorted(self.reported.items())
            },
            "overdue_reported_on": dict(sorted(self.overdue.items())),
            "last_reported_dates": dict(sorted(self.seen.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _horizon_days(h: str) -> int:
    n = h[:-1]
    return int(n) if n.isascii() and n.isdigit() and len(n) <= 6 else -1


MAX_BYTES = 4 * 1024 * 1024


def _text(value: object) -> str:
    """A string from the state file that can be printed and written back as UTF-8."""
    if not isinstance(value, str):
        raise TypeError(repr(value)[:40])
    value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return value


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise TypeError(key)
    return value


def parse(text: str, path: Path) -> State:
    """Read a state file strictly: anything unexpected is an error, never a guess."""

    def bad(why: str) -> StateError:
        return StateError(f"{path}: {why}; fix or remove the file (poacal left it as it is)")

    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise bad(f"line {e.lineno}: not valid JSON ({e.msg})") from None
    except (ValueError, RecursionError) as e:
        raise bad(f"not valid JSON ({str(e)[:80]})") from None
    if (
        not isinstance(data, dict)
        or type(data.get("poacal_state")) is not int
        or data["poacal_state"] != FORMAT
    ):
        raise bad(f'not a poacal state file (expected "poacal_state": {FORMAT})')
    state = State()
    try:
        for key, v in _table(data, "done").items():
            if not isinstance(v, dict):
                raise TypeError(key)
            note = v.get("note")
            state.done[_text(key)] = Done(
                on=date.fromisoformat(_text(v["on"])),
                note=None if note is None else _text(note),
            )
        for key, hs in _table(data, "reported").items():
            if not isinstance(hs, list):
                raise TypeError(key)
            state.reported[_text(key)] = [_text(h) for h in hs]
        for key, day in _table(data, "overdue_reported_on").items():
            date.fromisoformat(_text(day))
            state.overdue[_text(key)] = _text(day)
        for key, entries in _table(data, "notes").items():
            if not isinstance(entries, list) or not all(isinstance(n, dict) for n in entries):
                raise TypeError(key)
            state.notes[_text(key)] = [
                Note(on=date.fromisoformat(_text(n["on"])), text=_text(n["text"])) for n in entries
            ]
        for key, dates in _table(data, "last_reported_dates").items():
            state.seen[_text(key)] = _text(dates)
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise bad(f"unexpected content near {str(e)[:60]}") from None
    return state


def read(path: Path) -> State:
    """The state in `path`; an empty state if there is no file yet."""
    from poacal.files import read_regular

    return _decode(read_regular(path, MAX_BYTES, StateError, "state file"), path)


def write(path: Path, state: State) -> None:
    """Write the state (the caller holds the lock): refused past MAX_BYTES, which the
    reader would refuse, with nothing changed."""
    from poacal.change import check_limit
    from poacal.files import write_atomic

    data = state.to_json().encode()
    check_limit(path, data, limit=MAX_BYTES, error=StateError, what="state file")
    write_atomic(path, data, error=StateError)


@contextlib.contextmanager
def updated(path: Path) -> Iterator[State]:
    """The state under the lock, for the caller to change; written back through
    `change.changing` (atomic, read back, refused past MAX_BYTES with nothing changed)
    when the block ends without an error, left as it was otherwise."""
    from poacal.change import changing

    with changing(path, limit=MAX_BYTES, error=StateError, what="state file") as pending:
        st = _decode(pending.old, path)
        yield st
        pending.new = st.to_json().encode()


def mark_done(
    path: Path, item_id: str, on: date, *, keep_first: bool, note: str | None = None
) -> tuple[Done, bool]:
    """Mark `item_id` done on `on` (its first date kept if it is already done and
    `keep_first`), with `note` added to its notes, dated `on`. Returns the mark and
    whether the item was done already."""
    with updated(path) as st:
        before = st.done.get(item_id)
        when = before.on if before is not None and keep_first else on
        st.done[item_id] = mark = Done(on=when, note=before.note if before else None)
        if note:
            st.notes.setdefault(item_id, []).append(Note(on=on, text=note))
    return mark, before is not None


def add_note(path: Path, item_id: str, on: date, text: str) -> None:
    """Add a dated note to `item_id`; notes accumulate."""
    with updated(path) as st:
        st.notes.setdefault(item_id, []).append(Note(on=on, text=text))


def unmark(path: Path, item_id: str) -> None:
    """Remove the done mark of `item_id` (its notes stay); a usage error if it has none,
    and then nothing is written."""
    with updated(path) as st:
        if item_id not in st.done:
            raise UsageError(f"{item_id!r} is not marked done")
        del st.done[item_id]


def _decode(raw: bytes | None, path: Path) -> State:
    if raw is None:
        return State()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise StateError(f"{path}: cannot read the state file: not UTF-8 ({e.reason})") from None
    return parse(text, path)


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path`'s lock file; waits up to `timeout` seconds."""
    from poacal import change

    with change.locked(path, StateError, timeout):
        yield
