"""Reminders for scripts: once and never twice, catch-up, overdue until done, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DATA, EXIT_DUE, EXIT_OK, EXIT_OVERDUE, EXIT_STATE, EXIT_USAGE
from poacal.remind import parse_horizons

BODY = """
[[meeting]]
id = "bms"
type = "biennial-meeting"
code = "BMS"
name = "A Biennial Meeting of States"

  [[meeting.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-15
  end = 2026-06-19

[[deadline]]
id = "report"
type = "national-report"
code = "NR"
name = "National report"
serves = "bms"

  [[deadline.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-05-15
"""


@pytest.fixture
def env(tmp_path: Path, write: Callable[..., Path]) -> dict[str, str]:
    return {"POACAL_SCHEDULE": str(write(BODY)), "POACAL_STATE": str(tmp_path / "st" / "s.json")}


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_horizons() -> None:
    assert parse_horizons("30d,7d,1d") == (30, 7, 1)
    assert parse_horizons("2w, 3d") == (14, 3)
    assert parse_horizons("soon") is None
    assert parse_horizons("0d") is None


def test_a_simulated_month_day_by_day(env: dict[str, str]) -> None:
    """Each (item, horizon) once; overdue repeats daily until done; exit code each day."""
    seen: Counter[tuple[str, str]] = Counter()
    codes = {}
    day = date(2026, 4, 1)
    while day <= date(2026, 5, 20):
        if day == date(2026, 5, 19):
            assert run(env, "done", "report", "--on", "2026-05-19")[0] == 0
        code, out, err = run(
            env, "remind", "--once", "--format", "json", "--as-of", day.isoformat()
        )
        assert err == ""
        found = json.loads(out)["reminders"]
        for r in found:
            seen[(r["id"], r["horizon"] or r["reason"])] += 1
        codes[day] = code
        day += timedelta(days=1)
    assert seen == Counter(
        {
            ("report", "30d"): 1,
            ("report", "7d"): 1,
            ("report", "1d"): 1,
            ("report", "due-today"): 1,
            ("report", "overdue"): 3,
        }
    )
    assert codes[date(2026, 4, 14)] == EXIT_OK
    assert codes[date(2026, 4, 15)] == EXIT_DUE
    assert codes[date(2026, 4, 16)] == EXIT_OK
    assert codes[date(2026, 5, 15)] == EXIT_DUE
    assert [codes[date(2026, 5, d)] for d in (16, 17, 18)] == [EXIT_OVERDUE] * 3
    assert codes[date(2026, 5, 19)] == EXIT_OK


def test_a_skipped_week_is_caught_up_once(env: dict[str, str]) -> None:
    assert run(env, "remind", "--once", "--as-of", "2026-04-01")[0] == EXIT_OK
    code, out, _ = run(env, "remind", "--once", "--as-of", "2026-05-10")
    assert code == EXIT_DUE
    assert (
        out == "2026-05-15  in 5 days: NR: National report (source: A/RES/1, "
        "https://undocs.org/A/RES/1)\n"
    )
    assert run(env, "remind", "--once", "--as-of", "2026-05-11") == (EXIT_OK, "", "")
    code, out, _ = run(env, "remind", "--once", "--as-of", "2026-05-14")
    assert "in 1 day:" in out


def test_without_once_reports_on_horizon_days_only(env: dict[str, str]) -> None:
    assert run(env, "remind", "--as-of", "2026-05-08")[0] == EXIT_DUE
    assert run(env, "remind", "--as-of", "2026-05-09") == (EXIT_OK, "", "")
    code, out, _ = run(env, "remind", "--as-of", "2026-05-17")
    assert code == EXIT_OVERDUE and out.startswith("2026-05-15  overdue by 2 days: NR")
    assert not Path(env["POACAL_STATE"]).exists()


def test_meetings_on_request(env: dict[str, str]) -> None:
    code, out, _ = run(env, "remind", "--kind", "meetings", "--as-of", "2026-06-08")
    assert code == EXIT_DUE and "in 7 days: BMS" in out
    assert run(env, "remind", "--kind", "meetings", "--as-of", "2026-06-17")[0] == EXIT_OK


def test_done_and_undo(env: dict[str, str]) -> None:
    assert run(env, "done", "report", "--note", "sent; ref 12, ok")[0] == 0
    state = json.loads(Path(env["POACAL_STATE"]).read_text())
    assert state["done"]["report"]["note"] == "sent; ref 12, ok"
    _code, out, _ = run(env, "deadlines", "--json")
    assert json.loads(out)["items"][0]["done"]["note"] == "sent; ref 12, ok"
    assert run(env, "undo", "report")[0] == 0
    assert run(env, "undo", "report") == (
        EXIT_USAGE,
        "",
        "poacal: error: 'report' is not marked done\n",
    )


def test_unknown_id_leaves_state_alone(env: dict[str, str]) -> None:
    run(env, "done", "report")
    before = Path(env["POACAL_STATE"]).read_bytes()
    code, _, err = run(env, "done", "reprot")
    assert (code, err) == (
        EXIT_USAGE,
        "poacal: error: no item with id 'reprot'; did you mean report?\n",
    )
    assert Path(env["POACAL_STATE"]).read_bytes() == before


def test_corrupt_state_is_reported_and_kept(env: dict[str, str]) -> None:
    path = Path(env["POACAL_STATE"])
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    for args in (["remind", "--once", "--as-of", "2026-05-10"], ["done", "report"]):
        code, out, err = run(env, *args)
        assert code == EXIT_STATE and out == ""
        assert err == (
            f"poacal: error: {path}: line 1: not valid JSON (Expecting property "
            "name enclosed in double quotes); fix or remove the file (poacal left "
            "it as it is)\n"
        )
        assert path.read_text() == "{not json"
    # a view that would show done marks does not pretend there are none
    code, out, err = run(env, "deadlines")
    assert code == EXIT_STATE and out == "" and "not valid JSON" in err


def test_read_only_state_folder(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated, since the suite may run as root, for whom chmod does not bite."""
    import tempfile

    run(env, "done", "report")
    path = Path(env["POACAL_STATE"])
    before = path.read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, out, err = run(env, "undo", "report")
    assert (code, out) == (EXIT_STATE, "")
    assert err == f"poacal: error: {path}: cannot write: Permission denied\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["s.json", "s.json.lock"]


def test_unwritable_state_file_gives_state_error(env: dict[str, str], tmp_path: Path) -> None:
    """A state path whose folder is a file: no write possible, one clear line."""
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    env = {**env, "POACAL_STATE": str(blocker / "s.json")}
    code, out, err = run(env, "remind", "--once", "--as-of", "2026-05-10")
    assert code == EXIT_STATE and out == ""
    assert err.startswith(f"poacal: error: {blocker / 's.json'}: cannot create the lock file")


def test_an_error_never_looks_like_nothing_due(env: dict[str, str], tmp_path: Path) -> None:
    bad = {**env, "POACAL_SCHEDULE": str(tmp_path / "missing.toml")}
    assert run(bad, "remind")[0] == EXIT_DATA
    assert run(env, "remind", "--horizon", "soon")[0] == EXIT_USAGE
    assert run(env, "remind", "--format", "xml")[0] == EXIT_USAGE


def test_two_processes_at_once_report_each_item_once(env: dict[str, str]) -> None:
    cmd = [sys.executable, "-m", "poacal", "remind", "--once", "--as-of", "2026-05-14"]
    full = {**os.environ, **env}
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full)
        for _ in range(4)
    ]
    results = [
        (p.wait(timeout=60), p.stdout.read(), p.stderr.read())  # type: ignore[union-attr]
        for p in procs
    ]
    outputs = b"".join(r[1] for r in results).decode()
    assert outputs.count("NR: National report") == 1
    assert sorted(r[0] for r in results) == [EXIT_OK] * 3 + [EXIT_DUE]
    assert all(r[2] == b"" for r in results)


def test_done_and_remind_together_lose_no_update(
    env: dict[str, str], write: Callable[..., Path], tmp_path: Path
) -> None:
    full = {**os.environ, **env}
    py = [sys.executable, "-m", "poacal"]
    procs = [
        subprocess.Popen(
            [*py, "remind", "--once", "--as-of", "2026-05-14"], env=full, stdout=subprocess.DEVNULL
        ),
        subprocess.Popen(
            [*py, "done", "bms", "--on", "2026-05-01"], env=full, stderr=subprocess.DEVNULL
        ),
    ]
    for p in procs:
        p.wait(timeout=60)
    state = json.loads(Path(env["POACAL_STATE"]).read_text())
    assert "bms" in state["done"]
    assert state["reported"] == {"report@2026-05-15": ["30d", "7d", "1d"]}


def test_user_schedule_merges_with_file_and_line_errors(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("""
[[document]]
id = "note-1"
title = "Ministry note"
url = "internal:note-1"

[[deadline]]
id = "review-2026"
type = "internal"
code = "Review"
name = "Inter-ministerial review of the national report"
serves = "bms9"

  [[deadline.decision]]
  taken = 2026-03-01
  source = "note-1"
  confidence = "confirmed"
  due = 2026-04-30
""")
    env = {
        "POACAL_SCHEDULE": "",
        "POACAL_STATE": str(tmp_path / "s.json"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    code, out, _ = run(
        env,
        "deadlines",
        "--json",
        "--as-of",
        "2026-04-01",
        "--schedule",
        "embedded",
        "--schedule",
        str(mine),
    )
    ids = [i["id"] for i in json.loads(out)["items"]]
    assert "review-2026" in ids and "reports-2026" in ids
    cfg = tmp_path / "cfg" / "poacal"
    cfg.mkdir(parents=True)
    (cfg / "schedule.toml").write_text(
        mine.read_text().replace('id = "review-2026"', 'id = "bms9"')
    )
    code, _, err = run(env, "validate")
    assert code == EXIT_DATA
    lines = (Path(__file__).parent.parent / "schedule.toml").read_text().splitlines()
    header = max(
        n for n, text in enumerate(lines[: lines.index('id = "bms9"')], 1) if text == "[[meeting]]"
    )
    assert err == (
        f'poacal: error: {cfg / "schedule.toml"}:7: deadline "bms9": id already '
        f"used in schedule.toml:{header} (rename it, or add override = true to "
        "replace that item)\n"
    )
