"""`poacal update` against a real `poacal serve` on loopback, and every way it can fail
without touching the data in use."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DUE, EXIT_NETWORK, EXIT_OK, EXIT_USAGE
from poacal.load import load_schedule
from poacal.sources import embedded_path
from tests.conftest import REVISION, serving


def items_count() -> int:
    """The embedded schedule's item count (called in the tests, not at import)."""
    return len(load_schedule(embedded_path()).items)


NEWER = "2027-01-15"


def newer_schedule(tmp_path: Path, revision: str = NEWER) -> Path:
    """The embedded schedule with a later revision and BMS10's dates set."""
    text = embedded_path().read_text(encoding="utf-8")
    text = text.replace(f"revision = {REVISION}", f"revision = {revision}", 1)
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
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix != ".lock"}


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
    assert f"revision {REVISION}" in out and "shipped with poacal" in out


class Canned(BaseHTTPRequestHandler):
    """A server with one schedule.toml (`body`, with a `length` header that may lie, or
    none when `length` is 0) and, if `meta` is set, a schedule.meta.json."""

    body = b""
    length: int | None = None
    meta: bytes | None = None

    def do_GET(self) -> None:
        if self.path.endswith(("/att.toml", "/att.meta.json")):
            self.send_error(404)  # a site without the ATT data pack
            return
        if self.path.endswith("schedule.meta.json"):
            if self.meta is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.meta)))
            self.end_headers()
            self.wfile.write(self.meta)
            return
        self.send_response(200)
        if self.length != 0:
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
    from poacal.fetch import Download

    data = newer_schedule(tmp_path).read_bytes()
    up.install(
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
        "revision": REVISION,
        "sha256": hashlib.sha256(data).hexdigest(),
        "items": items_count(),
        "schema": 1,
    }
    again = load_schedule(site / "schedule.toml")
    original = load_schedule()
    assert [i.decisions for i in again.items] == [i.decisions for i in original.items]
    assert again.documents == original.documents


# An update is one transaction ------------------------------------------------------------


def _meta(data: bytes, revision: str, items: int) -> bytes:
    import hashlib

    return json.dumps(
        {"revision": revision, "sha256": hashlib.sha256(data).hexdigest(), "items": items}
    ).encode()


def test_a_download_cut_short_without_a_length_is_caught_by_the_meta_file(
    tmp_path: Path, canned: type[Canned]
) -> None:
    before = first_update(tmp_path)
    whole = newer_schedule(tmp_path, "2028-01-01").read_bytes()
    cut = whole[: whole.rindex(b"[[meeting]]")]  # still a valid schedule, one item short
    canned.body, canned.length = cut, 0
    canned.meta = _meta(whole, "2028-01-01", items_count() + 1)
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_NETWORK and "SHA-256" in err and snapshot() == before
    # the same file whole passes; a meta file that disagrees on the count does not
    canned.body = whole
    canned.meta = _meta(whole, "2028-01-01", items_count())
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert (
        code == EXIT_NETWORK
        and f"says 2028-01-01 with {items_count()}" in err
        and snapshot() == before
    )
    canned.meta = _meta(whole, "2028-01-01", items_count() + 1)
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_OK and "in use now: revision 2028-01-01" in err, err


def test_the_parse_decides_the_revision_not_the_first_lines(
    tmp_path: Path, canned: type[Canned]
) -> None:
    text = newer_schedule(tmp_path, "2027-03-01").read_text(encoding="utf-8")
    start = text.index("[schedule]\n")
    end = text.index("\n\n", start) + 2
    table, rest = text[start:end], text[:start] + text[end:]
    # a multi-line note whose line reads like a revision, and [schedule] at the end
    late = rest.replace(
        'name = "A meeting only the newer data knows"',
        'name = "A meeting only the newer data knows"\n'
        'description = """\nrevision = 2099-01-01\n"""',
    )
    late += "\n" + table
    canned.body = late.encode()
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_OK and "Updated to revision 2027-03-01" in err, err
    _, out, _ = run("--version")
    assert "revision 2027-03-01" in out and "fetched by `poacal update`" in out
    # a real later update is not refused as "older than 2099"
    canned.body = newer_schedule(tmp_path, "2027-04-01").read_bytes()
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_OK and "in use now: revision 2027-04-01" in err, err


def test_force_installs_an_older_schedule_and_it_is_used(
    tmp_path: Path, canned: type[Canned]
) -> None:
    canned.body = newer_schedule(tmp_path, "2026-06-01").read_bytes()
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_NETWORK and "older" in err and snapshot() == {}
    code, _, err = run("update", "--force", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_OK and "in use now: revision 2026-06-01" in err, err
    _, out, _ = run("--version")
    assert "revision 2026-06-01" in out and "--force" in out
    assert run("update", "--revert")[0] == EXIT_OK
    assert f"revision {REVISION}" in run("--version")[1]


def test_the_newer_revision_wins_whatever_order_installs_finish_in(tmp_path: Path) -> None:
    from datetime import date

    from poacal import fetch
    from poacal import update as up
    from poacal.sources import base_revision

    newer = newer_schedule(tmp_path, "2028-01-01").read_bytes()
    older = newer_schedule(tmp_path, "2027-01-01").read_bytes()
    got = fetch.Download(data=newer, etag=None, last_modified=None)
    up.install(got, "https://x/s.toml", date(2028, 1, 1))
    with pytest.raises(fetch.NetworkError, match="older than the one in use"):
        up.install(
            fetch.Download(data=older, etag=None, last_modified=None),
            "https://x/s.toml",
            date(2027, 1, 1),
        )
    assert base_revision() == date(2028, 1, 1)
    assert up.stored_path().read_bytes() == newer


def test_an_update_that_breaks_the_users_own_file_is_refused(
    tmp_path: Path, canned: type[Canned]
) -> None:
    own = Path(os.environ["XDG_CONFIG_HOME"]) / "poacal" / "schedule.toml"
    own.parent.mkdir(parents=True)
    own.write_text('[[deadline]]\nid = "prep-2027"\nname = "Mine"\ndue = 2027-05-01\n')
    assert run("deadlines", "--json")[0] == EXIT_OK
    canned.body = newer_schedule(tmp_path).read_bytes()  # adds an item with the id prep-2027
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_NETWORK and "does not fit your own file" in err, err
    assert snapshot() == {} and run("deadlines", "--json")[0] == EXIT_OK


def test_a_bom_is_accepted(tmp_path: Path, canned: type[Canned]) -> None:
    canned.body = b"\xef\xbb\xbf" + newer_schedule(tmp_path).read_bytes()
    code, _, err = run("update", "--from", canned.url)  # type: ignore[attr-defined]
    assert code == EXIT_OK, err


def test_a_server_that_drips_is_cut_off_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from poacal import update as up

    stop = threading.Event()

    class Drip(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            while not stop.wait(0.05):  # a byte now and then, never done
                try:
                    self.wfile.write(b"#")
                    self.wfile.flush()
                except OSError:
                    return

        def log_message(self, *args: object) -> None:
            pass

    srv = HTTPServer(("127.0.0.1", 0), Drip)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    monkeypatch.setattr(up, "DEADLINE", 1.0)
    try:
        started = time.monotonic()
        code, _, err = run("update", "--from", f"http://127.0.0.1:{srv.server_address[1]}/")
        took = time.monotonic() - started
    finally:
        stop.set()
        srv.shutdown()
        srv.server_close()
    assert code == EXIT_NETWORK and "no complete answer within 1 s" in err, err
    assert took < 5


def test_redirects_and_remembered_urls_pass_the_same_https_check(
    tmp_path: Path, canned: type[Canned]
) -> None:
    class Away(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", "http://example.org/schedule.toml")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    srv = HTTPServer(("127.0.0.1", 0), Away)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        code, _, err = run("update", "--from", f"http://127.0.0.1:{srv.server_address[1]}/")
    finally:
        srv.shutdown()
        srv.server_close()
    assert code == EXIT_NETWORK and "redirected to 'http://example.org" in err, err
    assert "--from" not in err
    # a planted update.json with a plain-http URL is refused like --from would be
    folder = data_folder()
    folder.mkdir(parents=True)
    (folder / "update.json").write_text(
        json.dumps(
            {"url": "http://example.org/s.toml", "fetched": "2026-01-01", "revision": "2026-01-01"}
        )
    )
    code, _, err = run("update")
    assert code == EXIT_USAGE and "remembered" in err and "not an https URL" in err


def test_an_older_install_updates_to_the_new_data_from_a_feed_site(
    tmp_path: Path, canned: type[Canned]
) -> None:
    """An install whose data predates resolution 80/38 learns it from a site that
    publishes the current data."""
    old_text = embedded_path().read_text(encoding="utf-8")
    # the data as the last round shipped it: revision 2026-11-30, before 80/38
    start = old_text.index('[[document]]\nid = "A/RES/80/38"')
    end = old_text.index("[[document]]", start + 1)
    old_text = old_text[:start] + old_text[end:]
    old_text = old_text.replace(f"revision = {REVISION}", "revision = 2026-11-30", 1)
    old_text = old_text.replace('source = "A/RES/80/38"', 'source = "A/RES/79/40"')
    old_text = old_text.replace('also = ["A/RES/80/38"]', "also = []")
    canned.body = old_text.encode()
    assert run("update", "--force", "--from", canned.url)[0] == EXIT_OK  # type: ignore[attr-defined]
    assert "revision 2026-11-30" in run("--version")[1]
    site = tmp_path / "site"
    assert run("-s", str(embedded_path()), "export", "site", str(site))[0] == EXIT_OK
    meta = json.loads((site / "schedule.meta.json").read_text())
    assert meta["revision"] == REVISION
    with serving("-s", str(embedded_path())) as url:
        code, _, err = run("update", "--from", url)
    assert code == EXIT_OK and f"in use now: revision {REVISION}" in err, err
    _, out, _ = run("show", "bms9", "--as-of", "2025-12-02", "--json")
    assert json.loads(out)["item"]["dates"]["start"] == "2026-06-01"
    assert "A/RES/80/38" in out


def test_revert_keeps_the_url_and_a_later_update_fetches_again(served: str) -> None:
    assert run("update", "--from", served)[0] == EXIT_OK
    assert run("update", "--revert")[0] == EXIT_OK
    assert "shipped with poacal" in run("--version")[1]
    code, _, err = run("update")  # no --from: the URL is remembered, the file fetched anew
    assert code == EXIT_OK and f"Updated to revision {NEWER}" in err, err
    assert run("update", "--revert")[0] == EXIT_OK
    code, _, err = run("update", "--revert")
    assert code == EXIT_OK and "Already using the schedule shipped with poacal" in err


def test_the_staleness_line_says_how_to_update(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date, timedelta

    late = (date.fromisoformat(REVISION) + timedelta(days=200)).isoformat()
    _, out, _ = run("--as-of", late)
    out = " ".join(out.split())
    assert "Run `poacal update --from URL` with the address of a feed site" in out
    monkeypatch.setenv("POACAL_UPDATE_URL", "https://feeds.example.org/poa/")
    _, out, _ = run("--as-of", late)
    assert "Run `poacal update`, or upgrade poacal." in " ".join(out.split())


def test_the_att_data_pack_is_fetched_beside_the_schedule(tmp_path: Path) -> None:
    """A site that publishes att.toml (export site --process all) updates the ATT pack in
    the same run; the schedule of the PoA stays as it is when it is not newer."""
    from poacal.sources import embedded_pack, pack_path, pack_revision

    newer = tmp_path / "att.toml"
    text = embedded_pack("att").read_text(encoding="utf-8")
    newer.write_text(text.replace("revision = 2026-12-03", "revision = 2027-01-10", 1))
    with serving("-s", str(embedded_path()), "-s", str(newer), "--process", "all") as url:
        code, _, err = run("update", "--from", url)
        assert code == EXIT_OK, err
        assert f"Already up to date: revision {REVISION}." in err
        assert "The ATT data pack: revision 2027-01-10 installed" in err
        assert pack_revision("att") == date(2027, 1, 10) and pack_path("att") != embedded_pack(
            "att"
        )
        # the PoA data is untouched; the pack is what --process att shows
        assert "shipped with poacal" in run("--version")[1]
        code, _, err = run("update", "--check", "--from", url)
        assert "The ATT data pack: not modified; revision 2027-01-10 stays in use." in err, err
    code, out, _ = run("--process", "att", "meetings", "--json", "--as-of", "2026-08-01")
    assert json.loads(out)["revision"] == "2027-01-10"
    assert run("update", "--revert")[0] == EXIT_OK
    assert pack_path("att") == embedded_pack("att")


def test_a_broken_att_pack_changes_nothing(tmp_path: Path, canned: type[Canned]) -> None:
    """A site whose att.toml is not valid: the whole update is refused, the PoA's
    schedule included."""
    from poacal.sources import embedded_pack, pack_path

    class WithPack(canned):  # type: ignore[valid-type, misc]
        def do_GET(self) -> None:
            if self.path.endswith("/att.toml"):
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'[schedule]\nrevision = 2027-01-10\nprocess = "att"\n[[x]]\n')
                return
            super().do_GET()

    canned.body = (
        embedded_path()
        .read_bytes()
        .replace(f"revision = {REVISION}".encode(), b"revision = 2027-02-02", 1)
    )
    srv = HTTPServer(("127.0.0.1", 0), WithPack)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        code, _, err = run("update", "--from", f"http://127.0.0.1:{srv.server_address[1]}/")
    finally:
        srv.shutdown()
    assert code == EXIT_NETWORK and "att.toml: not a valid schedule" in err, err
    assert pack_path("att") == embedded_pack("att")
    assert "shipped with poacal" in run("--version")[1]
