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
sys.stderr.write(json.dumps({"heavy": heavy, "out": out.getvalue()[:200]}))
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
    ],
)
def test_json_and_reminder_paths_stay_light(args: list[str], tmp_path: object) -> None:
    result = probe(args, {"POACAL_STATE": f"{tmp_path}/state.json"})
    assert result["heavy"] == []


def test_completion_stays_light() -> None:
    result = probe(
        [],
        {"_POACAL_COMPLETE": "complete_bash", "COMP_WORDS": "poacal show bms", "COMP_CWORD": "2"},
    )
    assert result["heavy"] == []
    assert "bms7" in str(result["out"])


def test_the_probe_would_notice_a_heavy_import() -> None:
    """The table views do import Rich: proof that the probe can see it."""
    assert "rich" in probe(["deadlines"])["heavy"]  # type: ignore[operator]
