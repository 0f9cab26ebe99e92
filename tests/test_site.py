"""The feed folder and the preview server, over real HTTP on loopback."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_INTERRUPTED
from poacal.ical import FeedOptions
from poacal.model import Schedule
from poacal.serve import Site, make_server
from poacal.site import build_site

ENV = {"POACAL_SCHEDULE": ""}
FEEDS = [
    "cycle-2001-2006.ics",
    "cycle-2006-2012.ics",
    "cycle-2012-2018.ics",
    "cycle-2018-2024.ics",
    "cycle-2024-2030.ics",
    "deadlines.ics",
    "mandates.ics",
    "meetings.ics",
    "poacal.ics",
]


def test_export_site_writes_the_folder_and_skips_unchanged(tmp_path: Path) -> None:
    args = [
        "export",
        "site",
        str(tmp_path),
        "--base-url",
        "https://example.org/poa/",
        "--as-of",
        "2026-11-28",
    ]
    first = CliRunner().invoke(app, args, env=ENV)
    assert first.exit_code == 0, first.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            *FEEDS,
            "index.html",
            "schedule.json",
            "schedule.toml",
            "schedule.meta.json",
            "timeline.svg",
        ]
    )
    page = (tmp_path / "index.html").read_text()
    assert 'href="https://example.org/poa/meetings.ics"' in page
    assert 'href="webcal://example.org/poa/meetings.ics"' in page
    assert "<script" not in page
    mtimes = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert first.stderr == ""  # quiet for cron unless asked
    second = CliRunner().invoke(app, [*args, "--verbose"], env=ENV)
    assert second.stderr.endswith(f"{len(FEEDS) + 5} files, 0 changed\n")
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == mtimes


def test_export_site_creates_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "site"
    result = CliRunner().invoke(app, ["export", "site", str(folder)], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert (folder / "index.html").is_file()


def test_export_site_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_bytes(b"years of work")
    result = CliRunner().invoke(app, ["export", "site", str(tmp_path)], env=ENV)
    assert result.exit_code == 5
    assert "holds other files and no poacal.ics" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.docx"]


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_export_site_swaps_the_whole_folder_and_keeps_extras(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 3: a reader sees the old folder or the new one, never a mix; an
    interrupted export leaves the old folder whole and no temporary folder behind."""
    from poacal import files

    site = tmp_path / "site"
    base = ["export", "site", str(site), "--as-of"]
    assert CliRunner().invoke(app, [*base, "2026-01-01"], env=ENV).exit_code == 0
    (site / "CNAME").write_text("feeds.example.org\n")
    before = _contents(site)
    real_open = open
    writes = []

    def interrupted(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode:
            writes.append(path)
            if len(writes) == 3:
                raise KeyboardInterrupt
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", interrupted)
    result = CliRunner().invoke(app, [*base, "2027-06-01"], env=ENV)
    monkeypatch.undo()
    assert result.exit_code == EXIT_INTERRUPTED
    assert _contents(site) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert CliRunner().invoke(app, [*base, "2027-06-01"], env=ENV).exit_code == 0
    assert (site / "CNAME").read_text() == "feeds.example.org\n"
    assert (site / "poacal.ics").read_bytes() != before["poacal.ics"]
    assert files.TMP_MARK not in " ".join(p.name for p in tmp_path.iterdir())


def test_html_escapes_data(embedded: Schedule) -> None:
    hostile = Schedule(
        items=embedded.items,
        documents=embedded.documents,
        revision=embedded.revision,
        title='<script>alert("x")</script> & co',
    )
    page = build_site(hostile, date(2026, 11, 28), FeedOptions())["index.html"].decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page


@pytest.fixture
def server(embedded: Schedule) -> Iterator[tuple[str, int, Site]]:
    site = Site(build_site(embedded, date(2026, 11, 28), FeedOptions()))
    srv = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield "127.0.0.1", srv.server_address[1], site
    srv.shutdown()
    srv.server_close()


def request(
    host: str, port: int, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request(method, path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def test_every_feed_over_http(server: tuple[str, int, Site]) -> None:
    host, port, site = server
    for name in FEEDS:
        status, headers, body = request(host, port, "GET", f"/{name}")
        assert status == 200
        assert headers["content-type"] == "text/calendar; charset=utf-8"
        assert body == site.files[name]
        icalendar.Calendar.from_ical(body)
        etag = headers["etag"]
        assert request(host, port, "GET", f"/{name}", {"If-None-Match": etag})[0] == 304
        assert (
            request(host, port, "GET", f"/{name}", {"If-Modified-Since": headers["last-modified"]})[
                0
            ]
            == 304
        )
        head = request(host, port, "HEAD", f"/{name}")
        assert head[0] == 200 and head[2] == b""
    status, headers, _ = request(host, port, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/../schedule.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/poacal.ics/..",
        "/" + "a" * 5000,
        "/index.html%00",
    ],
)
def test_only_the_site_is_served(server: tuple[str, int, Site], path: str) -> None:
    host, port, _ = server
    status, _, body = request(host, port, "GET", path)
    assert 400 <= status < 500
    assert b"root:" not in body


def test_other_methods_are_refused(server: tuple[str, int, Site]) -> None:
    host, port, _ = server
    for method in ("POST", "PUT", "DELETE"):
        assert request(host, port, method, "/poacal.ics")[0] == 405


def test_a_stalled_client_does_not_block_others(server: tuple[str, int, Site]) -> None:
    import socket

    host, port, _ = server
    stalled = socket.create_connection((host, port))
    stalled.sendall(b"GET /poacal.ics HTTP/1.1\r\nHost: x\r\n")
    try:
        assert request(host, port, "GET", "/poacal.ics")[0] == 200
    finally:
        stalled.close()


def test_serve_command_binds_loopback_and_stops_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "poacal", "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith("Serving http://127.0.0.1:")
        port = int(line.split(":")[2].split("/")[0])
        assert request("127.0.0.1", port, "GET", "/poacal.ics")[0] == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == EXIT_INTERRUPTED  # as the exit-code table says
        assert "Stopped." in proc.stderr.read()
    finally:
        proc.kill()


def test_export_site_into_a_symlinked_folder_writes_where_it_points(tmp_path: Path) -> None:
    webroot = tmp_path / "srv" / "www"
    webroot.mkdir(parents=True)
    link = tmp_path / "site"
    link.symlink_to(webroot)
    for as_of in ("2026-01-01", "2027-06-01"):
        result = CliRunner().invoke(app, ["export", "site", str(link), "--as-of", as_of], env=ENV)
        assert result.exit_code == 0, result.stderr
        assert link.is_symlink() and (webroot / "poacal.ics").is_file()
    assert sorted(p.name for p in (tmp_path / "srv").iterdir()) == ["www"]


def test_export_site_into_a_mount_point_replaces_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "mnt"
    base = ["export", "site", str(site), "--as-of"]
    assert CliRunner().invoke(app, [*base, "2026-01-01"], env=ENV).exit_code == 0
    (site / "CNAME").write_text("feeds.example.org\n")
    inode = site.stat().st_ino
    monkeypatch.setattr("os.path.ismount", lambda p: os.fspath(p) == os.fspath(site))
    result = CliRunner().invoke(app, [*base, "2027-06-01"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert site.stat().st_ino == inode and (site / "CNAME").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["mnt"]
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    assert (
        CliRunner()
        .invoke(app, ["export", "site", str(fresh), "--as-of", "2027-06-01"], env=ENV)
        .exit_code
        == 0
    )
    for p in fresh.iterdir():
        assert (site / p.name).read_bytes() == p.read_bytes(), p.name


def test_the_page_lists_dated_items_first_with_days_left(tmp_path: Path) -> None:
    """Issue 22 #19: the dated items come first, soonest first, each with its days left;
    items whose dates are not set follow; each row has an anchor (its id)."""
    import re

    site = tmp_path / "site"
    code = CliRunner().invoke(app, ["export", "site", str(site), "--as-of", "2026-04-01"])
    assert code.exit_code == 0, code.output
    page = (site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<tr id="([^"]+)">.*?</td><td>[^<]*(?:<span[^>]*>[^<]*</span>)?</td>'
        r"<td>([^<]*)</td>",
        page,
    )
    ids = [i for i, _ in rows]
    left = [days for _, days in rows]
    assert ids[0] == "reports-2026" and left[0] == "in 6 weeks"
    dated = [d for d in left if d != "date not set"]
    assert left[: len(dated)] == dated  # no dated item after an undated one
    assert 'id="bms9"' in page and "Days left" in page


def _export(site: Path, as_of: str) -> str:
    from tests.conftest import FIXTURE

    env = {"POACAL_SCHEDULE": str(FIXTURE)}
    args = ["export", "site", str(site), "--as-of", as_of, "--base-url", "https://example.org/poa/"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    return (site / "index.html").read_text(encoding="utf-8")


def test_each_dated_item_ahead_has_its_own_calendar_file(tmp_path: Path) -> None:
    """Issue 22 #20: one event to add a single meeting (Indico has one per event): the
    same event, same UID, as in the feeds; none for an item whose dates are not set."""
    site = tmp_path / "site"
    page = _export(site, "2026-04-01")
    events = sorted(p.name for p in (site / "events").iterdir())
    assert "bms9.ics" in events and "reports-2026.ics" in events
    assert "reports-2028.ics" not in events and "revcon5.ics" not in events  # not set
    whole = {
        str(e["uid"]): e.to_ical()
        for e in icalendar.Calendar.from_ical((site / "poacal.ics").read_bytes()).walk("VEVENT")
    }
    for name in events:
        cal = icalendar.Calendar.from_ical((site / "events" / name).read_bytes())
        (event,) = cal.walk("VEVENT")
        assert event.to_ical() == whole[str(event["uid"])]
        assert f'href="https://example.org/poa/events/{name}"' in page
    assert "Add BMS9 to your calendar (.ics)" in page


def test_an_item_no_longer_ahead_loses_its_file_and_other_files_stay(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _export(site, "2026-04-01")
    (site / "CNAME").write_text("feeds.example.org\n")
    _export(site, "2026-07-01")  # BMS9 (1-5 June) is over
    assert not (site / "events" / "bms9.ics").exists()
    assert (site / "CNAME").read_text() == "feeds.example.org\n"


def test_the_page_says_what_changed_recently_and_offers_the_feeds_first(tmp_path: Path) -> None:
    """Issue 22 #20, #21: recent changes on the page; the main feeds in the header, before
    the long tables, so a phone reaches them on its first screen."""
    page = _export(tmp_path / "site", "2026-04-01")
    assert page.index('href="webcal://example.org/poa/poacal.ics">Everything</a>') < page.index(
        "<h2>What is next</h2>"
    )
    recent = page[page.index("<h2>Recent changes</h2>") : page.index("<h2>The cycle")]
    # the newest decision first (NR 2026's dates, by 31 March 2026), at most eight rows
    assert recent.index("by 2026-03-31") < recent.index("2025-12-12")
    assert recent.count("<tr>") == 1 + 8 and "poacal changes --since 2025-10-03" in recent
    # the timeline scrolls sideways on a narrow screen, and opens on its own
    assert '<div class="wide" tabindex="0" role="region"' in page
    assert 'href="https://example.org/poa/timeline.svg"' in page


def test_no_recent_decision_is_said(tmp_path: Path) -> None:
    page = _export(tmp_path / "site", "2029-01-01")
    assert "No decision in the data changed a date in the last 180 days." in page
