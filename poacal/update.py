"""`poacal update`: fetch a newer schedule from a feed site. The only network code in
poacal; nothing else ever touches the network.

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
6. say exactly what is in use afterwards.
A failed update never touches the data in use.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from poacal.errors import EXIT_NETWORK, PoacalError, UsageError
from poacal.installed import Fetched, folder, record, record_path, stored_path

if TYPE_CHECKING:
    from poacal.model import Schedule

__all__ = ["Fetched", "NetworkError", "folder", "record", "record_path", "stored_path"]

DEADLINE = 20.0  # seconds for a whole fetch: connect, headers and body
MAX_BYTES = 16 * 1024 * 1024
META_BYTES = 64 * 1024


class NetworkError(PoacalError):
    """The schedule could not be downloaded or is not valid: one line, its own code."""

    code = EXIT_NETWORK


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


def url_allowed(url: str) -> bool:
    """Only https, or http to a loopback address (a preview with `poacal serve`)."""
    from urllib.parse import urlsplit

    from poacal.serve import is_loopback

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme == "https" and host:
        return True
    return parts.scheme == "http" and bool(host) and is_loopback(host)


def check_url(url: str, where: str = "--from") -> None:
    if not url_allowed(url):
        raise UsageError(
            f"{where}: {url!r} is not an https URL (plain http only to this machine, for previews)"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Download:
    data: bytes | None  # None: not modified (304) or not there (404, `optional`)
    etag: str | None
    last_modified: str | None


class _Deadline:
    """One deadline for a whole fetch. Where the platform has interval timers (and this
    is the main thread), a timer interrupts whatever blocks (a connect, a header that
    never ends); every read also checks the clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self._old: object = None

    def left(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def __enter__(self) -> _Deadline:
        import signal
        import threading

        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

            def expired(signum: int, frame: object) -> None:
                raise TimeoutError

            self._old = signal.signal(signal.SIGALRM, expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        if self._old is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)  # type: ignore[arg-type]


def download(
    url: str,
    last: Fetched | None,
    deadline: _Deadline,
    *,
    limit: int = MAX_BYTES,
    optional: bool = False,
) -> Download:
    """GET `url` with the validators of the last fetch from the same URL, within the
    deadline. With `optional`, a 404 is no file (data None), not an error."""
    import http.client
    import urllib.error
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            if not url_allowed(newurl):  # a redirect may not leave https
                raise NetworkError(
                    f"{url}: redirected to {newurl!r}, which is not https; refused, nothing "
                    "was changed"
                )
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    headers = {"User-Agent": "poacal-update", "Accept": "application/toml, text/plain, */*"}
    if last is not None and last.url == url:
        if last.etag:
            headers["If-None-Match"] = last.etag
        if last.last_modified:
            headers["If-Modified-Since"] = last.last_modified
    opener = urllib.request.build_opener(Redirects)
    request = urllib.request.Request(url, headers=headers)
    too_big = f"{url}: the file is larger than {limit:,} bytes"
    try:
        with opener.open(request, timeout=deadline.left()) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise NetworkError(too_big)
            chunks, size = [], 0
            while True:
                # read1: whatever has arrived, so a server that drips meets the deadline
                chunk = response.read1(min(1 << 16, limit + 1 - size))
                deadline.left()
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise NetworkError(too_big)
            data = b"".join(chunks)
            if length and length.isdigit() and len(data) < int(length):
                raise NetworkError(
                    f"{url}: the download was cut short ({len(data):,} of {int(length):,} "
                    "bytes); nothing was changed"
                )
            return Download(
                data=data,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Download(data=None, etag=last.etag if last else None, last_modified=None)
        if e.code in (404, 410) and optional:
            return Download(data=None, etag=None, last_modified=None)
        raise NetworkError(f"{url}: the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise _timed_out(url, deadline) from None
        reason = e.reason.strerror if isinstance(e.reason, OSError) else e.reason
        raise NetworkError(f"{url}: cannot connect: {reason}") from None
    except TimeoutError:
        raise _timed_out(url, deadline) from None
    except (OSError, http.client.HTTPException, ValueError) as e:
        why = type(e).__name__
        if isinstance(e, http.client.IncompleteRead):
            why = "the download was cut short"
        raise NetworkError(f"{url}: the download failed ({why}); nothing was changed") from None


def _timed_out(url: str, deadline: _Deadline) -> NetworkError:
    return NetworkError(
        f"{url}: no complete answer within {deadline.seconds:.0f} s; nothing was changed"
    )


def meta_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/schedule.meta.json"


def check_meta(data: bytes, meta: bytes, sched: Schedule, url: str) -> None:
    """The file against the site's schedule.meta.json: hash, revision and item count."""
    import hashlib
    import json

    where = meta_url(url)
    try:
        facts = json.loads(meta)
        sha, revision, items = facts["sha256"], facts["revision"], facts["items"]
    except (ValueError, TypeError, KeyError):
        raise NetworkError(f"{where}: not a schedule.meta.json; nothing was changed") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise NetworkError(
            f"{url}: its SHA-256 is not the one in schedule.meta.json (cut short or "
            "changed on the way?); nothing was changed"
        )
    if revision != sched.revision.isoformat() or items != len(sched.items):
        raise NetworkError(
            f"{url}: revision {sched.revision} with {len(sched.items)} items, but "
            f"schedule.meta.json says {revision} with {items}; nothing was changed"
        )


def parse(data: bytes, url: str) -> Schedule:
    """Validate a downloaded schedule fully: the one parse every later step relies on."""
    from poacal.errors import ScheduleError
    from poacal.load import load_schedule

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NetworkError(f"{url}: not UTF-8 text; nothing was changed") from None
    try:
        name = Path("downloaded schedule.toml")
        return load_schedule(name, texts={name: text})
    except ScheduleError as e:
        first = e.lines()[0]
        raise NetworkError(f"{url}: not a valid schedule ({first}); nothing was changed") from None


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
    from poacal.sources import base_revision

    url = schedule_url(given)
    last = record()
    with _Deadline(DEADLINE) as deadline:
        got = download(url, last, deadline)
        meta = (
            download(meta_url(url), None, deadline, limit=META_BYTES, optional=True)
            if got.data is not None
            else None
        )
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
    from poacal.files import write_atomic
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
        write_atomic(stored_path(), got.data)
        note = Fetched(
            url=url,
            etag=got.etag,
            last_modified=got.last_modified,
            fetched=datetime.now(UTC).replace(microsecond=0).isoformat(),
            revision=revision.isoformat(),
            forced=forced,
        )
        write_atomic(record_path(), (note.to_json() + "\n").encode())
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
    from dataclasses import replace

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
            kept = replace(last, etag=None, last_modified=None, forced=False)
            write_atomic(record_path(), (kept.to_json() + "\n").encode())
    return removed
