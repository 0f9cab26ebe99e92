"""`remind --exec` (a command per reminder), per-item lead times (`remind = [...]` on an
item) and `poacal calendar`, at their edges."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DATA, EXIT_DUE, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE
from tests.test_remind import BODY


def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100", **env})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def env(tmp_path: Path, write: Callable[..., Path]) -> dict[str, str]:
    return {"POACAL_SCHEDULE": str(write(BODY)), "POACAL_STATE": str(tmp_path / "s.json")}


def recorder(tmp_path: Path, body: str = "") -> str:
    """A command that appends its POACAL_* environment to a file, then runs `body`."""
    script = tmp_path / "hook.py"
    script.write_text(
        "import json, os, sys\n"
        f"with open({str(tmp_path / 'calls.jsonl')!r}, 'a') as f:\n"
        "    f.write(json.dumps({k: v for k, v in os.environ.items() if k.startswith('POACAL_') "
        "and k not in ('POACAL_SCHEDULE', 'POACAL_STATE', 'POACAL_LANG')}) + '\\n')\n" + body
    )
    return f"{sys.executable} {script}"


def calls(tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "calls.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_exec_runs_once_per_reminder_with_its_fields(env: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = run(env, "remind", "--as-of", "2026-05-10", "--exec", recorder(tmp_path))
    assert code == EXIT_DUE
    got = calls(tmp_path)
    assert [c["POACAL_ID"] for c in got] == ["report"]
    c = got[0]
    assert c["POACAL_CODE"] == "NR" and c["POACAL_KIND"] == "deadline"
    assert c["POACAL_DATE"] == "2026-05-15" and c["POACAL_DAYS"] == "5"
    assert c["POACAL_BAND"] == "7d" and c["POACAL_REASON"] == "horizon"
    assert c["POACAL_SUMMARY"] == out.strip() and c["POACAL_URL"] == "https://undocs.org/A/RES/1"


def test_no_shell_unless_asked(env: dict[str, str], tmp_path: Path) -> None:
    marker = tmp_path / "expanded"
    # without a shell, $POACAL_ID and ; are plain arguments, never run
    cmd = f"{sys.executable} -c pass ; touch {marker}"
    assert run(env, "remind", "--as-of", "2026-05-10", "--exec", cmd)[0] == EXIT_DUE
    assert not marker.exists()
    cmd = f'touch "{tmp_path}/$POACAL_ID"'
    assert run(env, "remind", "--as-of", "2026-05-10", "--exec", cmd, "--shell")[0] == EXIT_DUE
    assert (tmp_path / "report").exists()
    assert run(env, "remind", "--shell")[0] == EXIT_USAGE


def test_once_records_only_what_a_command_delivered(env: dict[str, str], tmp_path: Path) -> None:
    """On 12 June the report is overdue and the meeting 3 days away: the command fails
    for the report only, so only the meeting is recorded and the report comes again."""
    fail = recorder(tmp_path, "sys.exit(3 if os.environ['POACAL_ID'] == 'report' else 0)\n")
    args = ("remind", "--once", "--as-of", "2026-06-12", "--exec", fail)
    code, _, err = run(env, *args)
    assert code == EXIT_OUTPUT and "--exec for report: exit 3" in err
    assert [c["POACAL_ID"] for c in calls(tmp_path)] == ["report", "bms"]
    code, _, _ = run(env, *args)
    assert code == EXIT_OUTPUT
    assert [c["POACAL_ID"] for c in calls(tmp_path)] == ["report", "bms", "report"]


def test_a_failing_and_a_hanging_command(env: dict[str, str], tmp_path: Path) -> None:
    state = Path(env["POACAL_STATE"])
    failing = recorder(tmp_path, "sys.exit(2)\n")
    code, out, err = run(env, "remind", "--once", "--as-of", "2026-05-10", "--exec", failing)
    assert code == EXIT_OUTPUT and "--exec for report: exit 2" in err
    assert "not recorded" in err and "NR" in out
    assert "report@2026-05-15" not in (state.read_text() if state.exists() else "")
    hanging = recorder(tmp_path, "import time\ntime.sleep(60)\n")
    code, _, err = run(
        env, "remind", "--once", "--as-of", "2026-05-10", "--exec", hanging, "--exec-timeout", "0.5"
    )
    assert code == EXIT_OUTPUT and "stopped after 0.5 s" in err
    ok = recorder(tmp_path)
    assert run(env, "remind", "--once", "--as-of", "2026-05-10", "--exec", ok)[0] == EXIT_DUE
    assert "report@2026-05-15" in state.read_text()
    code, _, err = run(env, "remind", "--as-of", "2026-05-10", "--exec", "/no/such/command")
    assert code == EXIT_OUTPUT and "cannot run /no/such/command" in err


def test_per_item_lead_times(tmp_path: Path, write: Callable[..., Path]) -> None:
    body = BODY.replace('serves = "bms"', 'serves = "bms"\nremind = ["42d", "6w", "2d"]')
    env = {"POACAL_SCHEDULE": str(write(body))}
    # 42 days before 15 May: 3 April; the global horizons (30d) would say nothing yet
    assert "NR" in run(env, "remind", "--as-of", "2026-04-03")[1]
    assert "NR" not in run(env, "remind", "--as-of", "2026-04-02")[1]
    assert "within 42d" in run(env, "remind", "--as-of", "2026-04-03")[1]
    assert "within 2d" in run(env, "remind", "--as-of", "2026-05-13")[1]
    _, out, _ = run(env, "show", "report", "--as-of", "2026-04-01")
    assert "42d before, 2d before" in out
    bad = write(BODY.replace('serves = "bms"', 'serves = "bms"\nremind = ["soon"]'), "bad.toml")
    code, _, err = run({"POACAL_SCHEDULE": str(bad)}, "remind")
    assert code == EXIT_DATA and "remind: cannot read 'soon'" in err


def test_calendar_month_grid(env: dict[str, str]) -> None:
    code, out, _ = run(env, "calendar", "2026-06", "--as-of", "2026-06-03")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].strip() == "June 2026" and lines[1].split()[0] == "Mo"
    # the session 15-19 June marked, the 14th and 20th not; Monday first
    week = next(x for x in lines if x.split()[:1] == ["15*"])
    assert week.split() == ["15*", "16*", "17*", "18*", "19*", "20", "21"]
    assert all(len(x) <= 40 for x in lines[:8])
    _, out, _ = run(env, "calendar", "2026-06", "--sunday")
    assert out.splitlines()[1].split()[0] == "Su"
    assert run(env, "calendar", "2026-13")[0] == EXIT_USAGE


def test_calendar_a_session_across_the_end_of_the_month(
    tmp_path: Path, write: Callable[..., Path]
) -> None:
    body = BODY.replace(
        "start = 2026-06-15\n  end = 2026-06-19", "start = 2026-05-28\n  end = 2026-06-02"
    )
    env = {"POACAL_SCHEDULE": str(write(body))}
    may = run(env, "calendar", "2026-05")[1].splitlines()
    june = run(env, "calendar", "2026-06")[1].splitlines()
    assert next(x for x in may if "28" in x.split()[:7] or "28*" in x).split()[-4:] == [
        "28*",
        "29*",
        "30*",
        "31*",
    ]
    assert june[2].split()[:3] == ["1*", "2*", "3"]
    assert "15*" in " ".join(may[:8])  # the report's due day
    # the session is listed in both months, once each
    assert sum(" BMS " in x for x in may) == 1
    assert sum(" BMS " in x for x in june) == 1
