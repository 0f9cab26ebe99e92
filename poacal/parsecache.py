"""A cache of parsed TOML for large schedule files, keyed by their content.

tomli takes about 0.25 s to parse a 5 MB schedule (10,000 items) on every run; the
parsed document (dicts, lists, strings and dates) unpickles in a fifth of that. Only
files of at least CACHE_MIN bytes are cached, so the embedded schedule and other small
files never pay for it. Every check still runs on the cached document: the cache stands
in for parsing, never for validation. A cache file that cannot be read or written is
ignored; POACAL_NO_CACHE=1 turns the cache off. Pickle is safe here because the files
are the user's own, in the user's own cache folder (see paths.cache_dir).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

CACHE_MIN = 256 * 1024
KEEP = 8


def cached_parse(text: str, parse: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """`parse(text)`, or the same result from the cache when this text was parsed before."""
    if len(text) < CACHE_MIN or os.environ.get("POACAL_NO_CACHE"):
        return parse(text)
    import hashlib
    import pickle

    from poacal.paths import cache_dir

    folder = cache_dir() / "parsed"
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()}.pickle"
    # A damaged, truncated or foreign cache file is simply parsed again.
    with contextlib.suppress(Exception):
        data = pickle.loads(path.read_bytes())
        if isinstance(data, dict):
            return data
    data = parse(text)
    with contextlib.suppress(Exception):
        from poacal.files import write_atomic

        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(folder)
    return data


def _prune(folder: Any) -> None:
    """Keep the KEEP most recently written entries: schedules change, caches must not grow."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
