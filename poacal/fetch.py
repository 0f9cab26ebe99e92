"""The only network code in poacal: a GET with the validators of the last fetch, a size
cap and one deadline for a whole exchange (`download`), only https or http to this
machine, redirects included (`url_allowed`); and the checks every downloaded schedule
file passes before anything is installed (its meta file, one full parse).
Nothing else in poacal touches the network."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from poacal.errors import EXIT_NETWORK, PoacalError, UsageError
from poacal.installed import Fetched

MAX_BYTES = 16 * 1024 * 1024

if TYPE_CHECKING:
    from poacal.model import Schedule


META_BYTES = 64 * 1024


class NetworkError(PoacalError):
    """The schedule could not be downloaded or is not valid: one line, its own code."""

    code = EXIT_NETWORK


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
    found: bool = True  # False: not there (404 or 410, `optional`)


class Deadline:
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

    def __enter__(self) -> Deadline:
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
    deadline: Deadline,
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
            return Download(data=None, etag=None, last_modified=None, found=False)
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


def _timed_out(url: str, deadline: Deadline) -> NetworkError:
    return NetworkError(
        f"{url}: no complete answer within {deadline.seconds:.0f} s; nothing was changed"
    )


def meta_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/schedule.meta.json"


def check_meta(
    data: bytes, meta: bytes, sched: Schedule, url: str, where: str | None = None
) -> None:
    """The file against the site's schedule.meta.json (or `where`): hash, revision and
    item count."""
    import hashlib
    import json

    where = where or meta_url(url)
    try:
        facts = json.loads(meta)
        sha, revision, items = facts["sha256"], facts["revision"], facts["items"]
    except (ValueError, TypeError, KeyError):
        raise NetworkError(f"{where}: not a schedule.meta.json; nothing was changed") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise NetworkError(
            f"{url}: its SHA-256 is not the one in {where.rsplit('/', 1)[-1]} (cut short or "
            "changed on the way?); nothing was changed"
        )
    if revision != sched.revision.isoformat() or items != len(sched.items):
        raise NetworkError(
            f"{url}: revision {sched.revision} with {len(sched.items)} items, but "
            f"{where.rsplit('/', 1)[-1]} says {revision} with {items}; nothing was changed"
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
