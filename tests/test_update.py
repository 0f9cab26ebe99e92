"""`poacal update` against a real `poacal serve` on loopback, and every way it can fail
without touching the data in use."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DUE, EXIT_NETWORK, EXIT_OK, EXIT_USAGE
from poacal.load import embedded_path
from tests.conftest import serving

NEWER = "2027-01-15"


def newer_schedule(tmp_path: Path, revision: str = NEWER) -> Path:
    """The embedded schedule with a later revision and BMS10's dates set."""
    text = embedded_path().read_text(encoding="utf-8")
    text = text.replace("revision = 2026-11-30", f"revision = {revision}", 1)
    text += (
        '\n[[meeting]]\nid = "prep-2027"\ntype = "conference"\ncode = "PREP"\n'
        'name = "A meeting only the newer data knows"\n\n  [[meeting.decision]]\n'
        '  taken = 2027-01-10\n  source = "A/RES/74/60"\n  confidence = "unconfirmed"\n'
        "  start = 2028-06-12\n  end = 2028-06-16\n"
    )
    path = tmp_path / f"newer-{revision}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"POACAL_SCHEDULE": ""})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def data_folder() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "poacal"


def snapshot() -> dict[str, bytes]:
    folder = data_folder()
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`poacal serve` of a newer schedule, on a free loopback port."""
    with serving("-s", str(newer_schedule(tmp_path))) as url:
        yield url


def test_update_from_a_feed_site_and_every_command_uses_it(served: str) -> None:
    code, _, err = run("update", "--check", "--from", served)
    assert code == EXIT_DUE and f"revision {NEWER}" in err and snapshot() == {}
    code, _, err = run("update", "--from", served)
    assert code == EXIT_OK, err
    assert f"Updated to revision {NEWER}" in err
    _, out, _ = run("--version")
    assert f"revision {NEWER}" in out and "fetched by `poacal update`" in out
    _, out, _ = run("meetings", "--json", "--all", "--as-of", "2027-02-01")
    assert json.loads(out)["revision"] == NEWER
    prep = next(i for i in json.loads(out)["items"] if i["id"] == "prep-2027")
    assert prep["dates"]["start"] == "2028-06-12"
    _, _, err = run("validate")
    assert "fetched by `poacal update`" in err and NEWER in err
    _, out, _ = run("--as-of", "2027-02-01")
    assert f"Data revision {NEWER}" in out
    # a second update: 304, nothing rewritten (and the URL is remembered)
    before = {p.name: p.stat().st_mtime_ns for p in data_folder().iterdir()}
    code, _, err = run("update")
    assert code == EXIT_OK and "not modified" in err
    assert {p.name: p.stat().st_mtime_ns for p in data_folder().iterdir()} == before
    code, _, _ = run("update", "--check")
    assert code == EXIT_OK
    # and back
    assert run("update", "--revert")[0] == EXIT_OK
    _, out, _ = run("--version")
    assert "revision 2026-11-30" in out and "shipped with poacal" in out


class Canned(BaseHTTPRequestHandler):
    body = b""
    length: int | None = None

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(self.length or len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canned() -> Iterator[type[Canned]]:
    class Handler(Canned):
        pass

    srv = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    Handler.url = f"http://127.0.0.1:{srv.server_address[1]}/"  # type: ignore[attr-defined]
    yield Handler
    srv.shutdown()
    srv.server_close()


def first_update(tmp_path: Path, served_url: str | None = None) -> dict[str, bytes]:
    """Data in use that a failed update must leave alone: a newer schedule, stored."""
    from poacal import update as up
    from poacal.update import Download

    data = newer_schedule(tmp_path).read_bytes()
    up.store(
        data,
        Download(data=data, etag=None, last_modified=None),
        "https://x/s.toml",
        __import__("datetime").date(2027, 1, 15),
    )
    return snapshot()


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("invalid", "not a valid schedule"),
        ("truncated", "cut short"),
        ("older", "is older than the one in use"),
        ("not utf-8", "not UTF-8"),
    ],
)
def test_a_failed_update_changes_nothing(
    tmp_path: Path, canned: type[Canned], what: str, message: str
) -> None:
    before = first_update(tmp_path)
    if what == "invalid":
        canned.body = b'[schedule]\nrevision = 2099-01-01\n[[meeting]]\nid = "x"\n'
    elif what == "truncated":
        canned.body = newer_schedule(tmp_path, "2028-01-01").read_bytes()[:500]
        canned.length = 100_000
    elif what == "older":
        canned.body = newer_schedule(tmp_path, "2026-12-01").read_bytes()
    else:
        canned.body = b'[schedule]\nrevision = 2099-01-01\ntitle = "caf\xe9"\n'
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_NETWORK, err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot() == before


def test_refused_connection_and_plain_http(tmp_path: Path) -> None:
    before = first_update(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    code, _, err = run("update", "--from", f"http://127.0.0.1:{port}/")
    assert code == EXIT_NETWORK and "cannot connect" in err
    code, _, err = run("update", "--from", "http://example.org/poa/")
    assert code == EXIT_USAGE and "not an https URL" in err
    code, _, err = run("update", "--from", "ftp://example.org/poa/")
    assert code == EXIT_USAGE
    assert snapshot() == before


def test_no_source_built_in() -> None:
    code, _, err = run("update")
    assert code == EXIT_USAGE and "poacal has none built in" in err


def test_no_other_command_touches_the_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network use")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for args in (
        [],
        ["meetings", "--all"],
        ["deadlines", "--json"],
        ["mandates"],
        ["status"],
        ["show", "bms7"],
        ["changes", "--since", "1y"],
        ["timeline"],
        ["validate"],
        ["remind"],
        ["export", "ics"],
        ["export", "site", str(tmp_path / "site")],
        ["--version"],
    ):
        code, _, err = run(*args)
        assert code in (EXIT_OK, EXIT_DUE, 11), (args, err)


def test_the_site_publishes_the_schedule_it_was_made_from(tmp_path: Path) -> None:
    import hashlib

    from poacal.load import load_schedule

    site = tmp_path / "site"
    assert run("export", "site", str(site))[0] == EXIT_OK
    data = (site / "schedule.toml").read_bytes()
    meta = json.loads((site / "schedule.meta.json").read_text())
    assert meta == {
        "revision": "2026-11-30",
        "sha256": hashlib.sha256(data).hexdigest(),
        "items": 32,
        "schema": 1,
    }
    again = load_schedule(site / "schedule.toml")
    original = load_schedule()
    assert [i.decisions for i in again.items] == [i.decisions for i in original.items]
    assert again.documents == original.documents
