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
from poacal.errors import (
    EXIT_DATA,
    EXIT_DUE,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_OVERDUE,
    EXIT_STATE,
    EXIT_USAGE,
)
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
    """Each (item, band) once; overdue repeats daily until done; exit code each day."""
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
            if r["id"] == "report":
                seen[(r["id"], r["band"])] += 1
        codes[day] = code
        day += timedelta(days=1)
    assert seen == Counter(
        {
            ("report", "30d"): 1,
            ("report", "7d"): 1,
            ("report", "1d"): 1,
            ("report", "0d"): 1,
            ("report", "overdue"): 3,
        }
    )
    assert codes[date(2026, 4, 14)] == EXIT_OK
    assert codes[date(2026, 4, 15)] == EXIT_DUE
    assert codes[date(2026, 4, 16)] == EXIT_OK
    assert codes[date(2026, 5, 15)] == EXIT_DUE
    assert [codes[date(2026, 5, d)] for d in (16, 17, 18)] == [EXIT_OVERDUE] * 3


def test_a_skipped_week_reports_the_band_it_is_in_now(env: dict[str, str]) -> None:
    assert run(env, "remind", "--once", "--as-of", "2026-04-01")[0] == EXIT_OK
    code, out, _ = run(env, "remind", "--once", "--as-of", "2026-05-10")
    assert code == EXIT_DUE
    assert out == (
        "2026-05-15  due in 5 days (within 7d): NR: National report (source: A/RES/1, "
        "https://undocs.org/A/RES/1)\n"
    )
    assert run(env, "remind", "--once", "--as-of", "2026-05-11") == (EXIT_OK, "", "")
    code, out, _ = run(env, "remind", "--once", "--as-of", "2026-05-14")
    assert "due in 1 day (within 1d):" in out


def test_without_once_everything_within_the_horizon(env: dict[str, str]) -> None:
    for d in range(8, 15):  # every day within 7 days, not only the 7th and the 1st
        code, out, _ = run(env, "remind", "--horizon", "7d", "--as-of", f"2026-05-{d:02}")
        assert code == EXIT_DUE and f"due in {15 - d} day" in out and "(within 7d)" in out
    assert run(env, "remind", "--horizon", "7d", "--as-of", "2026-05-07") == (EXIT_OK, "", "")
    code, out, _ = run(env, "remind", "--as-of", "2026-05-17")
    assert code == EXIT_OVERDUE and out.startswith("2026-05-15  overdue by 2 days: NR")
    assert not Path(env["POACAL_STATE"]).exists()


def test_meetings_by_default_with_their_own_words(env: dict[str, str]) -> None:
    assert run(env, "done", "report", "--on", "2026-05-01")[0] == EXIT_OK
    code, out, _ = run(env, "remind", "--as-of", "2026-06-08")
    assert code == EXIT_DUE and "opens in 7 days (within 7d): BMS" in out
    code, out, _ = run(env, "remind", "--as-of", "2026-06-15")
    assert code == EXIT_DUE and "opens today: BMS" in out
    code, out, _ = run(env, "remind", "--as-of", "2026-06-16")
    assert code == EXIT_DUE and "in session, day 2 of 5: BMS" in out
    assert run(env, "remind", "--as-of", "2026-06-20")[0] == EXIT_OK


def test_weekend_dates_and_confidence_are_said(tmp_path: Path, write: Callable[..., Path]) -> None:
    body = BODY.replace("due = 2026-05-15", "due = 2026-05-16").replace(
        'confidence = "confirmed"\n  due', 'confidence = "reported"\n  due'
    )
    env = {"POACAL_SCHEDULE": str(write(body)), "POACAL_STATE": str(tmp_path / "s.json")}
    code, out, _ = run(env, "remind", "--as-of", "2026-05-14")
    assert code == EXIT_DUE
    assert out.startswith(
        "2026-05-16 (Saturday)  due in 2 days (within 7d): NR: National report [reported]"
    )


def test_embedded_schedule_within_a_horizon() -> None:
    result = CliRunner().invoke(
        app, ["remind", "--as-of", "2026-05-10", "--horizon", "7d"], env={"POACAL_SCHEDULE": ""}
    )
    assert result.exit_code == EXIT_DUE
    assert "due in 5 days (within 7d): NR 2026:" in result.stdout


def test_mandates_only_on_request() -> None:
    env = {"POACAL_SCHEDULE": ""}
    plain = CliRunner().invoke(app, ["remind", "--as-of", "2021-07-20"], env=env)
    assert plain.stdout and "§" not in plain.stdout  # mandate codes read "74/60 §27"
    asked = CliRunner().invoke(
        app, ["remind", "--kind", "mandates", "--as-of", "2021-07-20"], env=env
    )
    assert "74/60 §27" in asked.stdout


def test_dry_run_writes_nothing(env: dict[str, str]) -> None:
    path = Path(env["POACAL_STATE"])
    assert run(env, "remind", "--once", "--as-of", "2026-04-20")[0] == EXIT_DUE
    before = path.read_bytes()
    code, out, _ = run(env, "remind", "--dry-run", "--as-of", "2026-05-10")
    assert code == EXIT_DUE and "due in 5 days" in out
    assert path.read_bytes() == before
    # and what the dry run showed is still to come
    assert "due in 5 days" in run(env, "remind", "--once", "--as-of", "2026-05-10")[1]


def test_once_on_another_day_needs_a_named_state(
    tmp_path: Path, write: Callable[..., Path]
) -> None:
    home_state = Path(os.environ["XDG_STATE_HOME"]) / "poacal" / "state.json"
    env = {"POACAL_SCHEDULE": str(write(BODY))}
    code, out, err = run(env, "remind", "--once", "--as-of", "2026-05-10")
    assert code == EXIT_USAGE and "--dry-run" in err and out == ""
    assert not home_state.exists() and not home_state.parent.exists()
    mine = tmp_path / "try.json"
    assert (
        run(env, "remind", "--once", "--as-of", "2026-05-10", "--state", str(mine))[0] == EXIT_DUE
    )
    assert mine.exists()


@pytest.mark.parametrize("how", ["full", "closed"])
def test_undelivered_reminders_are_not_recorded(env: dict[str, str], how: str) -> None:
    path = Path(env["POACAL_STATE"])
    assert run(env, "remind", "--once", "--as-of", "2026-04-20")[0] == EXIT_DUE
    before = path.read_bytes()
    full = {**os.environ, **env}
    cmd = [sys.executable, "-m", "poacal", "remind", "--once", "--as-of", "2026-05-10"]
    if how == "full":
        with open("/dev/full", "wb") as out:
            r = subprocess.run(cmd, env=full, stdout=out, stderr=subprocess.PIPE, timeout=60)
        code, err = r.returncode, r.stderr
    else:
        p = subprocess.Popen(cmd, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert p.stdout is not None
        p.stdout.close()
        _, err = p.communicate(timeout=60)
        code = p.returncode
    assert code == EXIT_OUTPUT and b"nothing was recorded" in err
    assert path.read_bytes() == before
    assert "due in 5 days" in run(env, "remind", "--once", "--as-of", "2026-05-10")[1]


MOVING = """
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

  [[meeting.decision]]
  taken = 2026-05-20
  source = "A/RES/1"
  paragraph = "3"
  confidence = "confirmed"
  status = "postponed"
  year = 2027

  [[meeting.decision]]
  taken = 2026-09-01
  source = "A/RES/1"
  paragraph = "4"
  confidence = "confirmed"
  status = "scheduled"
  start = 2027-07-26
  end = 2027-07-30

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

[[deadline]]
id = "own"
type = "internal"
code = "OWN"
name = "Inter-ministerial review"

  [[deadline.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-11-07
"""


def band_of(days: int) -> str | None:
    if days < 0:
        return None
    if days == 0:
        return "0d"
    return next((f"{h}d" for h in (1, 7, 30) if days <= h), None)


@pytest.mark.slow
@pytest.mark.parametrize("pattern", ["daily", "weekdays", "weekly", "fortnight-gaps"])
def test_a_simulated_year_of_recipes(
    tmp_path: Path, write: Callable[..., Path], pattern: str
) -> None:
    """Every deadline is announced in each band whenever a run falls inside it, never
    twice; a moved date is announced exactly once."""
    env = {"POACAL_SCHEDULE": str(write(MOVING)), "POACAL_STATE": str(tmp_path / "s.json")}
    days = []
    day = date(2026, 3, 1)
    while day <= date(2027, 8, 15):
        if (
            pattern == "daily"
            or (pattern == "weekdays" and day.weekday() < 5)
            or (pattern == "weekly" and day.weekday() == 0)
            or (pattern == "fortnight-gaps" and not 10 <= day.timetuple().tm_yday % 60 < 24)
        ):
            days.append(day)
        day += timedelta(days=1)
    from poacal.remind import candidate, due_reminders  # noqa: F401 - names the code under test

    told: Counter[tuple[str, str, str]] = Counter()
    moves = []
    for day in days:
        code, out, err = run(
            env, "remind", "--once", "--format", "json", "--as-of", day.isoformat()
        )
        # more than a year after the data's revision (2026-01-01), a note on stderr
        stale = (day - date(2026, 1, 1)).days > 365
        assert err.startswith("poacal: note: the data is") if stale else err == ""
        assert code in (EXIT_OK, EXIT_DUE, EXIT_OVERDUE)
        for r in json.loads(out)["reminders"]:
            if r["reason"] == "moved":
                moves.append((day, r["moved_from"], r["dates"]))
            elif r["reason"] != "overdue":
                told[(r["id"], r["due"], r["band"])] += 1
    assert all(n == 1 for n in told.values()), told
    dues = {"report": date(2026, 5, 15), "own": date(2026, 11, 7)}
    for item, due in dues.items():
        expected = {band_of((due - d).days) for d in days if band_of((due - d).days)}
        assert {b for (i, _, b) in told if i == item} == expected, (item, pattern)
    new_bms = {band_of((date(2027, 7, 26) - d).days) for d in days if date(2026, 9, 1) <= d}
    assert {b for (i, du, b) in told if i == "bms" and du == "2027-07-26"} == {
        b for b in new_bms if b
    } | (
        {"session"}
        if any(date(2027, 7, 27) <= d <= date(2027, 7, 30) for d in days)
        and not any(d == date(2027, 7, 26) for d in days)
        else set()
    )
    # A move is announced once, by the first run after it, to those who knew the old
    # dates: a run within the notice window (90 days) of them; a meeting never within it
    # has nothing to correct.
    assert len(moves) == len(set(moves))
    told_bms_before = any(
        d < date(2026, 5, 20) and (date(2026, 6, 15) - d).days <= 90 for d in days
    )
    if told_bms_before:
        assert [m[1:] for m in moves] == [
            ("15–19 June 2026", "2027 (dates not yet set) (postponed)"),
            ("2027 (dates not yet set) (postponed)", "26–30 July 2027"),
        ]
        first_after = [
            next(d for d in days if d >= t) for t in (date(2026, 5, 20), date(2026, 9, 1))
        ]
        assert [m[0] for m in moves] == first_after
    else:
        assert moves == []


def test_done_and_undo(env: dict[str, str]) -> None:
    assert run(env, "note", "NR", "draft sent to capital", "--on", "2026-04-02")[0] == 0
    assert run(env, "done", "report", "--note", "sent; ref 12, ok", "--on", "2026-04-03")[0] == 0
    assert run(env, "done", "report", "--note", "resent", "--on", "2026-04-04")[0] == 0
    state = json.loads(Path(env["POACAL_STATE"]).read_text())
    assert state["done"]["report"] == {"on": "2026-04-04", "note": None}
    assert [n["text"] for n in state["notes"]["report"]] == [
        "draft sent to capital",
        "sent; ref 12, ok",
        "resent",
    ]
    _code, out, _ = run(env, "deadlines", "--json", "--as-of", "2026-04-05")
    assert [n["on"] for n in json.loads(out)["items"][0]["notes"]] == [
        "2026-04-02",
        "2026-04-03",
        "2026-04-04",
    ]
    _code, out, _ = run(env, "show", "nr", "--as-of", "2026-04-05")
    assert "2026-04-02: draft sent to capital" in out and "2026-04-04: resent" in out
    code, _, err = run(env, "done", "BMS")
    assert code == EXIT_USAGE and "is a meeting" in err
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
        "poacal: error: no item with id or code 'reprot'; did you mean report?\n",
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
            [*py, "note", "bms", "rooms booked", "--on", "2026-05-01"],
            env=full,
            stderr=subprocess.DEVNULL,
        ),
    ]
    for p in procs:
        p.wait(timeout=60)
    state = json.loads(Path(env["POACAL_STATE"]).read_text())
    assert state["notes"]["bms"] == [{"on": "2026-05-01", "text": "rooms booked"}]
    assert state["reported"] == {"report@2026-05-15": ["1d"]}


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


def test_a_state_copy_keeps_every_field() -> None:
    """remind --once writes a copy of the state: a field the copy forgot would be lost."""
    from dataclasses import fields

    from poacal.queries import Done, Note
    from poacal.state import State

    st = State(
        done={"a": Done(on=date(2026, 1, 1))},
        reported={"a@2026-01-01": ["7d"]},
        overdue={"a@2026-01-01": "2026-01-02"},
        seen={"a": "1 January 2026"},
        notes={"a": [Note(on=date(2026, 1, 1), text="x")]},
    )
    assert all(getattr(st, f.name) for f in fields(State)), "fill every field above"
    copy = st.copy()
    assert copy == st and copy.to_json() == st.to_json()
    copy.notes["a"].append(Note(on=date(2026, 1, 2), text="y"))
    copy.reported["a@2026-01-01"].append("1d")
    assert len(st.notes["a"]) == 1 and st.reported["a@2026-01-01"] == ["7d"]


@pytest.mark.slow
@pytest.mark.parametrize("pattern", ["daily", "weekdays", "weekly", "fortnight-gaps"])
def test_a_simulated_year_of_the_embedded_schedule(tmp_path: Path, pattern: str) -> None:
    """The recipes over two years of the embedded schedule (BMS7 postponed and moved,
    NR 2020, the 2021 mandates) plus a delegation's own deadline: each deadline and
    meeting is announced in each band whenever a run falls inside it, never twice."""
    own = tmp_path / "mine.toml"
    own.write_text('[[deadline]]\nid = "review"\nname = "Review"\ndue = 2021-03-06\n')
    env = {
        "POACAL_SCHEDULE": os.pathsep.join(["embedded", str(own)]),
        "POACAL_STATE": str(tmp_path / "s.json"),
    }
    days = []
    day = date(2020, 1, 1)
    while day <= date(2021, 12, 31):
        if (
            pattern == "daily"
            or (pattern == "weekdays" and day.weekday() < 5)
            or (pattern == "weekly" and day.weekday() == 0)
            or (pattern == "fortnight-gaps" and not 10 <= day.timetuple().tm_yday % 60 < 24)
        ):
            days.append(day)
        day += timedelta(days=1)
    told: Counter[tuple[str, str, str]] = Counter()
    moved: list[tuple[date, str, str]] = []
    overdue: Counter[str] = Counter()
    for day in days:
        code, out, err = run(
            env, "remind", "--once", "--format", "json", "--as-of", day.isoformat()
        )
        assert err == "" and code in (EXIT_OK, EXIT_DUE, EXIT_OVERDUE)
        for r in json.loads(out)["reminders"]:
            if r["band"] not in (None, "overdue"):
                told[(r["id"], r["due"], r["band"])] += 1
            if r["reason"] == "moved" and r["id"] == "bms7":
                moved.append((day, r["moved_from"], r["dates"]))
            if r["reason"] == "overdue":
                overdue[r["id"]] += 1
    assert told and all(n == 1 for n in told.values()), told
    # The postponement by decision 74/552 (14 May 2020), a month before BMS7 and before
    # any band, is announced by the first run after it; the new dates too.
    after = next(d for d in days if d >= date(2020, 5, 14))
    assert moved[0] == (after, "15–19 June 2020", "2021 (dates not yet set) (postponed)")
    assert moved[-1][2] == "26–30 July 2021"
    # The views on diversion (due 29 February 2020, closed when BMS7 met in July 2021):
    # daily for a week, then weekly; no longer 517 daily mails.
    assert 0 < overdue["views-diversion-2020"] <= 7 + 73
    for item, due in (("reports-2020", date(2020, 3, 30)), ("review", date(2021, 3, 6))):
        expected = {band_of((due - d).days) for d in days if band_of((due - d).days)}
        assert {b for (i, _, b) in told if i == item} == expected, (item, pattern)
    bms7 = {b for (i, du, b) in told if i == "bms7"}
    assert bms7 and all(du == "2021-07-26" for (i, du, _) in told if i == "bms7")


def remind_json(env: dict[str, str], day: str, *args: str) -> list[dict[str, object]]:
    code, out, err = run(env, "remind", "--once", "--format", "json", "--as-of", day, *args)
    stale = (date.fromisoformat(day) - date(2026, 1, 1)).days > 365
    assert err.startswith("poacal: note: the data is") if stale else err == ""
    assert code in (EXIT_OK, EXIT_DUE, EXIT_OVERDUE), (code, err)
    found: list[dict[str, object]] = json.loads(out)["reminders"]
    return found


@pytest.mark.parametrize(("notice", "announced"), [("60d", True), ("59d", False)])
def test_a_move_inside_the_notice_window_is_announced_before_any_band(
    tmp_path: Path, write: Callable[..., Path], notice: str, announced: bool
) -> None:
    """Like BMS7's postponement (74/552, a month before the meeting): the only run before
    the move is 60 days before the meeting, outside every horizon."""
    env = {"POACAL_SCHEDULE": str(write(MOVING)), "POACAL_STATE": str(tmp_path / "s.json")}
    flags = ("--horizon", "30d", "--notice", notice, "--kind", "meetings")
    assert remind_json(env, "2026-04-16", *flags) == []  # 60 days before 15 June
    moved = [r for r in remind_json(env, "2026-05-20", *flags) if r["reason"] == "moved"]
    if announced:
        assert [(r["id"], r["moved_from"], r["dates"]) for r in moved] == [
            ("bms", "15–19 June 2026", "2027 (dates not yet set) (postponed)")
        ]
        assert remind_json(env, "2026-05-21", *flags) == []  # once
    else:
        assert moved == []


def test_a_postponed_item_is_remembered_until_its_dates_are_set_then_forgotten(
    tmp_path: Path, write: Callable[..., Path]
) -> None:
    state = tmp_path / "s.json"
    env = {"POACAL_SCHEDULE": str(write(MOVING)), "POACAL_STATE": str(state)}
    flags = ("--kind", "meetings")
    remind_json(env, "2026-05-01", *flags)
    assert [r["reason"] for r in remind_json(env, "2026-05-20", *flags)] == ["moved"]
    assert "bms" in json.loads(state.read_text())["last_reported_dates"]  # no date yet
    found = remind_json(env, "2026-09-01", *flags)
    assert [(r["reason"], r["dates"]) for r in found] == [("moved", "26–30 July 2027")]
    # Dated, and more than 90 days away: forgotten, so a move there would stay quiet ...
    assert "bms" not in json.loads(state.read_text())["last_reported_dates"]
    # ... and remembered again, silently, once within 90 days of its dates.
    assert remind_json(env, "2027-04-27", *flags) == []  # 90 days before 26 July 2027
    assert "bms" in json.loads(state.read_text())["last_reported_dates"]


def overdue_days(env: dict[str, str], *flags: str) -> dict[int, str]:
    """Days overdue on which NR (due 2026-05-15) was reminded of in daily runs, with the
    text of each reminder."""
    sent = {}
    day = date(2026, 5, 16)
    while day <= date(2026, 6, 30):
        for r in remind_json(env, day.isoformat(), "--kind", "deadlines", *flags):
            if r["reason"] == "overdue":
                sent[(day - date(2026, 5, 15)).days] = str(r["text"])
                assert r["next_reminder"] is not None
        day += timedelta(days=1)
    return sent


def test_overdue_backs_off_to_weekly_after_a_week_and_stops_when_closed(
    env: dict[str, str],
) -> None:
    sent = overdue_days(env)
    # Daily for days 1 to 7, then weekly, until the meeting it serves (15-19 June) is over.
    assert list(sent) == [1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 35]
    assert sent[6] == "overdue by 6 days (next reminder 2026-05-22)"
    assert sent[7] == "overdue by 7 days (next reminder 2026-05-29)"
    assert sent[35] == "overdue by 35 days (next reminder 2026-06-26)"


def test_overdue_backoff_is_configurable(env: dict[str, str]) -> None:
    assert list(overdue_days(env, "--overdue-daily", "3d", "--overdue-every", "2w")) == [
        1,
        2,
        3,
        17,
        31,
    ]


def test_overdue_every_day_when_asked(env: dict[str, str]) -> None:
    sent = overdue_days(env, "--overdue-daily", "0d", "--overdue-every", "1d")
    assert list(sent) == list(range(1, 36))


def test_after_a_gap_the_backoff_counts_from_the_last_reminder(env: dict[str, str]) -> None:
    assert [r["days"] for r in remind_json(env, "2026-05-17", "--kind", "deadlines")] == [-2]
    # Day 12: more than a week overdue, so the next is a week after day 12, not day 14.
    found = remind_json(env, "2026-05-27", "--kind", "deadlines")
    assert [r["next_reminder"] for r in found] == ["2026-06-03"]
    assert remind_json(env, "2026-06-02", "--kind", "deadlines") == []
    assert len(remind_json(env, "2026-06-03", "--kind", "deadlines")) == 1


@pytest.mark.parametrize(
    "flags",
    [
        ("--notice", "0d"),
        ("--overdue-every", "0d"),
        ("--overdue-daily", "soon"),
        ("--notice", "9999d"),
    ],
)
def test_unreadable_notice_or_backoff_is_a_usage_error(
    env: dict[str, str], flags: tuple[str, str]
) -> None:
    code, out, err = run(env, "remind", *flags)
    assert code == EXIT_USAGE and out == "" and flags[0] in err and "7d or 2w" in err


@pytest.mark.parametrize(
    ("day", "note"), [("2026-12-31", False), ("2027-01-01", False), ("2027-01-02", True)]
)
def test_remind_notes_data_more_than_a_year_old_on_stderr(
    env: dict[str, str], day: str, note: bool
) -> None:
    """Issue 22 #13: years-old data said nothing. A year after its revision (2026-01-01)
    a note on stderr, saying what to run; the reminders on stdout stay as they were."""
    code, out, err = run(env, "remind", "--as-of", day)
    assert code == EXIT_OK and out == ""
    if note:
        assert err == (
            f"poacal: note: the data is 366 days older than {day} (revision 2026-01-01): "
            "newer dates may exist. Run `poacal update --from URL` with the address of a "
            'feed site (README: "Keeping the data current"), or upgrade poacal.\n'
        )
    else:
        assert err == ""


def test_the_moved_lines_name_the_decision_that_moved_the_dates(
    tmp_path: Path, write: Callable[..., Path]
) -> None:
    """The text a mail carries for a move: old and new dates, and the decision that
    made each move (the latest one, not an earlier)."""
    env = {"POACAL_SCHEDULE": str(write(MOVING)), "POACAL_STATE": str(tmp_path / "s.json")}
    flags = ("--once", "--kind", "meetings")
    assert run(env, "remind", *flags, "--as-of", "2026-05-01")[:2] == (EXIT_OK, "")
    code, out, _ = run(env, "remind", *flags, "--as-of", "2026-05-20")
    assert code == EXIT_DUE and out == (
        "moved: BMS 15–19 June 2026 → 2027 (dates not yet set) (postponed) "
        "(A/RES/1, para. 3): A Biennial Meeting of States\n"
    )
    code, out, _ = run(env, "remind", *flags, "--as-of", "2026-09-01")
    assert code == EXIT_DUE and out == (
        "moved: BMS 2027 (dates not yet set) (postponed) → 26–30 July 2027 "
        "(A/RES/1, para. 4): A Biennial Meeting of States\n"
    )


def test_a_line_names_its_source_with_a_link_only_for_a_document(
    tmp_path: Path, write: Callable[..., Path]
) -> None:
    own = tmp_path / "mine.toml"
    own.write_text('[[deadline]]\nid = "review"\nname = "Review"\ndue = 2026-05-20\n')
    env = {"POACAL_SCHEDULE": os.pathsep.join([str(write(BODY)), str(own)])}
    code, out, _ = run(env, "remind", "--horizon", "7d", "--as-of", "2026-05-14")
    assert code == EXIT_DUE and out.splitlines() == [
        "2026-05-15  due in 1 day (within 7d): NR: National report (source: A/RES/1, "
        "https://undocs.org/A/RES/1)",
        "2026-05-20  due in 6 days (within 7d): review: Review [own] (source: your own "
        "schedule file (mine.toml))",
    ]


def test_a_cancellation_names_the_decision_that_cancelled(
    tmp_path: Path, write: Callable[..., Path]
) -> None:
    # The cancellation sets no dates: the line names it, not the decision that set them.
    body = BODY.replace(
        "  end = 2026-06-19\n",
        '  end = 2026-06-19\n\n  [[meeting.decision]]\n  taken = 2026-05-01\n  source = "A/RES/1"\n'
        '  paragraph = "5"\n  confidence = "confirmed"\n  status = "cancelled"\n',
        1,
    )
    env = {"POACAL_SCHEDULE": str(write(body)), "POACAL_STATE": str(tmp_path / "s.json")}
    flags = ("--once", "--kind", "meetings")
    assert run(env, "remind", *flags, "--as-of", "2026-04-30")[:2] == (EXIT_OK, "")
    code, out, _ = run(env, "remind", *flags, "--as-of", "2026-05-01")
    assert code == EXIT_DUE and out == (
        "moved: BMS 15–19 June 2026 → 15–19 June 2026 (cancelled) (A/RES/1, para. 5): "
        "A Biennial Meeting of States\n"
    )


def test_the_json_of_each_kind_of_reminder(tmp_path: Path, write: Callable[..., Path]) -> None:
    """The fields a script reads, for a horizon, a due day, a move; and the process with
    several processes shown."""
    env = {"POACAL_SCHEDULE": str(write(MOVING)), "POACAL_STATE": str(tmp_path / "s.json")}

    def found(day: str, *flags: str) -> list[dict[str, object]]:
        _, out, _ = run(env, "remind", "--format", "json", "--as-of", day, *flags)
        return [
            {k: r[k] for k in ("id", "reason", "days", "horizon", "relative", "text")}
            for r in json.loads(out)["reminders"]
        ]

    assert found("2026-05-08", "--kind", "deadlines") == [
        {
            "id": "report",
            "reason": "horizon",
            "days": 7,
            "horizon": "7d",
            "relative": "in 7 days",
            "text": "due in 7 days (within 7d)",
        }
    ]
    assert found("2026-05-15", "--kind", "deadlines") == [
        {
            "id": "report",
            "reason": "due-today",
            "days": 0,
            "horizon": None,
            "relative": "today",
            "text": "due today",
        }
    ]
    found("2026-05-01", "--once", "--kind", "meetings")
    assert found("2026-05-20", "--once", "--kind", "meetings") == [
        {
            "id": "bms",
            "reason": "moved",
            "days": 0,
            "horizon": None,
            "relative": "today",
            "text": "moved from 15–19 June 2026",
        }
    ]
    _, out, _ = run(env, "remind", "--format", "json", "--as-of", "2026-05-08", "--process", "all")
    assert [r["process"] for r in json.loads(out)["reminders"]] == ["poa"]
    _, out, _ = run(env, "remind", "--format", "json", "--as-of", "2026-05-08")
    assert ["process" in r for r in json.loads(out)["reminders"]] == [False]


def test_an_open_mandates_dates_carry_no_status(write: Callable[..., Path]) -> None:
    """A mandate is "open" as a meeting is "scheduled": its dates alone, as every view
    words them; another status is added in brackets."""
    body = BODY + (
        '\n[[mandate]]\nid = "sg"\ntype = "report"\ncode = "SG"\nname = "A report"\n'
        'addressee = "Secretary-General"\n\n  [[mandate.decision]]\n  taken = 2026-01-01\n'
        '  source = "A/RES/1"\n  confidence = "confirmed"\n  due = 2026-05-20\n  status = "open"\n'
    )
    env = {"POACAL_SCHEDULE": str(write(body))}
    _, out, _ = run(
        env, "remind", "--format", "json", "--kind", "mandates", "--as-of", "2026-05-14"
    )
    assert [(r["id"], r["dates"]) for r in json.loads(out)["reminders"]] == [("sg", "20 May 2026")]


def test_a_session_is_announced_once_when_no_run_fell_on_its_opening_day(
    env: dict[str, str],
) -> None:
    flags = ("--once", "--kind", "meetings")
    assert "opens in 1 day" in run(env, "remind", *flags, "--as-of", "2026-06-14")[1]
    code, out, _ = run(env, "remind", *flags, "--as-of", "2026-06-16")  # no run on the 15th
    assert code == EXIT_DUE and "in session, day 2 of 5" in out
    assert run(env, "remind", *flags, "--as-of", "2026-06-17") == (EXIT_OK, "", "")


def test_an_item_already_told_does_not_hide_the_next(env: dict[str, str]) -> None:
    """Rows come in date order: NR (15 May), already told of its 60-day band, comes
    before BMS (15 June), which enters its own on 16 April: one run tells BMS."""
    flags = ("--once", "--horizon", "60d")
    assert "NR" in run(env, "remind", *flags, "--as-of", "2026-03-16")[1]
    code, out, _ = run(env, "remind", *flags, "--as-of", "2026-04-16")
    assert code == EXIT_DUE and "BMS" in out and "NR" not in out


def test_moves_come_first(tmp_path: Path, write: Callable[..., Path]) -> None:
    env = {"POACAL_SCHEDULE": str(write(MOVING)), "POACAL_STATE": str(tmp_path / "s.json")}
    run(env, "remind", "--once", "--as-of", "2026-05-01")
    _, out, _ = run(env, "remind", "--once", "--as-of", "2026-05-20")
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "moved",
        "2026-05-15  overdue by 5 days (next reminder 2026-05-21)",
    ]
