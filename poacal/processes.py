"""Which processes a run shows: the PoA (with its ITI) by default; the Arms Trade Treaty
as an opt-in second data pack. Chosen once per run, like the link language, from
--process, else $POACAL_PROCESS, else `process = "..."` in the user's config file
(~/.config/poacal/config.toml), else the PoA alone."""

from __future__ import annotations

import os
from contextvars import ContextVar

from poacal.model import PROCESS_LABELS, PROCESS_NAMES, Item, Process, Schedule

DEFAULT = (Process.POA,)
NAMES = tuple(p.value for p in Process)

_chosen: ContextVar[tuple[Process, ...]] = ContextVar("poacal_processes", default=DEFAULT)


class UnknownProcess(ValueError):
    """A process name poacal does not know."""


def parse(text: str, where: str) -> tuple[Process, ...]:
    """'poa,att', 'att' or 'all' -> the processes, in poacal's order."""
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words == ["all"]:
        return tuple(Process)
    wrong = [w for w in words if w not in NAMES]
    if wrong or not words:
        shown = ", ".join(repr(w) for w in wrong) or "nothing"
        raise UnknownProcess(f"{where}: {shown} is not one of: {', '.join(NAMES)}, all")
    return tuple(p for p in Process if p.value in words)


def _configured() -> str | None:
    """`process = "..."` from the user's config file, if it has one."""
    from poacal.paths import settings_path

    path = settings_path()
    try:
        raw = path.read_bytes() if path.is_file() else None
    except OSError:
        return None
    if raw is None:
        return None
    import tomli

    try:
        value = tomli.loads(raw.decode("utf-8-sig")).get("process")
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as e:
        raise UnknownProcess(f"{path}: cannot read it: {e}") from None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    if not isinstance(value, str | None):
        raise UnknownProcess(f'{path}: process: expected a string such as "poa,att"')
    return value


def default() -> tuple[Process, ...]:
    given = os.environ.get("POACAL_PROCESS")
    if given:
        return parse(given, "POACAL_PROCESS")
    configured = _configured()
    if configured:
        return parse(configured, "config.toml: process")
    return DEFAULT


def choose(text: str | None) -> tuple[Process, ...]:
    """Show `text`'s processes (None: the default) for the rest of this run."""
    chosen = parse(text, "--process") if text is not None else default()
    _chosen.set(chosen)
    return chosen


def current() -> tuple[Process, ...]:
    return _chosen.get()


def several() -> bool:
    """Whether more than one process is shown: views then name each item's process."""
    return len(_chosen.get()) > 1


def label(process: Process) -> str:
    return PROCESS_LABELS[process]


def code(item: Item) -> str:
    """An item's code as views show it: prefixed with its process ("ATT CSP12") when
    more than one process is shown, as it is (the default)."""
    return f"{PROCESS_LABELS[item.process]} {item.code}" if several() else item.code


def only(schedule: Schedule) -> Schedule:
    """The schedule with the items of the chosen processes (all of them, unchanged, in
    the default case); its title names them when it is not the PoA alone."""
    chosen = _chosen.get()
    if chosen == DEFAULT and all(i.process is Process.POA for i in schedule.items):
        return schedule
    items = tuple(i for i in schedule.items if i.process in chosen)
    title = schedule.title if chosen == DEFAULT else " and ".join(PROCESS_NAMES[p] for p in chosen)
    return Schedule(
        items=items,
        documents=schedule.documents,
        revision=schedule.revision,
        title=title,
        revisions=schedule.revisions,
    )
