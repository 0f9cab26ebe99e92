"""`poacal update`: fetch a newer schedule from a feed site (the network code is in
fetch.py; nothing else touches the network).

An update is one transaction (`run`):
1. fetch schedule.toml from the URL given (`--from`, else $POACAL_UPDATE_URL, else the
   URL used last time, checked again; none is built in), with ETag and
   If-Modified-Since, a size cap and one deadline for the whole exchange (a server that
   drips bytes is cut off at DEADLINE, not per read); only https, or http to this
   machine (previews and tests), redirects included;
2. when the site publishes schedule.meta.json beside it, check the file's SHA-256,
   revision and item count against it (a download cut short without a length is
   caught here);
3. parse it once, fully; that parse's revision decides everything after;
4. check it together with the user's own schedule file (an update may not clash with
   an id of theirs or drop an item they extend);
5. install it under the data folder's lock: the newer revision always wins, whatever
   order concurrent runs finish in; `--force` installs an older one and marks it so;
6. say exactly what is in use afterwards;
7. the ATT data pack (att.toml) beside it, when the site has one, in the same deadline,
   checked before anything is installed and installed when newer (packupdate.py).
A failed update never touches the data in use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from poacal.errors import UsageError
from poacal.fetch import (
    META_BYTES,
    Deadline,
    Download,
    NetworkError,
    check_meta,
    check_url,
    download,
    meta_url,
    parse,
)
from poacal.installed import Fetched, folder, record, record_path, stored_path

if TYPE_CHECKING:
    pass


__all__ = ["Fetched", "NetworkError", "folder", "record", "record_path", "stored_path"]


DEADLINE = 20.0  # seconds for a whole fetch: connect, headers and body


def schedule_url(given: str | None) -> str:
    """The URL of the schedule file: from --from, $POACAL_UPDATE_URL or the last update;
    whichever it is, it passes the same https check."""
    base = given or os.environ.get("POACAL_UPDATE_URL")
    if not base:
        last = record()
        if last is None:
            raise UsageError(
                "no update source: give --from URL (a feed site written by `poacal export "
                "site`) or set POACAL_UPDATE_URL; poacal has none built in"
            )
        check_url(last.url, f"the URL remembered in {record_path()}")
        return last.url
    url = base if base.endswith(".toml") else base.rstrip("/") + "/schedule.toml"
    check_url(url, "--from" if given else "POACAL_UPDATE_URL")
    return url


def has_source() -> bool:
    """Whether `poacal update` alone knows where to fetch from."""
    return bool(os.environ.get("POACAL_UPDATE_URL")) or record() is not None


def check_with_own(data: bytes, url: str) -> None:
    """The new schedule together with the user's own schedule file, if any: an update
    may not make their file invalid (a clashing id, an item they extend dropped)."""
    from poacal.errors import ScheduleError
    from poacal.load import load_schedule
    from poacal.sources import user_path

    own = user_path()
    if not os.path.isfile(own):
        return
    name = Path("downloaded schedule.toml")
    try:
        load_schedule(name, own, texts={name: data.decode("utf-8-sig")})
    except ScheduleError as e:
        raise NetworkError(
            f"{url}: the new schedule does not fit your own file ({e.lines()[0]}); nothing "
            "was changed; fix your file, then update again"
        ) from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What an update did, in words for the user, and the revision in use after it."""

    message: str
    in_use: date
    update_exists: bool = False


def run(given: str | None, *, check: bool = False, force: bool = False) -> Outcome:
    """One update, as the module's docstring describes."""
    from poacal import packupdate

    url = schedule_url(given)
    last = record()
    with Deadline(DEADLINE) as deadline:
        got = download(url, last, deadline)
        meta = (
            download(meta_url(url), None, deadline, limit=META_BYTES, optional=True)
            if got.data is not None
            else None
        )
        pack = packupdate.fetch(url, deadline)
    checked = packupdate.check(pack)  # before anything is installed
    outcome = _schedule(url, got, meta, check=check, force=force)
    said, pack_exists = packupdate.settle(checked, check=check, force=force)
    return Outcome(
        message=outcome.message + said,
        in_use=outcome.in_use,
        update_exists=outcome.update_exists or pack_exists,
    )


def _schedule(
    url: str, got: Download, meta: Download | None, *, check: bool, force: bool
) -> Outcome:
    """The PoA's schedule.toml: checked, and installed unless `check`."""
    from poacal.sources import base_revision

    current = base_revision()
    if got.data is None:
        return Outcome(
            message=f"No newer schedule at {url} (not modified); revision {current} stays in use.",
            in_use=current,
        )
    sched = parse(got.data, url)
    if meta is not None and meta.data is not None:
        check_meta(got.data, meta.data, sched, url)
    revision = sched.revision
    if check:
        if revision > current:
            return Outcome(
                message=f"An update exists: revision {revision} at {url} (in use: {current}).",
                in_use=current,
                update_exists=True,
            )
        return Outcome(
            message=f"No newer schedule at {url}: its revision {revision}, in use {current}.",
            in_use=current,
        )
    check_with_own(got.data, url)
    return install(got, url, revision, force=force)


def install(got: Download, url: str, revision: date, *, force: bool = False) -> Outcome:
    """Store a checked schedule under the data folder's lock. The decision is taken
    under the lock against what is in use then, so of two concurrent updates the newer
    revision wins whichever finishes last."""
    from poacal.change import locked
    from poacal.errors import OutputError
    from poacal.installed import SCHEDULE, fetched_now, store
    from poacal.sources import base_revision, embedded_path, file_revision

    assert got.data is not None
    with locked(stored_path(), OutputError):
        current = base_revision()
        if revision < current and not force:
            raise NetworkError(
                f"{url}: revision {revision} is older than the one in use ({current}); "
                "nothing was changed (--force takes it anyway)"
            )
        if revision == current and not force:
            return Outcome(message=f"Already up to date: revision {current}.", in_use=current)
        forced = revision <= file_revision(embedded_path())
        store(SCHEDULE, got.data, fetched_now(url, got.etag, got.last_modified, revision, forced))
        now = base_revision()
    if forced:
        message = (
            f"Installed revision {revision} from {url} (--force; older than or as old as the "
            f"schedule shipped with poacal); in use now: revision {now}. "
            "`poacal update --revert` goes back."
        )
    else:
        message = f"Updated to revision {revision} from {url}; in use now: revision {now}."
    return Outcome(message=message, in_use=now)


def revert() -> bool:
    """Back to the embedded schedule; False if there was nothing to remove. The URL is
    still remembered (so a later `poacal update` needs no --from), without the
    validators of the removed file, which would make the next fetch 'not modified'."""

    from poacal.change import locked
    from poacal.errors import OutputError
    from poacal.files import write_atomic

    with locked(stored_path(), OutputError):
        last = record()
        try:
            stored_path().unlink()
            removed = True
        except FileNotFoundError:
            removed = False
        except OSError as e:
            raise OutputError(f"{stored_path()}: cannot remove: {e.strerror}") from None
        if last is not None:
            kept = last._replace(etag=None, last_modified=None, forced=False)
            write_atomic(record_path(), (kept.to_json() + "\n").encode())
    # the ATT data pack goes back to the shipped one too
    for path in (stored_path("att"), record_path("att")):
        try:
            path.unlink()
            removed = True
        except FileNotFoundError:
            pass
        except OSError as e:
            raise OutputError(f"{path}: cannot remove: {e.strerror}") from None
    return removed
