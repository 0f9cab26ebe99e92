"""`poacal update` for a second data pack (att.toml, the Arms Trade Treaty): fetched from
the same feed site as the PoA's schedule.toml, in the same transaction and under the same
deadline, checked the same way (its att.meta.json, one full parse, every item of its
process, together with the schedule in use and the user's own file), and installed
under the data folder's lock when it is newer than the pack in use. A site without the
pack (404) is not an error: it publishes the PoA alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from poacal.installed import fetched_now, record, store, stored_path
from poacal.model import Process

if TYPE_CHECKING:
    from poacal.fetch import Deadline, Download
    from poacal.model import Schedule

PACK = Process.ATT


def pack_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{PACK.value}.toml"


@dataclass(frozen=True, slots=True)
class Fetch:
    url: str
    got: Download
    meta: Download | None


def fetch(url: str, deadline: Deadline) -> Fetch | None:
    """The pack beside `url`, if the site has one (None: it has not)."""
    from poacal.fetch import META_BYTES, download

    where = pack_url(url)
    got = download(where, record(PACK), deadline, optional=True)
    if not got.found:
        return None
    meta = None
    if got.data is not None:
        meta_where = where.removesuffix(".toml") + ".meta.json"
        meta = download(meta_where, None, deadline, limit=META_BYTES, optional=True)
    return Fetch(where, got, meta)


@dataclass(frozen=True, slots=True)
class Checked:
    """A fetched pack that passed every check; `revision` None: not modified."""

    url: str
    got: Download
    revision: date | None


def check(fetched: Fetch | None) -> Checked | None:
    """Every check of a fetched pack, once, before anything is installed: its meta
    file, one full parse, and the parse together with the schedule in use and the
    user's own file. Raises NetworkError, changing nothing, if it is not valid."""
    if fetched is None:
        return None
    got = fetched.got
    if got.data is None:
        return Checked(fetched.url, got, None)
    sched = _parse(got.data, fetched.url)
    if fetched.meta is not None and fetched.meta.data is not None:
        from poacal.fetch import check_meta

        meta_where = fetched.url.removesuffix(".toml") + ".meta.json"
        check_meta(got.data, fetched.meta.data, sched, fetched.url, meta_where)
    return Checked(fetched.url, got, sched.revision)


def settle(checked: Checked | None, *, check: bool, force: bool) -> tuple[str, bool]:
    """Install a checked pack unless `check`: (a sentence for the user, whether an
    update exists in --check mode)."""
    from poacal.sources import pack_revision

    if checked is None:
        return "", False
    label = "The ATT data pack"
    current = pack_revision(PACK)
    revision = checked.revision
    if revision is None:
        return f" {label}: not modified; revision {current} stays in use.", False
    if check:
        if revision > current:
            return f" {label}: an update exists, revision {revision} (in use: {current}).", True
        return f" {label}: revision {revision}, in use {current}.", False
    return " " + _install(checked.got, checked.url, revision, force=force), False


def _parse(data: bytes, url: str) -> Schedule:
    """One full parse, with the schedule in use and the user's own file: a pack that is
    not valid, holds items of another process, or clashes with the user's file is
    refused."""
    import os

    from poacal.errors import ScheduleError
    from poacal.fetch import NetworkError, parse
    from poacal.load import load_schedule
    from poacal.sources import base_path, user_path

    sched = parse(data, url)
    if sched.items and any(i.process is not PACK for i in sched.items):
        raise NetworkError(f"{url}: not the {PACK.value} data pack; nothing was changed")
    name = Path(f"downloaded {PACK.value}.toml")
    own = user_path()
    together = [base_path(), name, *([own] if os.path.isfile(own) else [])]
    try:
        load_schedule(*together, texts={name: data.decode("utf-8-sig")})
    except ScheduleError as e:
        raise NetworkError(
            f"{url}: it does not fit the schedule in use or your own file ({e.lines()[0]}); "
            "nothing was changed"
        ) from None
    return sched


def _install(got: Download, url: str, revision: date, *, force: bool) -> str:
    from poacal.change import locked
    from poacal.errors import OutputError
    from poacal.sources import embedded_pack, file_revision, pack_revision

    assert got.data is not None
    with locked(stored_path(PACK), OutputError):
        current = pack_revision(PACK)
        if revision <= current and not force:
            return f"The ATT data pack is up to date: revision {current}."
        forced = revision <= file_revision(embedded_pack(PACK))
        store(PACK, got.data, fetched_now(url, got.etag, got.last_modified, revision, forced))
        now = pack_revision(PACK)
    return f"The ATT data pack: revision {revision} installed; in use now: revision {now}."
