"""An item's form (checkitem.py) at its edges, in a user's own file merged over the
embedded schedule: the short form (dates on the item) against decisions, on a mandate,
`extend` against `override`, and each missing key, word for word at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from poacal.errors import ScheduleError
from poacal.load import load_schedule
from poacal.sources import embedded_path

DECISION = """
  [[{kind}.decision]]
  source = "A/RES/74/60"
  confidence = "confirmed"
  due = 2027-01-10
"""
DATES_HINT = "; for your own item, give its dates directly: "


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '[[deadline]]\nid = "x"\nname = "X"\ndue = 2027-01-10\n'
            + DECISION.format(kind="deadline"),
            '4: deadline "x": due: give the dates on the item or in decisions, not both '
            "(the short form (due = ... on the item) is for your own items)",
        ),
        (
            # the first of the dates given on the item is named, at its line
            '[[meeting]]\nid = "x"\nname = "X"\nstart = 2027-01-10\nend = 2027-01-12\n'
            + DECISION.format(kind="meeting").replace("due =", "start = 2027-01-10\n  end ="),
            '4: meeting "x": start: give the dates on the item or in decisions, not both '
            "(the short form (due = ... on the item) is for your own items)",
        ),
        (
            '[[mandate]]\nid = "x"\nname = "X"\ndue = 2027-01-10\n',
            '4: mandate "x": due: a mandate needs decisions with their sources '
            "(the short form is for your own deadlines and meetings)",
        ),
        (
            '[[deadline]]\nid = "nr-2026"\nextend = true\noverride = true\n'
            + DECISION.format(kind="deadline"),
            '3: deadline "nr-2026": extend: conflicts with override (keep one)',
        ),
        (
            '[[deadline]]\nid = "x"\ndue = 2027-01-10\n',
            '1: deadline "x": missing key "name" (expected string)',
        ),
        (
            '[[deadline]]\nid = "x"\ntype = "views"\ncode = "X"\nname = "X"\n',
            f'1: deadline "x": missing key "decision" (expected array of tables{DATES_HINT}'
            "due = YYYY-MM-DD)",
        ),
        (
            '[[meeting]]\nid = "x"\ntype = "conference"\ncode = "X"\nname = "X"\n',
            f'1: meeting "x": missing key "decision" (expected array of tables{DATES_HINT}'
            "start = ..., end = ...)",
        ),
        (
            '[[mandate]]\nid = "x"\ntype = "report"\ncode = "X"\nname = "X"\n',
            '1: mandate "x": missing key "decision" (expected array of tables)',
        ),
    ],
)
def test_an_own_items_form_refused_word_for_word(tmp_path: Path, text: str, problem: str) -> None:
    own = tmp_path / "own.toml"
    own.write_text(text, encoding="utf-8")
    with pytest.raises(ScheduleError) as caught:
        load_schedule(embedded_path(), own)
    assert [str(p) for p in caught.value.problems] == [f"{own}:{problem}"]
