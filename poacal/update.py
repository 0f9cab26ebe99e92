"""`poacal update`: fetch a newer schedule from a feed site. The only network code in
poacal; nothing else ever touches the network.

A feed site (`poacal export site`) publishes `schedule.toml`. `update` downloads it
from the URL given (`--from`, else $POACAL_UPDATE_URL, else the URL used last time;
none is built in), with ETag and If-Modified-Since, a size cap and a timeout; only
https, or http to this machine (previews and tests). The file is validated fully, and
refused if its revision is older than the data in use (unless forced); only then is it
stored, atomically, in the user's data folder with a note of where it came from. From
then on the loader uses the newer of the embedded and the fetched schedule (see
load.base_path). A failed update never touches the data in use.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from poacal.errors import EXIT_NETWORK, PoacalError, UsageError

TIMEOUT = 20.0
MAX_BYTES = 16 * 1024 * 1024


class NetworkError(PoacalError):
    """The schedule could not be downloaded or is not valid: one line, its own code."""

    code = EXIT_NETWORK


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """Where the schedule in the data folder came from (update.json beside it)."""

    url: str
    etag: str | None
    last_modified: str | None
    fetched: str
    revision: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "url": self.url,
                "etag": self.etag,
                "last_modified": self.last_modified,
                "fetched": self.fetched,
                "revision": self.revision,
            },
            indent=2,
        )


def folder() -> Path:
    from poacal.paths import data_dir

    return data_dir()


def stored_path() -> Path:
    return folder() / "schedule.toml"


def record_path() -> Path:
    return folder() / "update.json"


def record() -> Fetched | None:
    """What update.json says, or None if there is none or it cannot be read."""
    from poacal.files import Unreadable, read_regular

    try:
        raw = read_regular(record_path(), 64 * 1024)
        data = json.loads(raw or b"null")
        return Fetched(
            url=str(data["url"]),
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            fetched=str(data["fetched"]),
            revision=str(data["revision"]),
        )
    except (Unreadable, ValueError, TypeError, KeyError):
        return None


def schedule_url(given: str | None) -> str:
    """The URL of the schedule file: from --from, $POACAL_UPDATE_URL or the last update."""
    base = given or os.environ.get("POACAL_UPDATE_URL")
    if not base:
        last = record()
        if last is None:
            raise UsageError(
                "no update source: give --from URL (a feed site written by `poacal export "
                "site`) or set POACAL_UPDATE_URL; poacal has none built in"
            )
        return last.url
    url = base if base.endswith(".toml") else base.rstrip("/") + "/schedule.toml"
    check_url(url)
    return url


def check_url(url: str) -> None:
    """Only https, or http to a loopback address (a preview with `poacal serve`)."""
    from urllib.parse import urlsplit

    from poacal.serve import is_loopback

    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host and is_loopback(host):
        return
    raise UsageError(
        f"--from: {url!r} is not an https URL (plain http only to this machine, for previews)"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Download:
    data: bytes | None  # None: not modified (304)
    etag: str | None
    last_modified: str | None


def download(url: str, last: Fetched | None) -> Download:
    """GET `url` with the validators of the last fetch from the same URL."""
    import http.client
    import urllib.error
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            check_url(newurl)  # a redirect may not leave https
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    headers = {"User-Agent": "poacal-update", "Accept": "application/toml, text/plain, */*"}
    if last is not None and last.url == url:
        if last.etag:
            headers["If-None-Match"] = last.etag
        if last.last_modified:
            headers["If-Modified-Since"] = last.last_modified
    opener = urllib.request.build_opener(Redirects)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise NetworkError(f"{url}: the file is larger than {MAX_BYTES:,} bytes")
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise NetworkError(f"{url}: the file is larger than {MAX_BYTES:,} bytes")
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
        raise NetworkError(f"{url}: the server answered {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason.strerror if isinstance(e.reason, OSError) else e.reason
        raise NetworkError(f"{url}: cannot connect: {reason}") from None
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as e:
        why = "timed out" if isinstance(e, TimeoutError) else type(e).__name__
        if isinstance(e, http.client.IncompleteRead):
            why = "the download was cut short"
        raise NetworkError(f"{url}: the download failed ({why})") from None


def revision_of(data: bytes, url: str) -> date:
    """Validate a downloaded schedule fully and give its revision."""
    from poacal.errors import ScheduleError
    from poacal.load import load_schedule

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NetworkError(f"{url}: not UTF-8 text; nothing was changed") from None
    try:
        name = Path("downloaded schedule.toml")
        sched = load_schedule(name, texts={name: text})
    except ScheduleError as e:
        first = e.lines()[0]
        raise NetworkError(f"{url}: not a valid schedule ({first}); nothing was changed") from None
    return sched.revision


def store(data: bytes, got: Download, url: str, revision: date) -> None:
    from poacal.errors import OutputError
    from poacal.files import write_atomic

    try:
        folder().mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{folder()}: cannot create the folder: {e.strerror}") from None
    write_atomic(stored_path(), data)
    note = Fetched(
        url=url,
        etag=got.etag,
        last_modified=got.last_modified,
        fetched=datetime.now(UTC).replace(microsecond=0).isoformat(),
        revision=revision.isoformat(),
    )
    write_atomic(record_path(), (note.to_json() + "\n").encode())


def revert() -> bool:
    """Back to the embedded schedule; False if there was nothing to remove."""
    from poacal.errors import OutputError

    removed = False
    for path in (stored_path(), record_path()):
        try:
            path.unlink()
            removed = True
        except FileNotFoundError:
            pass
        except OSError as e:
            raise OutputError(f"{path}: cannot remove: {e.strerror}") from None
    return removed
