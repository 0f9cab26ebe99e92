"""schedule.toml -> Schedule: the one entry point, `load_schedule`.

The loader never stops at the first problem: it collects them all, each with the file,
the line (or the item id and key path), what was expected and a hint, and raises one
ScheduleError. Its rooms: sources.py (which files), tomlread.py (TOML with line
numbers), vocabulary.py (the format, declared once), check.py and checkitem.py (the
checks, building the model), merge.py (joining files, references between them).
"""

from __future__ import annotations

from pathlib import Path

from poacal.checkitem import check_file
from poacal.errors import Problem, ScheduleError
from poacal.merge import check_refs, merge
from poacal.model import Schedule
from poacal.sources import base_path, default_paths
from poacal.tomlread import Parsed, parse, read_text


def load_schedule(*paths: Path, texts: dict[Path, str] | None = None) -> Schedule:
    """Load one schedule, or merge several: later files add items and may override ids.
    `texts` gives the content of some paths instead of reading them (`add` checks a
    file's new content before writing it)."""
    paths = paths or tuple(default_paths())
    problems: list[Problem] = []
    given = texts or {}
    base = base_path().resolve()
    loaded: list[Parsed] = []
    for n, path in enumerate(paths):
        text = given.get(path)
        if text is None:
            text = read_text(path, problems)
        if text is None:
            continue
        display = path.name if path.resolve() == base else str(path)
        parsed = parse(path, display, text, problems)
        if parsed is not None:
            check_file(parsed, problems, base=n == 0)
            loaded.append(parsed)
    check_refs(loaded, problems)
    schedule = merge(loaded, problems)
    if problems:
        order = {str(p): n for n, p in enumerate(paths)}
        problems.sort(key=lambda p: (order.get(p.file, 0), p.file, p.line or 0))
        raise ScheduleError(problems)
    return schedule
