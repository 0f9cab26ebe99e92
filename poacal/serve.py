"""A small HTTP server for previewing the feed folder, from memory.

Only the site's own paths are served (anything else is 404); only GET and HEAD are
allowed. Conditional requests follow RFC 9110: If-None-Match with weak comparison takes
precedence; If-Modified-Since is ignored when malformed or in the future. Each client
gets its own thread, at most MAX_CONNECTIONS at once (others are turned away at once),
and each connection has READ_TIMEOUT per read and a hard DEADLINE, so slow clients are
dropped while others keep being served. Clients that disconnect are not reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".toml": "application/toml; charset=utf-8",
}
MAX_PATH = 2048
MAX_CONNECTIONS = 32
READ_TIMEOUT = 5.0
DEADLINE = 20.0


class Site:
    """The files to serve, with their validators computed once. `built` is when the
    files were made: Last-Modified, so it changes whenever the content may have."""

    def __init__(
        self,
        files: dict[str, bytes],
        built: datetime | None = None,
        page: Callable[[str], bytes] | None = None,
    ) -> None:
        self.files = files
        self.page = page  # index.html for a base URL, so links follow the Host asked for
        self.etags = {p: '"' + hashlib.sha256(b).hexdigest()[:32] + '"' for p, b in files.items()}
        self.modified = (built or datetime.now(UTC)).replace(microsecond=0)

    def lookup(self, raw_path: str) -> str | None:
        """The site path for a request path, or None: no traversal, no other files."""
        if len(raw_path) > MAX_PATH:
            return None
        path = unquote(urlsplit(raw_path).path)
        if path in ("", "/"):
            path = "/index.html"
        name = path[1:] if path.startswith("/") else None
        return name if name in self.files else None


def is_loopback(host: str) -> bool:
    """Whether `host` can only be reached from this machine."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SiteServer(ThreadingHTTPServer):
    """A threading server that holds the site it serves (set once the port is known)."""

    daemon_threads = True

    def __init__(self, site: Site, host: str, port: int) -> None:
        self.site = site
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host.strip("[]"), port), Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: turn away at once, keep serving others
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away, timed out or sent garbage is not worth a traceback."""


def make_server(site: Site, host: str, port: int) -> SiteServer:
    return SiteServer(site, host, port)


class Handler(BaseHTTPRequestHandler):
    server_version = "poacal"
    sys_version = ""
    timeout = READ_TIMEOUT

    def setup(self) -> None:
        super().setup()
        # However slowly a client trickles its bytes in, it is cut off at the deadline.
        self._deadline = threading.Timer(DEADLINE, self._cut_off)
        self._deadline.daemon = True
        self._deadline.start()

    def _cut_off(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        self._deadline.cancel()
        with contextlib.suppress(OSError):
            super().finish()

    @property
    def site(self) -> Site:
        assert isinstance(self.server, SiteServer)
        return self.server.site

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a preview server need not log every request."""

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(code, message)
        self.send_header("X-Content-Type-Options", "nosniff")

    def _send(self, body: bool) -> None:
        name = self.site.lookup(self.path)
        if name is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not a file of this site")
            return
        data = self.site.files[name]
        etag = self.site.etags[name]
        here = self._base()
        if name == "index.html" and self.site.page is not None and here is not None:
            data = self.site.page(here)
            etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        modified = format_datetime(self.site.modified, usegmt=True)
        if self._not_modified(etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        suffix = name[name.rfind(".") :]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _base(self) -> str | None:
        """http://HOST/ for the Host header, if it is a plain host[:port]."""
        import re

        host = self.headers.get("Host", "")
        if not re.fullmatch(
            r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?", host
        ):
            return None
        return f"http://{host}/"

    def _not_modified(self, etag: str) -> bool:
        """RFC 9110 13.1.2 and 13.1.3: If-None-Match (weak comparison) first; else
        If-Modified-Since, unless it cannot be read or lies in the future."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = [m.strip().removeprefix("W/") for m in match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, OverflowError, IndexError):
            return False
        if when.tzinfo is None or when > datetime.now(UTC):
            return False
        return when >= self.site.modified

    def do_GET(self) -> None:
        self._send(body=True)

    def do_HEAD(self) -> None:
        self._send(body=False)

    def _refuse(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse
