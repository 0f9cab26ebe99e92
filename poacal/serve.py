"""A small HTTP server for previewing the feed folder, from memory.

Only the site's own paths are served (anything else is 404); only GET and HEAD are
allowed. Conditional requests follow RFC 9110: If-None-Match with weak comparison takes
precedence; If-Modified-Since is ignored when malformed or in the future.

Idle and slow clients cannot crowd out others: one selector loop accepts every
connection and gathers request headers without a thread per client, dropping a client
that has not sent its headers within HEADER_DEADLINE (and, past MAX_PENDING waiting
clients, the one that has waited longest). A request whose headers are complete joins a
queue served by WORKERS threads; its answer must be taken within DEADLINE. The page,
whose links follow the Host asked for, is built once per host and kept. Clients that
disconnect are not reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote, urlsplit

TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".toml": "application/toml; charset=utf-8",
}
MAX_PATH = 2048
MAX_HEADERS = 16 * 1024  # bytes of request line and headers
MAX_PENDING = 4096  # clients still sending their headers
READ_TIMEOUT = 5.0  # seconds a single write of the answer may block
HEADER_DEADLINE = 10.0  # seconds to send the request line and headers
WORKERS = 8
DEADLINE = 20.0  # seconds for a queued request to be answered and its answer taken
PAGES_KEPT = 64  # pages built for distinct Host headers


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
        self._pages: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def page_for(self, base: str) -> tuple[bytes, str]:
        """index.html for `base` with its ETag, built once per base and kept (at most
        PAGES_KEPT; a flood of made-up Host headers only rebuilds, never grows memory)."""
        with self._lock:
            kept = self._pages.get(base)
        if kept is not None:
            return kept
        assert self.page is not None
        data = self.page(base)
        kept = (data, '"' + hashlib.sha256(data).hexdigest()[:32] + '"')
        with self._lock:
            if len(self._pages) >= PAGES_KEPT:
                self._pages.pop(next(iter(self._pages)))
            self._pages[base] = kept
        return kept

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


class SiteServer:
    """The server (see the module's docstring). `site` may be replaced before serving
    (set once the port is known)."""

    def __init__(self, site: Site, host: str, port: int) -> None:
        self.site = site
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind((host.strip("[]"), port))
            self.socket.listen(1024)
        except BaseException:
            self.socket.close()
            raise
        self.server_address = self.socket.getsockname()
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self, poll_interval: float = 0.25) -> None:
        self._stopped.clear()
        pending: dict[socket.socket, tuple[float, bytearray]] = {}
        work: queue.SimpleQueue[tuple[socket.socket, bytes] | None] = queue.SimpleQueue()
        # Daemon workers: nothing a client does can keep the process from ending.
        workers = [
            threading.Thread(target=self._work, args=(work,), daemon=True, name="poacal-serve")
            for _ in range(WORKERS)
        ]
        for t in workers:
            t.start()
        sel = selectors.DefaultSelector()
        self.socket.setblocking(False)
        sel.register(self.socket, selectors.EVENT_READ)

        def drop(conn: socket.socket) -> None:
            pending.pop(conn, None)
            with contextlib.suppress(KeyError, ValueError, OSError):
                sel.unregister(conn)
            with contextlib.suppress(OSError):
                conn.close()

        try:
            while not self._stop.is_set():
                for key, _ in sel.select(timeout=min(poll_interval, 0.25)):
                    if key.fileobj is self.socket:
                        self._accept(sel, pending, drop)
                        continue
                    conn = key.fileobj
                    assert isinstance(conn, socket.socket)
                    try:
                        data = conn.recv(4096)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        data = b""
                    if not data:
                        drop(conn)
                        continue
                    buf = pending[conn][1]
                    buf += data
                    if b"\r\n\r\n" in buf or b"\n\n" in buf:
                        pending.pop(conn)
                        sel.unregister(conn)
                        work.put((conn, bytes(buf)))
                    elif len(buf) > MAX_HEADERS:
                        drop(conn)
                now = time.monotonic()
                for conn in [c for c, (t, _) in pending.items() if now - t > HEADER_DEADLINE]:
                    drop(conn)
        finally:
            for conn in list(pending):
                drop(conn)
            sel.close()
            for _ in workers:
                work.put(None)
            self._stopped.set()

    def _accept(
        self,
        sel: selectors.BaseSelector,
        pending: dict[socket.socket, tuple[float, bytearray]],
        drop: Callable[[socket.socket], None],
    ) -> None:
        for _ in range(64):  # a burst of clients, without starving the others
            try:
                conn, _ = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, say: the clients waiting are served first
                return
            if len(pending) >= MAX_PENDING:  # the longest-waiting idle client goes
                drop(min(pending, key=lambda c: pending[c][0]))
            conn.setblocking(False)
            pending[conn] = (time.monotonic(), bytearray())
            sel.register(conn, selectors.EVENT_READ)

    def _work(self, work: queue.SimpleQueue[tuple[socket.socket, bytes] | None]) -> None:
        while (job := work.get()) is not None:
            self._answer(*job)

    def _answer(self, conn: socket.socket, head: bytes) -> None:
        try:
            conn.setblocking(True)
            conn.settimeout(READ_TIMEOUT)
            Handler(conn, head, self)
        except Exception:
            pass  # a client that went away or sent garbage is not worth a traceback
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def shutdown(self) -> None:
        """Stop `serve_forever` (from another thread) and wait until it has."""
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        self.socket.close()


def make_server(site: Site, host: str, port: int) -> SiteServer:
    return SiteServer(site, host, port)


class Handler(BaseHTTPRequestHandler):
    """One request whose head (request line and headers) was already read."""

    server_version = "poacal"
    sys_version = ""

    def __init__(self, conn: socket.socket, head: bytes, server: SiteServer) -> None:
        self._head = head
        self._site = server.site
        super().__init__(conn, ("", 0), server)  # type: ignore[arg-type]

    def setup(self) -> None:
        self.connection = self.request
        self.rfile = io.BytesIO(self._head)
        self.wfile = self.connection.makefile("wb")
        # However slowly a client takes its answer, it is cut off at the deadline.
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
        return self._site

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
            data, etag = self.site.page_for(here)
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
