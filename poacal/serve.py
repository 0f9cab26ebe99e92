"""A small HTTP server for previewing the feed folder, from memory.

Only the site's own paths are served (anything else is 404); only GET and HEAD are
allowed; ETag and Last-Modified give 304 answers; each client gets its own thread with a
timeout, so a slow or broken client cannot hold up the others.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
MAX_PATH = 2048


class Site:
    """The files to serve, with their validators computed once."""

    def __init__(self, files: dict[str, bytes], modified: date) -> None:
        self.files = files
        self.etags = {p: '"' + hashlib.sha256(b).hexdigest()[:32] + '"' for p, b in files.items()}
        self.modified = datetime.combine(modified, time(0), tzinfo=UTC)

    def lookup(self, raw_path: str) -> str | None:
        """The site path for a request path, or None: no traversal, no other files."""
        if len(raw_path) > MAX_PATH:
            return None
        path = unquote(urlsplit(raw_path).path)
        if path in ("", "/"):
            path = "/index.html"
        name = path[1:] if path.startswith("/") else None
        return name if name in self.files else None


class SiteServer(ThreadingHTTPServer):
    """A threading server that holds the site it serves (set once the port is known)."""

    daemon_threads = True

    def __init__(self, site: Site, host: str, port: int) -> None:
        self.site = site
        super().__init__((host, port), Handler)


def make_server(site: Site, host: str, port: int) -> SiteServer:
    return SiteServer(site, host, port)


class Handler(BaseHTTPRequestHandler):
    server_version = "poacal"
    sys_version = ""
    timeout = 10

    @property
    def site(self) -> Site:
        assert isinstance(self.server, SiteServer)
        return self.server.site

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a preview server need not log every request."""

    def _send(self, body: bool) -> None:
        name = self.site.lookup(self.path)
        if name is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not a file of this site")
            return
        etag = self.site.etags[name]
        if self._not_modified(etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        data = self.site.files[name]
        suffix = name[name.rfind(".") :]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", format_datetime(self.site.modified, usegmt=True))
        self.send_header("Cache-Control", "max-age=3600")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_modified(self, etag: str) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= self.site.modified
            except (TypeError, ValueError):
                return False
        return False

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
