"""Regression tests for the second hardening round (issue 12): one test per finding,
named after it. Root-only cases run as root (CI does); permission cases that need an
ordinary user are skipped, with the reason, where none can run poacal."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import (
    EXIT_CODES,
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_STATE,
    EXIT_USAGE,
)
from poacal.files import TMP_MARK, clean_stale, write_atomic
from tests.conftest import HEADER
from tests.test_load import MEETING

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
POACAL = [sys.executable, "-m", "poacal"]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env or {})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def proc(
    *args: str, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*POACAL, *args],
        capture_output=True,
        timeout=60,
        env={**os.environ, "POACAL_SCHEDULE": "", **(env or {})},
        **kw,
    )


# ------------------------------------------------------------- 1-4: data loss ---


@pytest.mark.skipif(not ROOT, reason="replacing /dev/null needs root; CI runs as root")
def test_1_output_onto_dev_null_keeps_the_device() -> None:
    code, _, _ = invoke("export", "ics", "-o", "/dev/null")
    assert code == EXIT_OK
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_1_output_onto_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    # The reader is open before the write (no race with a sleeping `cat`); the feed fits
    # in the pipe's buffer, so it is read once the writer has finished.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, _, err = invoke("export", "ics", "-o", str(fifo))
        chunks = []
        while chunk := os.read(reader, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(reader)
    out = b"".join(chunks)
    assert code == EXIT_OK, err
    assert out.startswith(b"BEGIN:VCALENDAR") and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_1_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    code, _, err = invoke("export", "ics", "-o", str(fifo))
    assert code == EXIT_OUTPUT and "No such device or address" in err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_1_dev_stdout_is_the_stream() -> None:
    r = proc("export", "ics", "-o", "/dev/stdout")
    assert r.returncode == EXIT_OK and r.stdout.startswith(b"BEGIN:VCALENDAR")


def test_2_symlinked_output_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.ics"
    target.write_text("old")
    link = tmp_path / "feed.ics"
    link.symlink_to(target)
    assert invoke("export", "ics", "-o", str(link))[0] == EXIT_OK
    assert link.is_symlink() and target.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_2_read_only_output_is_refused_even_as_root(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    out.write_text("mine")
    out.chmod(0o444)
    code, _, err = invoke("export", "ics", "-o", str(out))
    assert code == EXIT_OUTPUT and "read-only" in err and out.read_text() == "mine"
    assert invoke("export", "ics", "-o", str(out), "--force")[0] == EXIT_OK
    assert stat.S_IMODE(out.stat().st_mode) == 0o444  # the mode is kept


def test_2_read_only_state_file_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    env = {"POACAL_SCHEDULE": "", "POACAL_STATE": str(state)}
    assert invoke("done", "reports-2026", env=env)[0] == EXIT_OK
    state.chmod(0o444)
    before = state.read_bytes()
    code, _, err = invoke("done", "reports-2028", env=env)
    assert code == EXIT_STATE and "read-only" in err and state.read_bytes() == before


def test_2_symlinked_state_file_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    link = tmp_path / "state.json"
    link.symlink_to(real)
    env = {"POACAL_SCHEDULE": "", "POACAL_STATE": str(link)}
    assert invoke("done", "reports-2026", env=env)[0] == EXIT_OK
    assert link.is_symlink() and "reports-2026" in real.read_text()


# Finding 3 (export site swaps whole folders) is
# tests/test_site.py::test_export_site_swaps_the_whole_folder_and_keeps_extras.


def test_4_stale_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run(["true"], check=True)  # noqa: F841 - a pid that has ended
    child = subprocess.Popen(["sleep", "0"])
    child.wait()
    stale = tmp_path / f".feed.ics{TMP_MARK}{child.pid}.abc.tmp"
    stale.write_bytes(b"x" * 1000)
    mine = tmp_path / f".other{TMP_MARK}{os.getpid()}.abc.tmp"
    mine.write_bytes(b"in use")
    write_atomic(tmp_path / "feed.ics", b"data")
    assert not stale.exists() and mine.exists()
    clean_stale(tmp_path)
    assert mine.exists()


def test_4_sigterm_mid_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "import poacal.files as f\n"
        "real = os.fsync\n"
        "def slow(fd):\n"
        "    print('writing', flush=True); time.sleep(30)\n"
        "f.os.fsync = slow\n"
        "sys.argv = ['poacal', 'export', 'ics', '-o', sys.argv[1]]\n"
        "import poacal; poacal.main()\n"
    )
    p = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "feed.ics")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    assert p.stdout is not None and p.stdout.readline() == b"writing\n"
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=20) == EXIT_INTERRUPTED
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------- 5-7: security ---

CONTROL_NOTE = "ok \x1b]52;c;ZXZpbA==\x07 \x1b[2J \x9b31m \x00 end"


def test_5_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {
                "poacal_state": 1,
                "done": {"reports-2026": {"on": "2026-01-05", "note": CONTROL_NOTE}},
            }
        )
    )
    env = {"POACAL_SCHEDULE": "", "POACAL_STATE": str(state), "COLUMNS": "200"}
    for args in (["show", "reports-2026"], ["deadlines"], []):
        code, out, _ = invoke(*args, "--as-of", "2026-04-01", env=env)
        assert code == EXIT_OK
        assert not any(c in out for c in "\x1b\x07\x9b\x00"), args
    code, out, _ = invoke("show", "reports-2026", "--as-of", "2026-04-01", env=env)
    assert "\\x1b]52;c;ZXZpbA==" in out  # shown escaped (Rich drops the BEL itself)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "a\\u001b[31mred"),
        ("code", "X\\u0007"),
        ("name", "a\\nb"),
        ("name", "x\\u202eevil"),
        ("name", "\\u009b31m"),
    ],
)
def test_5_16_validate_rejects_controls_in_one_line_fields(
    tmp_path: Path, key: str, value: str
) -> None:
    body = MEETING.replace('code = "BMS8"', f'code = "{value}"' if key == "code" else 'code = "B"')
    if key == "name":
        body = body.replace('name = "Eighth Biennial Meeting of States"', f'name = "{value}"')
    path = tmp_path / "s.toml"
    path.write_text(HEADER + body + "  year = 2022\n")
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA
    assert f"{key}: contains a control character" in err and f"{path}:" in err


def test_16_cr_lf_in_a_document_url_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEADER.replace('url = "https://undocs.org/A/RES/1"', 'url = "https://x\\r\\n"'))
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA and "url: contains a control character (\\x0d)" in err


def test_5_ical_output_has_no_control_characters() -> None:
    from poacal.text import ical

    assert ical("a\x00b\x07c\x1bd\x0be\x0cf") == "abcdef"
    assert ical("title\rwith CR", multiline=False) == "title with CR"
    assert ical("one\r\ntwo") == "one\ntwo"


def test_5_a_newline_in_a_note_stays_on_one_remind_line() -> None:
    from poacal.text import terminal

    assert terminal("a\nb") == "a\\x0ab"
    assert terminal("a\nb", multiline=True) == "a\nb"
    assert terminal("\ud800") == "\\ud800"


def test_6_no_pickle_cache_is_read(tmp_path: Path) -> None:
    """No module can load code from a file: nothing imports a serializer that runs code
    (the schedule cache, cache.py, is JSON)."""
    import ast

    import poacal

    source = Path(poacal.__file__).parent
    assert not (source / "parsecache.py").exists()
    unsafe = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle"}
    imported = set()
    for path in source.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert "json" in imported and "datetime" in imported  # the walk sees imports
    assert not imported & unsafe


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, int]]:
    from poacal.ical import FeedOptions
    from poacal.load import load_schedule
    from poacal.serve import Site, make_server
    from poacal.site import build_site

    site = Site(build_site(load_schedule(), date(2026, 11, 28), FeedOptions()))
    srv = make_server(site, "127.0.0.1", 0)
    import threading

    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield "127.0.0.1", srv.server_address[1]
    srv.shutdown()
    srv.server_close()


def get(
    host: str, port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def test_7_idle_and_trickling_clients_do_not_crowd_out_others(
    served: tuple[str, int],
) -> None:
    """300 connections sit idle, trickle a header byte by byte or send half a request:
    a normal client is still answered within a second, again and again."""
    host, port = served
    crowd = []
    for n in range(300):
        s = socket.create_connection((host, port), timeout=5)
        if n % 3 == 1:
            s.sendall(b"GET /poacal.ics HTTP/1.1\r\n")  # never finishes its headers
        elif n % 3 == 2:
            s.sendall(b"G")
        crowd.append(s)
    try:
        for n in range(20):
            for s in crowd[2::3][:20]:
                s.sendall(b"E")  # trickle
            started = time.monotonic()
            status = get(host, port, "/" if n % 2 else "/poacal.ics")[0]
            assert status == 200 and time.monotonic() - started < 1.0
    finally:
        for s in crowd:
            s.close()


def test_7_a_client_past_the_header_deadline_is_dropped(
    served: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from poacal import serve

    monkeypatch.setattr(serve, "HEADER_DEADLINE", 0.3)
    host, port = served
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\n")
    assert s.recv(100) == b""  # closed by the server, with no answer to half a request
    s.close()
    assert get(host, port, "/")[0] == 200


def test_7_the_page_is_built_once_per_host(tmp_path: Path) -> None:
    from poacal.serve import Site

    built = []

    def page(base: str) -> bytes:
        built.append(base)
        return base.encode()

    site = Site({"index.html": b""}, page=page)
    for _ in range(3):
        assert site.page_for("http://a/")[0] == b"http://a/"
        site.page_for("http://b/")
    assert built == ["http://a/", "http://b/"]
    for n in range(200):  # a flood of made-up hosts keeps memory bounded
        site.page_for(f"http://h{n}/")
    assert len(site._pages) <= 64


def test_7_host_warnings_and_ipv6(tmp_path: Path) -> None:
    from poacal.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("") and not is_loopback("0.0.0.0") and not is_loopback("::")
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    p = subprocess.Popen(
        [*POACAL, "serve", "--host", "::1", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    try:
        assert p.stderr is not None
        line = p.stderr.readline()
        if "cannot listen" in line:
            pytest.skip(f"IPv6 loopback unavailable here: {line.strip()}")
        assert line.startswith("Serving http://[::1]:"), line
        port = int(line.rsplit(":", 1)[1].split("/")[0])
        assert get("::1", port, "/index.html")[0] == 200
    finally:
        p.send_signal(signal.SIGINT)
        assert p.wait(timeout=10) == EXIT_INTERRUPTED


def test_7_any_other_address_warns() -> None:
    p = subprocess.Popen(
        [*POACAL, "serve", "--host", "0.0.0.0", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    try:
        assert p.stderr is not None
        assert "reachable from the network" in p.stderr.readline()
    finally:
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)


# ------------------------------------------------------ 8-10: hangs and speed ---


def test_8_fifo_as_schedule_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "s.toml"
    os.mkfifo(fifo)
    for args, env in (
        (["validate", str(fifo)], {}),
        (["meetings", "-s", str(fifo)], {}),
        (["meetings"], {"POACAL_SCHEDULE": str(fifo)}),
    ):
        r = proc(*args, env=env)
        assert r.returncode == EXIT_DATA and b"special file" in r.stderr, args


@pytest.mark.parametrize("special", ["fifo", "/dev/stdin", "/dev/zero"])
def test_8_special_state_files_are_refused(tmp_path: Path, special: str) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "state.json"
        os.mkfifo(path)
    env = {"POACAL_STATE": str(path)}
    for args in (["done", "reports-2026"], ["deadlines"], ["remind", "--once"]):
        r = proc(*args, env=env, stdin=subprocess.PIPE)
        assert r.returncode == EXIT_STATE, (args, r.stderr)
        assert b"not a state file" in r.stderr


def test_9_unknown_references_are_checked_in_linear_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: the suggestions (a pass over every id each) are made for a
    fixed number of unknown references, whatever their count."""
    import difflib

    from poacal.merge import MAX_SUGGESTIONS

    calls = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
        calls.append(word)
        return real(word, possibilities, n, cutoff)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    docs = "".join(
        f'[[document]]\nid = "d{i}"\ntitle = "D"\nurl = "https://x/{i}"\n' for i in range(3000)
    )
    items = "".join(
        f'[[deadline]]\nid = "x{i}"\ntype = "internal"\ncode = "X"\nname = "X"\n'
        f'  [[deadline.decision]]\n  source = "unknown-{i}"\n  confidence = "confirmed"\n'
        for i in range(400)
    )
    path = tmp_path / "s.toml"
    path.write_text("[schedule]\nrevision = 2026-01-01\n" + docs + items)
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA and err.count("is not in the document register") == 400
    suggested = [c for c in calls if str(c).startswith("unknown-")]
    assert len(suggested) == MAX_SUGGESTIONS  # 400 before: one pass over 3,000 ids each


def test_9_a_huge_name_is_refused_by_validation(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEADER + MEETING.replace("Eighth", "x" * 1_000_000) + "  year = 2022\n")
    code, _, err = invoke("meetings", "-s", str(path))
    assert code == EXIT_DATA and "characters is too long" in err and len(err) < 2000


def test_10_a_huge_existing_output_is_not_read(tmp_path: Path) -> None:
    out = tmp_path / "big.ics"
    with open(out, "wb") as fh:
        fh.truncate(3 * 1024**3)  # sparse: 3 GB that costs nothing to make
    reads = []
    real = open

    def spy(path: object, mode: str = "r", *a: object, **k: object) -> object:
        if str(path) == str(out) and "r" in mode:
            reads.append(path)
        return real(path, mode, *a, **k)  # type: ignore[call-overload]

    import builtins

    builtins.open = spy  # type: ignore[assignment]
    try:
        assert write_atomic(out, b"small") is True
    finally:
        builtins.open = real
    assert reads == [] and out.read_bytes() == b"small"


# --------------------------------------------------------- 11-16: tracebacks ---


@pytest.mark.parametrize(
    "args",
    [
        ["remind", "--horizon", "²d"],
        ["remind", "--horizon", "9" * 5000 + "d"],
        ["export", "ics", "--alarm", "¹²w"],
        ["changes", "--since", "٣d"],
        ["meetings", "--cycle", "²²²²-2030"],
    ],
)
def test_11_non_ascii_digits_are_usage_errors(args: list[str]) -> None:
    code, _, err = invoke(*args)
    assert code == EXIT_USAGE and err.startswith("poacal: error: ")


@pytest.mark.parametrize("cycle", ["²²²²-2030", "٢٠٢٤-٢٠٣٠"])
def test_11_non_ascii_digits_in_a_cycle_are_invalid(tmp_path: Path, cycle: str) -> None:
    path = tmp_path / "s.toml"
    body = MEETING.replace('code = "BMS8"', f'code = "BMS8"\ncycle = "{cycle}"')
    path.write_text(HEADER + body + "  year = 2022\n")
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA and "cycle: expected" in err


@pytest.mark.parametrize(
    "zone", ["America", "Factory", "posixrules", "right/UTC", "A" * 300, "../../etc/passwd"]
)
def test_12_timezones_must_be_zones(tmp_path: Path, zone: str) -> None:
    body = MEETING + (
        f"  start = 2022-06-27\n  end = 2022-07-01\n  opens = 10:00:00\n"
        f'  closes = 18:00:00\n  timezone = "{zone}"\n'
    )
    path = tmp_path / "s.toml"
    path.write_text(HEADER + body)
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA and "is not a known time zone" in err


@pytest.mark.parametrize(
    ("value", "message"),
    [("due = 9999-12-31", "out of range"), ("due = 0001-01-01", "out of range")],
)
def test_13_edge_dates_in_data(tmp_path: Path, value: str, message: str) -> None:
    body = (
        '[[deadline]]\nid = "x"\ntype = "internal"\ncode = "X"\nname = "X"\n'
        f'  [[deadline.decision]]\n  source = "A/RES/1"\n  confidence = "confirmed"\n  {value}\n'
    )
    path = tmp_path / "s.toml"
    path.write_text(HEADER + body)
    code, _, err = invoke("export", "ics", "-s", str(path))
    assert code == EXIT_DATA and message in err


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "0001-01-01"],
        ["--as-of", "9999-12-31"],
        ["changes", "--since", "9999y"],
        ["deadlines", "--as-of", "+9999y"],
    ],
)
def test_13_edge_dates_on_the_command_line(args: list[str]) -> None:
    code, _, err = invoke(*args)
    assert code == EXIT_USAGE and err.startswith("poacal: error: ")


def test_14_non_utf8_bytes_in_text_options(tmp_path: Path) -> None:
    bad = os.fsdecode(b"\xff\xfe")
    env = {"POACAL_STATE": str(tmp_path / "s.json")}
    for args in (
        ["done", "reports-2026", "--note", bad],
        ["export", "ics", "--uid-domain", bad],
        ["export", "site", str(tmp_path / "site"), "--base-url", bad],
    ):
        r = proc(*[a if a != bad else "\udcff\udcfe" for a in args], env=env)
        assert r.returncode == EXIT_USAGE, (args, r.stderr)
        assert b"Traceback" not in r.stderr


STATE_CONTENTS = [
    '{"poacal_state": 1, "done": {"reports-2026": {"on": "2026-01-01", "note": 5}}}',
    '{"poacal_state": 1, "reported": {"x": "30d"}}',
    '{"poacal_state": 1, "reported": {"x": [1, 2]}}',
    '{"poacal_state": 1, "done": {"reports-2026": {"on": "2026-01-01", "note": "\\ud800"}}}',
    "[" * 100_000 + "]" * 100_000,
    '{"poacal_state": 1, "done": {"x": {"on": ' + "9" * 5000 + "}}}",
    '{"poacal_state": true}',
    '{"poacal_state": 1.0}',
    '{"poacal_state": 1, "done": []}',
    '{"poacal_state": 1, "overdue_reported_on": {"x": "soon"}}',
]


@pytest.mark.parametrize("content", STATE_CONTENTS, ids=range(len(STATE_CONTENTS)))
def test_15_bad_state_contents_exit_4(tmp_path: Path, content: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(content, encoding="utf-8", errors="surrogatepass")
    before = state.read_bytes()
    env = {"POACAL_SCHEDULE": "", "POACAL_STATE": str(state)}
    for args in (["deadlines"], ["remind", "--once"], ["done", "reports-2026"]):
        code, _, err = invoke(*args, env=env)
        assert code == EXIT_STATE, (args, err)
    assert state.read_bytes() == before


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.one_of(
        st.text(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=8),
            lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
            max_leaves=8,
        ).map(lambda v: json.dumps({"poacal_state": 1, "done": v})),
    )
)
@pytest.mark.slow
def test_15_any_state_file_gives_a_working_command_or_exit_4(tmp_path: Path, content: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(content, encoding="utf-8", errors="surrogatepass")
    env = {"POACAL_SCHEDULE": "", "POACAL_STATE": str(state)}
    code, _, _ = invoke("deadlines", "--as-of", "2026-04-01", env=env)
    assert code in (EXIT_OK, EXIT_STATE)


# ------------------------------------------------------------- 17: streams ---


def test_17_full_disk_and_closed_stdout() -> None:
    with open("/dev/full", "wb") as full:
        for args in (["deadlines"], ["deadlines", "--json"], ["export", "ics"]):
            r = subprocess.run(
                [*POACAL, *args],
                stdout=full,
                stderr=subprocess.PIPE,
                env={**os.environ, "POACAL_SCHEDULE": ""},
                timeout=60,
            )
            assert r.returncode == EXIT_OUTPUT, (args, r.stderr)
            assert r.stderr.count(b"\n") == 1 and b"No space left" in r.stderr
    r = subprocess.run(
        [*POACAL, "deadlines"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "POACAL_SCHEDULE": ""},
        preexec_fn=lambda: os.close(1),
        timeout=60,
    )
    assert r.returncode == EXIT_OUTPUT and b"Traceback" not in r.stderr


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}]
)
def test_17_non_utf8_locales_escape(env: dict[str, str]) -> None:
    r = proc("show", "bms9", "--as-of", "2026-01-01", env={**env, "COLUMNS": "120"})
    assert r.returncode == EXIT_OK and b"Traceback" not in r.stderr
    assert b"BMS9" in r.stdout


@pytest.mark.parametrize("args", [["deadlines"], ["--help"], ["meetings", "--all"], []])
def test_17_a_reader_that_stops_at_once(args: list[str]) -> None:
    p = subprocess.Popen(
        [*POACAL, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    assert p.stdout is not None
    p.stdout.close()
    _, err = p.communicate(timeout=60)
    assert p.returncode == EXIT_OK and err == b""


def test_17_errors_with_stderr_closed() -> None:
    r = subprocess.run(
        [*POACAL, "show", "nothing"],
        stdout=subprocess.DEVNULL,
        env={**os.environ, "POACAL_SCHEDULE": ""},
        preexec_fn=lambda: os.close(2),
        timeout=60,
    )
    assert r.returncode == EXIT_USAGE


# --------------------------------------------------------------- 18: server ---


def test_18_conditional_requests(served: tuple[str, int]) -> None:
    host, port = served
    status, headers, _ = get(host, port, "/poacal.ics")
    assert status == 200 and headers["x-content-type-options"] == "nosniff"
    etag, modified = headers["etag"], headers["last-modified"]
    assert get(host, port, "/poacal.ics", {"If-None-Match": "W/" + etag})[0] == 304
    assert get(host, port, "/poacal.ics", {"If-Modified-Since": modified})[0] == 304
    future = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert get(host, port, "/poacal.ics", {"If-Modified-Since": future})[0] == 200
    huge = "Fri, 01 Jan 99999999999 00:00:00 GMT"
    assert get(host, port, "/poacal.ics", {"If-Modified-Since": huge})[0] == 200
    assert get(host, port, "/poacal.ics", {"If-Modified-Since": "yesterday"})[0] == 200
    status, headers, _ = get(host, port, "/nothing")
    assert status == 404 and headers["x-content-type-options"] == "nosniff"


def test_18_last_modified_follows_the_content() -> None:
    from poacal.serve import Site

    a = Site({"x": b"1"})
    time.sleep(1.1)
    b = Site({"x": b"2"})
    assert b.modified > a.modified


def test_18_a_client_that_disconnects_is_silent() -> None:
    p = subprocess.Popen(
        [*POACAL, "serve", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    try:
        assert p.stderr is not None
        port = int(p.stderr.readline().rsplit(":", 1)[1].split("/")[0])
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /poacal.ics HTTP/1.1\r\nHost: x\r\n\r\n")
            s.close()
        # a sixth client, answered in full, after the five that left (no clock involved)
        assert get("127.0.0.1", port, "/poacal.ics")[0] == 200
    finally:
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)
    assert "Traceback" not in p.stderr.read()


# ------------------------------------------------------------ 19: signals ---


def test_19_ctrl_c_at_start_up_exits_130() -> None:
    """From poacal's first line on, signals wait while modules load and then end the run
    with 130. Not timed (a sleep races the machine's load): the child sends itself
    SIGINT, or SIGTERM, in the middle of importing Typer. The interpreter's own start-up,
    before any poacal code runs, is Python's: a Ctrl-C there is Python's own traceback."""
    for sig in ("SIGINT", "SIGTERM"):
        script = (
            "import builtins, os, signal, sys\n"
            "real = builtins.__import__\n"
            "def during(name, *args, **kwargs):\n"
            "    if name == 'typer':\n"
            f"        os.kill(os.getpid(), signal.{sig})\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = during\n"
            "import atexit\n"
            "atexit.register(lambda: print('poacal.cli' in sys.modules))\n"
            "sys.argv = ['poacal', 'deadlines']\n"
            "import poacal; poacal.main()\n"
        )
        p = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            env={**os.environ, "POACAL_SCHEDULE": ""},
            timeout=60,
        )
        assert p.returncode == EXIT_INTERRUPTED, (sig, p.stderr)
        assert b"Traceback" not in p.stderr
        # the signal waited until poacal's modules had loaded, then ended the run
        assert p.stdout == b"True\n"


# ------------------------------------------------------ 20: codes and checks ---


def test_20_every_exit_code_is_documented() -> None:
    codes = {c for c, _ in EXIT_CODES}
    assert {0, 1, 2, 3, 4, 5, 10, 11, 130} <= codes and 120 not in codes


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("schema = true", "schema: expected integer, got boolean true"),
        ("schema = 1.0", "schema: expected integer, got number 1.0"),
        ("title = 5", "title: expected string, got number 5"),
    ],
)
def test_20_loose_schedule_values(tmp_path: Path, schedule: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f"[schedule]\nrevision = 2026-01-01\n{schedule}\n")
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA and message in err


def test_20_a_lone_length_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEADER + MEETING + '  length = "five days"\n')
    code, _, err = invoke("validate", str(path))
    assert code == EXIT_DATA and "length: says how long" in err


def test_20_an_override_cannot_change_the_kind(tmp_path: Path) -> None:
    path = tmp_path / "o.toml"
    path.write_text(
        '[[deadline]]\nid = "bms9"\ntype = "internal"\ncode = "X"\nname = "X"\n'
        "override = true\n"
        '  [[deadline.decision]]\n  source = "A/RES/74/60"\n  confidence = "confirmed"\n'
        "  due = 2026-01-01\n"
    )
    code, _, err = invoke("meetings", "-s", "embedded", "-s", str(path))
    assert code == EXIT_DATA and "bms9 is a meeting" in err


def test_20_unreadable_schedule_exits_3(tmp_path: Path) -> None:
    code, _, err = invoke("meetings", "-s", str(tmp_path / "missing.toml"))
    assert code == EXIT_DATA and "no such file" in err


def test_2_permissions_as_an_unprivileged_user(tmp_path: Path) -> None:
    """As root every folder is writable; the same refusals for an ordinary user, run as
    `nobody` where this machine lets that user run this Python."""
    if not ROOT or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to switch to an unprivileged user")
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*drop, sys.executable, "-c", "import poacal.cli"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.skip(
            "this Python or poacal cannot be run by an unprivileged user here "
            f"({probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else 'no access'})"
        )
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "feed.ics").write_text("old")
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o555)
    env = {**os.environ, "POACAL_SCHEDULE": "", "HOME": str(tmp_path)}
    r = subprocess.run(
        [*drop, sys.executable, "-m", "poacal", "export", "ics", "-o", str(folder / "feed.ics")],
        capture_output=True,
        env=env,
    )
    assert r.returncode == EXIT_OUTPUT and b"Traceback" not in r.stderr
    assert (folder / "feed.ics").read_text() == "old" and sorted(os.listdir(folder)) == ["feed.ics"]
    # a state file that cannot even be looked at is an error, not "nothing done"
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (private / "state.json").write_text('{"poacal_state": 1}')
    for args in ([], ["remind"], ["done", "reports-2026"]):
        r = subprocess.run(
            [*drop, sys.executable, "-m", "poacal", *args],
            capture_output=True,
            env={**env, "POACAL_STATE": str(private / "state.json")},
        )
        assert r.returncode == EXIT_STATE, (args, r.stderr)
        assert b"Permission denied" in r.stderr
    # a schedule the user cannot read is bad data (exit 3) however it is named, never
    # Click's usage error
    secret = tmp_path / "secret.toml"
    secret.write_text("[schedule]\n")
    os.chmod(secret, 0o000)
    for args in (
        ["-s", str(secret), "deadlines"],
        ["deadlines", "-s", str(secret)],
        ["validate", str(secret)],
    ):
        r = subprocess.run(
            [*drop, sys.executable, "-m", "poacal", *args], capture_output=True, env=env
        )
        assert r.returncode == EXIT_DATA, (args, r.stderr)
        assert b"Permission denied" in r.stderr
