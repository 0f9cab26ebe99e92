"""Each command through Typer's CliRunner: wiring, exit codes, exact error lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_CODES, EXIT_DATA, EXIT_USAGE
from tests.conftest import FIXTURE

ROOT = Path(__file__).resolve().parent.parent
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "POACAL_SCHEDULE": ""}


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


GOLDEN_DATA = {"POACAL_SCHEDULE": str(FIXTURE)}  # goldens: the frozen fixture data


def test_dashboard_as_of_2020(golden: Callable[[str, str], None]) -> None:
    code, out, _ = run("--as-of", "2020-01-01", env=GOLDEN_DATA)
    assert code == 0
    assert "Next meeting: BMS7" in out
    golden("dashboard-2020-01-01.txt", out)


def test_meetings_bms7_before_and_after_postponement() -> None:
    code, out, _ = run("meetings", "--as-of", "2020-01-01")
    assert code == 0
    assert re.search(r"BMS7\s+Seventh Biennial.*15–19 June 2020\s+upcoming", out)
    code, out, _ = run("meetings", "--as-of", "2021-06-01")
    assert re.search(r"BMS7\s+Seventh Biennial.*26–30 July 2021\s+upcoming", out)


def test_show_bms7_has_its_postponement() -> None:
    code, out, _ = run("show", "bms7", "--as-of", "2021-06-01")
    assert code == 0
    assert "decision 74/552" in out and "postponed" in out
    assert "Set by A/RES/75/241." in out
    assert "26–30 July 2021" in out


def test_status_table_golden(golden: Callable[[str, str], None]) -> None:
    code, out, _ = run("status", "--as-of", "2026-11-28", env=GOLDEN_DATA)
    assert code == 0
    golden("status-2026-11-28.txt", out)


def test_deadlines_json_golden(golden: Callable[[str, str], None]) -> None:
    code, out, _ = run("deadlines", "--json", "--all", "--as-of", "2020-01-01", env=GOLDEN_DATA)
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    # the 2016 round and, from 74/60 (12 December 2019), the 2020 deadlines
    assert [i["id"] for i in data["items"]][:4] == [
        "reports-2012",
        "reports-2016",
        "views-diversion-2020",
        "reports-2020",
    ]
    golden("deadlines-2020-01-01.json", out)


def test_json_is_byte_identical_between_runs() -> None:
    assert (
        run("status", "--json", "--as-of", "2024-01-01")[1]
        == run("status", "--json", "--as-of", "2024-01-01")[1]
    )


def test_show_json_explains_a_tied_date() -> None:
    _code, out, _ = run("show", "sec-trends-analysis", "--json", "--as-of", "2021-01-01")
    item = json.loads(out)["item"]
    assert item["dates"]["start"] == "2021-07-26"
    assert item["tied_to"] == "bms7"
    assert item["date_explained"].startswith("Due by the opening day of BMS7, 26 July 2021")


def test_changes_newest_first() -> None:
    _code, out, _ = run("changes", "--since", "2020-01-01", "--as-of", "2021-01-01", "--json")
    taken = [c["taken"] for c in json.loads(out)["changes"]]
    assert taken == sorted(taken, reverse=True)
    postponed = [
        (c["id"], c["follows"], c["changed"][0]["after"])
        for c in json.loads(out)["changes"]
        if c["status"] == "postponed"
    ]
    # The meeting's own change, then the mandates due at its opening that moved with it.
    assert postponed == [
        ("bms7", None, "2021 (dates not yet set)"),
        ("sg-diversion-views", "bms7", "2021 (dates not yet set)"),
        ("sec-trends-analysis", "bms7", "2021 (dates not yet set)"),
    ]


def test_timeline_and_svg(tmp_path: Path) -> None:
    svg = tmp_path / "t.svg"
    code, out, _err = run(
        "timeline", "--from", "2018", "--to", "2024", "--as-of", "2021-06-01", "--svg", str(svg)
    )
    assert code == 0
    assert "BMS7" in out and "▲ 1 June 2021" in out
    assert svg.read_text().startswith("<svg")


def test_validate_embedded_and_broken(tmp_path: Path) -> None:
    code, _, err = run("validate")
    assert code == 0 and err.startswith("OK: ")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[meeting]]\nid = "x"\nstart = "not a date"\n')
    code, out, err = run("validate", str(bad))
    assert code == EXIT_DATA
    assert out == ""
    # a file without [schedule] is checked as an overlay, so its own problems are named
    assert err.splitlines() == [
        f'poacal: error: {bad}:1: meeting "x": missing key "name" (expected string)',
        f'poacal: error: {bad}:3: meeting "x": start: expected date, got string "not a date" '
        "(write the date without quotes: start = not a date)",
    ]
    code, out, err = run("deadlines", "--schedule", str(bad))  # as a whole schedule, it is not
    assert code == EXIT_DATA and "[schedule]: missing table" in err


def test_schedule_option_and_env(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    code, _, err = run("deadlines", "--schedule", str(missing))
    assert code == EXIT_DATA
    assert (
        err == f"poacal: error: {missing}: no such file (check the path, or unset "
        "POACAL_SCHEDULE to use the embedded one)\n"
    )
    code, _, err = run("deadlines", env={"POACAL_SCHEDULE": str(missing)})
    assert code == EXIT_DATA


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["meetings", "--as-of", "2021/06/01"],
            "poacal: error: --as-of: cannot read '2021/06/01' as a date; use YYYY-MM-DD, "
            "a month in words ('1 June 2021'), 'today' or a relative date such as +30d or "
            "-1y\n",
        ),
        (
            ["changes", "--since", "2 weeks"],
            "poacal: error: --since: cannot read '2 weeks'; use a date YYYY-MM-DD or a window "
            "30d, 6w, 3m, 1y\n",
        ),
        (
            ["show", "bms77"],
            "poacal: error: no item with id or code 'bms77'; did you mean bms7, bms9, bms8?\n",
        ),
        (
            ["meetings", "--kind", "summit"],
            "poacal: error: --kind: unknown meeting type 'summit'; use one of: conference, "
            "review-conference, biennial-meeting, preparatory-committee, technical-expert-group, "
            "governmental-experts, regional-meeting, general-assembly, "
            "conference-of-states-parties, working-group, preparatory-meeting, internal\n",
        ),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out, err) == (EXIT_USAGE, "", message)


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    assert names
    for name in names:
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage" in out, name
        assert f"poacal {name}" in readme, f"`poacal {name}` is not in the README"


def test_exit_codes_are_documented_everywhere() -> None:
    _code, out, _ = run("--help")
    readme = (ROOT / "README.md").read_text()
    doc = (ROOT / "docs" / "exit-codes.md").read_text()
    flat = " ".join(out.split())
    for number, text in EXIT_CODES:
        assert f"{number} {text}" in flat
        assert f"| {number} | {text} |" in doc
        assert f"| {number} |" in readme


def test_python_m_poacal_smoke() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "poacal", "deadlines", "--json", "--as-of", "2026-04-01"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "POACAL_SCHEDULE": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["items"][0]["id"] == "reports-2026"


def test_options_before_the_command_apply_to_it() -> None:
    assert run("--as-of", "2020-01-01", "meetings") == run("meetings", "--as-of", "2020-01-01")
    assert run("--as-of", "2020-01-01", "--json", "deadlines") == run(
        "deadlines", "--json", "--as-of", "2020-01-01"
    )
    _code, out, _ = run("--as-of", "2020-01-01", "export", "ics", "--id", "bms7")
    assert "DTSTART;VALUE=DATE:20200615" in out


def test_an_internal_error_is_one_line_with_exit_1() -> None:
    script = (
        "import sys, poacal.queries as q\n"
        "def boom(*a, **k):\n    raise ZeroDivisionError('simulated bug')\n"
        "q.rows = boom\n"
        "sys.argv = ['poacal', 'deadlines', '--json']\n"
        "import poacal; poacal.main()\n"
    )
    env = {**os.environ, "POACAL_SCHEDULE": ""}
    env.pop("POACAL_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "internal error (a bug in poacal" in proc.stderr and "simulated bug" in proc.stderr
    debug = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**env, "POACAL_DEBUG": "1"},
        check=False,
    )
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_the_lazy_command_tree_builds_only_what_runs() -> None:
    from poacal.cli import COMMANDS
    from poacal.cli.internals import command_tree

    root = command_tree(app, COMMANDS)
    assert root.commands == {}
    assert root.get_command(None, "deadlines") is not None
    assert list(root.commands) == ["deadlines"]
    assert root.get_command(None, "no-such-command") is None
    # every command of the app, in the order --help lists them
    eager = typer.main.get_command(app)
    assert root.list_commands(None) == eager.list_commands(None)  # type: ignore[attr-defined]
    export = root.get_command(None, "export")
    assert sorted(export.commands) == ["ics", "site"]


def test_the_lazy_tree_relies_on_typer_builders_that_still_exist() -> None:
    """command_tree uses typer.main's builders; a Typer upgrade that drops or renames one
    fails here, not in a user's terminal."""
    import inspect

    import typer.main as tm

    for name in ("get_command_from_info", "get_group_from_info", "solve_typer_info_defaults"):
        assert callable(getattr(tm, name, None)), name
    params = inspect.signature(tm.get_command_from_info).parameters
    assert {"pretty_exceptions_short", "rich_markup_mode"} <= set(params)


def test_every_other_typer_internal_poacal_uses_still_exists() -> None:
    """cli/internals.py is the one place poacal reaches into Typer; each name it relies on
    is checked here, so an upgrade that moves one fails the suite, not a user's shell."""
    import typer._click.exceptions as click_exceptions
    import typer._click.utils as click_utils
    import typer._completion_classes as classes
    import typer._completion_shared as shared

    from poacal.cli import internals

    assert callable(shared.get_completion_script)
    assert callable(classes.completion_init) and callable(classes._sanitize_help_text)
    assert hasattr(click_utils, internals.PACIFY_FLUSH)
    assert hasattr(click_exceptions, internals.NO_ARGS_IS_HELP)
    assert internals.completion_script("bash").startswith("_poacal_completion()")


def test_the_real_binary_help_and_options_before_the_command() -> None:
    env = {**os.environ, "POACAL_SCHEDULE": "", "COLUMNS": "100"}
    real = subprocess.run(
        [sys.executable, "-m", "poacal", "--help"], env=env, capture_output=True, text=True
    ).stdout
    eager = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"}).stdout

    def names(text: str) -> list[str]:
        block = text.split("Commands:")[1].split("\n\n")[0]
        return [x.split()[0] for x in block.splitlines() if x.startswith("  ") and x[2] != " "]

    assert names(real) == names(eager) and "agenda" in names(real)
    out = subprocess.run(
        [sys.executable, "-m", "poacal", "--as-of", "2020-01-01", "--lang", "fr", "show", "bms7"],
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert "15–19 June 2020" in out and "https://undocs.org/fr/A/RES/74/60" in out
