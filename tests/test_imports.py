"""Import discipline: the paths that must start fast never load the heavy libraries.

Not a timing test: it checks `sys.modules` after a real run in a fresh process, so a
later change cannot quietly put Rich or icalendar on the JSON, reminder or completion
paths.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# What these tests measure is which modules a run imports, not how long it takes: they are
# the "import weight" tests, which may differ on another Typer (0.29 imports Pydantic).
pytestmark = pytest.mark.import_weight

HEAVY = ("rich", "icalendar", "dateutil.parser", "pydantic")
PROBE = """
import io, json, os, sys, contextlib
sys.argv = ["poacal"] + json.loads(os.environ["PROBE_ARGS"])
from poacal.cli import main
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        main()
except SystemExit:
    pass
heavy = sorted({m for m in sys.modules for h in json.loads(os.environ["PROBE_HEAVY"])
                if m == h or m.startswith(h + ".")})
cli = sorted(m for m in sys.modules if m.startswith("poacal.cli."))
sys.stderr.write(json.dumps({"heavy": heavy, "cli": cli, "out": out.getvalue()[:2000]}))
"""


def probe(args: list[str], extra: dict[str, str] | None = None) -> dict[str, object]:
    env = {
        **os.environ,
        "POACAL_SCHEDULE": "",
        "PROBE_ARGS": json.dumps(args),
        "PROBE_HEAVY": json.dumps(HEAVY),
        **(extra or {}),
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    result: dict[str, object] = json.loads(proc.stderr.splitlines()[-1])
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["deadlines", "--json"],
        ["status", "--json"],
        ["meetings", "--json"],
        ["remind", "--format", "json"],
        ["remind"],
        ["--json"],
        ["show", "bms7", "--json"],
        ["changes", "--json"],
        ["agenda", "--json"],
    ],
)
def test_json_and_reminder_paths_stay_light(args: list[str], tmp_path: object) -> None:
    result = probe(args, {"POACAL_STATE": f"{tmp_path}/state.json"})
    assert result["heavy"] == []


SHELL_ENV = {
    "bash": lambda words: {
        "_POACAL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    },
    "zsh": lambda words: {"_POACAL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words},
    "fish": lambda words: {
        "_POACAL_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": words,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    },
}


@pytest.mark.parametrize("shell", sorted(SHELL_ENV))
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("poacal show bms", ["bms7"]),
        ("poacal export ics --cycle 20", ["2018-2024", "2024-2030"]),
        ("poacal meetings --cycle ", ["2024-2030"]),
        ("poacal export ics --kind ", ["meetings", "deadlines", "mandates"]),
        ("poacal remind --format ", ["text", "json"]),
        ("poacal export ics --cancelled ", ["strict", "visible"]),
        ("poacal schema ", ["listing", "remind"]),
    ],
)
def test_completion_offers_values_and_stays_light(
    shell: str, words: str, expected: list[str]
) -> None:
    """Option values come from the data or the fixed sets, never file names; no shell's
    completion imports Rich."""
    result = probe([], SHELL_ENV[shell](words))
    assert result["heavy"] == [], shell
    out = str(result["out"])
    assert all(e in out for e in expected), (shell, words, out)
    assert "schedule.toml" not in out and "README" not in out


ALWAYS = ["poacal.cli.common", "poacal.cli.internals", "poacal.cli.options", "poacal.cli.views"]


@pytest.mark.parametrize(
    ("args", "extra", "module"),
    [
        (["deadlines", "--json"], {}, "poacal.cli.listings"),
        (["remind", "--format", "json"], {}, "poacal.cli.tracking"),
        (["show", "bms7", "--json"], {}, "poacal.cli.items"),
        ([], SHELL_ENV["bash"]("poacal show bms"), "poacal.cli.items"),
        (["--json"], {}, None),
    ],
)
def test_a_run_imports_only_its_commands_module(
    args: list[str], extra: dict[str, str], module: str | None, tmp_path: object
) -> None:
    result = probe(args, {"POACAL_STATE": f"{tmp_path}/state.json", **extra})
    assert result["cli"] == sorted(ALWAYS + ([module] if module else []))


def test_help_imports_every_command_and_completing_a_name_those_it_could_be() -> None:
    every = [f"poacal.cli.{m}" for m in ("currency", "feeds", "items", "listings", "ownitems")]
    assert probe(["--help"])["cli"] == sorted([*ALWAYS, *every, "poacal.cli.tracking"])
    completed = probe([], SHELL_ENV["bash"]("poacal re"))
    assert completed["cli"] == sorted([*ALWAYS, "poacal.cli.ownitems", "poacal.cli.tracking"])
    assert str(completed["out"]).split() == ["remind", "remove"]


def test_the_probe_would_notice_a_heavy_import() -> None:
    """The table views do import Rich: proof that the probe can see it."""
    assert "rich" in probe(["deadlines"])["heavy"]  # type: ignore[operator]


def test_a_cached_schedule_needs_neither_the_parser_nor_the_checks(tmp_path: object) -> None:
    """The first run checks the embedded schedule and keeps it (cache.py); the next one
    imports no TOML parser and no check module."""
    checks = ["tomli", "tomllib", "poacal.checkitem", "poacal.check", "poacal.checkdates"]
    extra = {
        "POACAL_STATE": f"{tmp_path}/state.json",
        "XDG_CACHE_HOME": f"{tmp_path}/cache",
        "PROBE_HEAVY": json.dumps(checks),
    }
    first = probe(["deadlines", "--json"], extra)
    heavy = first["heavy"]
    assert isinstance(heavy, list)
    assert {m.split(".")[0] if m.startswith("tomli") else m for m in heavy} == {
        "tomli",
        *checks[2:],
    }
    second = probe(["deadlines", "--json"], extra)
    assert second["heavy"] == []
    assert second["out"] == first["out"]
