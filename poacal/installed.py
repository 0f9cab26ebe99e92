"""Which base schedule is in use: the one shipped with poacal, or one `poacal update`
installed in the user's data folder (with update.json beside it, saying where it came
from and its revision as read by the full parse that checked it).

Read by the loader on every run: one stat when nothing was installed, and nothing
imported until something was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple


class Fetched(NamedTuple):
    """Where the schedule in the data folder came from (update.json beside it).
    `revision` is what the full parse read when it was checked; `forced` says the user
    asked for it although it was older than the data then in use."""

    url: str
    etag: str | None
    last_modified: str | None
    fetched: str
    revision: str
    forced: bool = False

    def to_json(self) -> str:
        import json

        return json.dumps(self._asdict(), indent=2)


def folder() -> Path:
    from poacal.paths import data_dir

    return data_dir()


SCHEDULE = "schedule"  # the PoA's schedule; a data pack is named by its process (att)


def stored_path(pack: str = SCHEDULE) -> Path:
    return folder() / f"{pack}.toml"


def record_path(pack: str = SCHEDULE) -> Path:
    return folder() / ("update.json" if pack == SCHEDULE else f"{pack}.update.json")


def record(pack: str = SCHEDULE) -> Fetched | None:
    """What update.json (att.update.json for the ATT pack) says, or None if there is
    none or it cannot be read."""
    import json

    from poacal.files import Unreadable, read_regular

    try:
        raw = read_regular(record_path(pack), 64 * 1024)
        data = json.loads(raw or b"null")
        return Fetched(
            url=str(data["url"]),
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            fetched=str(data["fetched"]),
            revision=date.fromisoformat(str(data["revision"])).isoformat(),
            forced=data.get("forced") is True,
        )
    except (Unreadable, ValueError, TypeError, KeyError):
        return None


def fetched_now(
    url: str, etag: str | None, last_modified: str | None, revision: date, forced: bool
) -> Fetched:
    """The record of a file fetched from `url` now."""
    from datetime import UTC, datetime

    return Fetched(
        url=url,
        etag=etag,
        last_modified=last_modified,
        fetched=datetime.now(UTC).replace(microsecond=0).isoformat(),
        revision=revision.isoformat(),
        forced=forced,
    )


def store(pack: str, data: bytes, note: Fetched) -> None:
    """Write a checked file and its record (the caller holds the data folder's lock)."""
    from poacal.files import write_atomic

    write_atomic(stored_path(pack), data)
    write_atomic(record_path(pack), (note.to_json() + "\n").encode())


def fetched_in_use(embedded_revision: Callable[[], date], pack: str = SCHEDULE) -> Path | None:
    """The installed schedule (or data pack) if it is the one to use: its recorded
    revision is newer than the embedded one (asked for only then), or the user forced
    it. None when there is none (one stat)."""
    path = stored_path(pack)
    if not os.path.isfile(path):  # False, not an error, where it cannot be looked at
        return None
    got = record(pack)
    if got is None:
        return None  # no record of what it is: never trust a file we cannot vouch for
    if got.forced or date.fromisoformat(got.revision) > embedded_revision():
        return path
    return None
