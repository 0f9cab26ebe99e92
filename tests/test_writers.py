"""The one way poacal changes a user's file (change.change / change.changing): `add`,
`done`, `note`, `undo` and the state go through it, so each safeguard is tested once
here for every writer: the lock, limits checked before writing, symlinks, hard links,
a byte-order mark and CRLF line ends kept, a file changed by an editor meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal import change, files
from poacal.cli import app
from poacal.errors import EXIT_OK, EXIT_STATE, EXIT_USAGE, OutputError, StateError


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "160"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def own_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "poacal" / "schedule.toml"


def state_file() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "poacal" / "state.json"


def test_parallel_adds_all_survive(tmp_path: Path) -> None:
    """20 processes add at once: every item is in the file afterwards."""
    env = {**os.environ, "POACAL_SCHEDULE": ""}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "poacal", "add", "deadline", f"Task {n}", "2027-01-15"],
            env=env,
            stderr=subprocess.PIPE,
        )
        for n in range(20)
    ]
    for p in procs:
        assert p.wait(timeout=120) == EXIT_OK, p.stderr.read() if p.stderr else ""
    code, out, _ = run("deadlines", "--json", "--as-of", "2027-01-01")
    assert code == EXIT_OK
    ids = {i["id"] for i in json.loads(out)["items"]}
    assert {f"task-{n}" for n in range(20)} <= ids


def test_a_file_changed_meanwhile_is_changed_again_not_overwritten(tmp_path: Path) -> None:
    """An editor saves between poacal's read and write: the edit is redone on the
    editor's content, so neither is lost."""
    path = tmp_path / "f.txt"
    path.write_bytes(b"one\n")
    calls = []

    def edit(raw: bytes | None) -> bytes:
        calls.append(raw)
        if len(calls) == 1:  # the editor saves while poacal works on the first read
            path.write_bytes(b"one\neditor\n")
        return (raw or b"") + b"poacal\n"

    change.change(path, edit, limit=100, error=OutputError, what="file")
    assert path.read_bytes() == b"one\neditor\npoacal\n" and len(calls) == 2


def test_a_file_that_never_settles_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"one\n")

    def edit(raw: bytes | None) -> bytes:
        path.write_bytes((raw or b"") + b"x")  # changes on every attempt
        return b"poacal\n"

    with pytest.raises(OutputError, match="kept changing"):
        change.change(path, edit, limit=100, error=OutputError, what="file")
    assert path.read_bytes().startswith(b"one\n")


def test_the_limit_is_checked_before_writing_at_its_edge(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    change.change(path, lambda raw: b"x" * 10, limit=10, error=OutputError, what="file")
    assert path.read_bytes() == b"x" * 10
    with pytest.raises(OutputError, match="past the 10 that poacal reads"):
        change.change(path, lambda raw: b"x" * 11, limit=10, error=OutputError, what="file")
    assert path.read_bytes() == b"x" * 10


def test_notes_stop_before_the_state_file_outgrows_its_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from poacal import state

    monkeypatch.setattr(state, "MAX_BYTES", 4000)
    note = "n" * 900
    codes = [run("note", "bms7", note)[0] for _ in range(6)]
    assert codes[:3] == [EXIT_OK] * 3 and codes[-1] == EXIT_STATE
    code, _, err = run("note", "bms7", note)
    assert code == EXIT_STATE and "nothing was changed" in err
    # every command still reads the state, undo and done included
    before = state_file().read_bytes()
    assert len(before) <= 4000
    assert run("show", "bms7")[0] == EXIT_OK
    assert run("done", "reports-2026")[0] in (EXIT_OK, EXIT_STATE)
    assert run("status")[0] == EXIT_OK


def test_one_note_is_at_most_as_long_as_a_text_in_a_schedule() -> None:
    from poacal.vocabulary import MAX_BLOCK

    assert run("note", "bms7", "x" * MAX_BLOCK)[0] == EXIT_OK
    code, _, err = run("note", "bms7", "x" * (MAX_BLOCK + 1))
    assert code == EXIT_USAGE and "at most 10,000" in err
    code, _, err = run("done", "reports-2026", "--note", "y" * (MAX_BLOCK + 1))
    assert code == EXIT_USAGE and not any("y" * 50 in line for line in err.splitlines())


@pytest.mark.parametrize(
    "writer",
    [
        pytest.param(lambda: run("note", "bms7", "a note"), id="note"),
        pytest.param(lambda: run("done", "reports-2026"), id="done"),
    ],
)
def test_state_writers_keep_symlinks_and_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: Callable[[], object]
) -> None:
    real = tmp_path / "real.json"
    real.write_text('{"poacal_state": 1}\n')
    other = tmp_path / "other-name.json"
    os.link(real, other)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    monkeypatch.setenv("POACAL_STATE", str(link))
    writer()
    assert link.is_symlink() and os.path.samefile(real, other)
    assert real.read_text() == other.read_text() != '{"poacal_state": 1}\n'


def test_add_keeps_a_bom_and_crlf_line_ends() -> None:
    path = own_file()
    path.parent.mkdir(parents=True)
    text = '# ours\r\n[[deadline]]\r\nid = "a"\r\nname = "A"\r\ndue = 2027-01-10\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    code, _, err = run("add", "deadline", "Second", "2027-02-01")
    assert code == EXIT_OK, err
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + text.encode())
    assert b"\n" not in data.replace(b"\r\n", b"") and b'id = "second"\r\n' in data


def test_add_to_a_hard_linked_file_keeps_its_other_name(tmp_path: Path) -> None:
    path = own_file()
    path.parent.mkdir(parents=True)
    path.write_text("# ours\n")
    other = tmp_path / "backup-name.toml"
    os.link(path, other)
    assert run("add", "deadline", "Linked", "2027-02-01")[0] == EXIT_OK
    assert os.path.samefile(path, other) and b"linked" in other.read_bytes()


def test_an_output_file_with_hard_links_stays_one_file(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    out.write_bytes(b"old")
    other = tmp_path / "published.ics"
    os.link(out, other)
    assert run("export", "ics", "-o", str(out))[0] == EXIT_OK
    assert os.path.samefile(out, other) and other.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_stale_temporary_file_goes_even_when_the_target_is_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    assert run("export", "ics", "-o", str(out))[0] == EXIT_OK
    stale = tmp_path / f".feed.ics{files.TMP_MARK}999999999.x.tmp"
    stale.write_bytes(b"left by a killed run")
    code, _, err = run("export", "ics", "-o", str(out))
    assert code == EXIT_OK and "up to date" in err and not stale.exists()


def test_the_lock_is_shared_by_every_name_of_a_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with (
        change.locked(real, StateError),
        pytest.raises(StateError, match="locked by another"),
        change.locked(link, StateError, timeout=0.1),
    ):
        pass


def test_done_keeps_its_first_date_and_refuses_the_future() -> None:
    from datetime import date, timedelta

    assert run("done", "reports-2026", "--on", "2026-05-14")[0] == EXIT_OK
    code, _, err = run("done", "reports-2026")
    assert code == EXIT_OK and "already marked done on 2026-05-14" in err
    assert json.loads(state_file().read_text())["done"]["reports-2026"]["on"] == "2026-05-14"
    assert run("done", "reports-2026", "--on", "2026-05-15")[0] == EXIT_OK
    assert json.loads(state_file().read_text())["done"]["reports-2026"]["on"] == "2026-05-15"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    code, _, err = run("done", "reports-2026", "--on", tomorrow)
    assert code == EXIT_USAGE and "is in the future" in err
    assert run("done", "reports-2026", "--on", date.today().isoformat())[0] == EXIT_OK
