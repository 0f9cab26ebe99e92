"""schedule.toml -> Schedule: the one entry point, `load_schedule`.

The loader never stops at the first problem: it collects them all, each with the file,
the line (or the item id and key path), what was expected and a hint, and raises one
ScheduleError. Its rooms: sources.py (which files), tomlread.py (TOML with line
numbers), vocabulary.py (the format, declared once), check.py and checkitem.py (the
checks, building the model), merge.py (joining files, references between them),
cache.py (files checked before, unchanged, without a parse or a check).
"""

from __future__ import annotations

from pathlib import Path

from poacal.errors import Problem, ScheduleError
from poacal.model import Schedule
from poacal.sources import base_path, default_paths
from poacal.tomlread import read_text


def load_schedule(*paths: Path, texts: dict[Path, str] | None = None) -> Schedule:
    """Load one schedule, or merge several: later files add items and may override ids.
    `texts` gives the content of some paths instead of reading them (`add` checks a
    file's new content before writing it). Files read here that were checked before,
    unchanged, come from the cache (cache.py) without a parse or a check."""
    import gc

    # Loading makes hundreds of thousands of small objects and no reference cycle: the
    # cycle collector's passes over them were half of a cached 10,000-item load
    # (measured), so it waits until the schedule is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(paths, texts)
    finally:
        if collecting:
            gc.enable()


def _load(paths: tuple[Path, ...], texts: dict[Path, str] | None) -> Schedule:
    paths = paths or tuple(default_paths())
    problems: list[Problem] = []
    given = texts or {}
    base = base_path().resolve()
    read: list[tuple[int, Path, str, str]] = []
    for n, path in enumerate(paths):
        text = given.get(path)
        if text is None:
            text = read_text(path, problems)
        if text is not None:
            display = path.name if path.resolve() == base else str(path)
            read.append((n, path, display, text))
    from poacal import cache

    use_cache = not given and not problems and cache.enabled()
    if use_cache:
        name, want = cache.key([(display, text) for _, _, display, text in read])
        if (hit := cache.get(name, want)) is not None:
            return hit
    schedule = _check(read, problems)
    if problems:
        order = {str(p): n for n, p in enumerate(paths)}
        problems.sort(key=lambda p: (order.get(p.file, 0), p.file, p.line or 0))
        raise ScheduleError(problems)
    if use_cache:
        cache.put(name, want, schedule)
    return schedule


def _check(read: list[tuple[int, Path, str, str]], problems: list[Problem]) -> Schedule:
    """Parse and check each file, then join them: every problem goes to `problems`."""
    from poacal.checkitem import check_file
    from poacal.merge import check_refs, merge
    from poacal.tomlread import Parsed, parse

    loaded: list[Parsed] = []
    for n, path, display, text in read:
        parsed = parse(path, display, text, problems)
        if parsed is not None:
            check_file(parsed, problems, base=n == 0)
            loaded.append(parsed)
    check_refs(loaded, problems)
    return merge(loaded, problems)
