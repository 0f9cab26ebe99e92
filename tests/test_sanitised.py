"""Every text field that can carry data or user text, with control characters, a bidi
override and CR/LF in it, through every output (issue 19): the terminal (show, the
listings, remind lines), JSON, iCalendar, the feed page and its SVG. One-line fields
refuse such text at load (tests/test_check.py); multi-line fields and the user's notes
carry it, and every output must neutralise it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal.cli import app

# What a user's note may hold (the state file takes any text): C0 controls, an escape
# sequence, a bidi override, CR LF, NUL.
HOSTILE = "a\x1b[31mred\x07 \u202eevil\u202c\r\nnext\x00"
RAW = ("\x1b", "\x07", "\u202e", "\x00")  # never printed as such
# What a schedule's multi-line fields may hold (the loader refuses the rest): line
# breaks, tabs, markup of every output format.
DATA = 'one\n\ttwo <script>x</script> [bold]b[/bold] & "q"'
TOML = json.dumps(DATA)  # JSON's escapes are TOML's too

BODY = f"""
[[meeting]]
id = "m"
type = "biennial-meeting"
code = "M"
name = "Meeting"
description = {TOML}

  [[meeting.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05
  note = {TOML}
  outcome = {TOML}
"""


@pytest.fixture
def env(write: Callable[..., Path], tmp_path: Path) -> dict[str, str]:
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"poacal_state": 1, "notes": {"m": [{"on": "2026-01-02", "text": HOSTILE}]}}),
        encoding="utf-8",
    )
    return {
        "POACAL_SCHEDULE": str(write(BODY)),
        "POACAL_STATE": str(state),
        "COLUMNS": "200",
    }


def run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--as-of", "2026-05-30"], env=env)
    assert result.exit_code in (0, 10), result.output
    return result.stdout


def clean(text: str) -> None:
    found = [c for c in RAW if c in text]
    assert found == [], f"raw {found!r} in the output"


@pytest.mark.parametrize(
    "args",
    [["show", "m"], ["meetings"], ["status"], ["changes", "--since", "2025-01-01"], []],
)
def test_terminal(env: dict[str, str], args: list[str]) -> None:
    out = run(env, *args)
    clean(out)
    if args[:1] == ["show"]:
        assert "\\x1b[31mred" in out and "\\u202eevil" in out  # shown escaped, not dropped


def test_remind_lines(env: dict[str, str]) -> None:
    out = run(env, "remind", "--horizon", "7d")
    clean(out)
    assert "\r" not in out and out.count("\n") == len(out.splitlines())


def test_json_keeps_the_text_exactly(env: dict[str, str]) -> None:
    out = run(env, "show", "m", "--json")
    assert "\x1b" not in out and "\x00" not in out  # JSON escapes C0 controls
    item = json.loads(out)["item"]
    assert item["description"] == DATA and item["outcome"] == DATA
    assert item["notes"][0]["text"] == HOSTILE
    assert item["decisions"][0]["note"] == DATA


def test_icalendar(env: dict[str, str]) -> None:
    from icalendar import Calendar

    data = CliRunner().invoke(app, ["export", "ics", "--personal"], env=env).stdout_bytes
    text = data.decode()
    clean(text)
    [event] = Calendar.from_ical(data).walk("VEVENT")
    description = str(event["description"])
    assert "red" in description and "evil" in description  # the text stays, its controls go
    assert "<script>" in description and "\r\n" not in description.replace("\n", "")


def test_the_page_and_its_svg(env: dict[str, str], tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = CliRunner().invoke(
        app, ["export", "site", str(site), "--personal", "--as-of", "2026-05-30"], env=env
    )
    assert result.exit_code == 0, result.output
    for name in ("index.html", "timeline.svg", "poacal.ics"):
        clean((site / name).read_text(encoding="utf-8"))
    # the JSON carries the text exactly, as --json does: C0 controls escaped, the rest data
    data = (site / "schedule.json").read_text(encoding="utf-8")
    assert "\x1b" not in data and "\x00" not in data
    assert json.loads(data)["items"][0]["notes"][0]["text"] == HOSTILE
    for name in ("index.html", "timeline.svg"):
        assert "<script>x" not in (site / name).read_text(encoding="utf-8")  # escaped
    assert os.path.getsize(site / "index.html") > 0
