"""`poacal agenda` at the edges of its window, and changing own items with `edit` and
`remove` (through the one way to change a user file)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_OK, EXIT_USAGE
from tests.conftest import own_schedule

OWN = """\
# Our delegation's own dates. Keep this comment.
[[deadline]]
id = "review"
name = "Internal review"
due = 2027-03-10   # agreed with the capital

# the next one is a meeting
[[meeting]]
id = "prep"
name = "Capital preparatory meeting"
start = 2027-03-30
end = 2027-04-02
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "160", "POACAL_SCHEDULE": ""})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mine() -> Path:
    return own_schedule(OWN)


def agenda(*args: str) -> dict[str, list[str]]:
    code, out, err = run("agenda", "--json", *args)
    assert code == EXIT_OK, err
    data = json.loads(out)
    from importlib.resources import files

    schema = json.loads(files("poacal").joinpath("schemas", "agenda.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    return {
        "dated": [i["id"] for i in data["items"]],
        "not_set": [i["id"] for i in data["date_not_set"]],
    }


def test_an_item_on_the_last_day_of_the_window_is_in_and_the_day_after_is_not(
    mine: Path,
) -> None:
    assert "review" in agenda("--as-of", "2027-03-01", "--until", "2027-03-10")["dated"]
    assert "review" not in agenda("--as-of", "2027-03-01", "--until", "2027-03-09")["dated"]
    # and on the as-of day itself (the first day), but not once past
    assert "review" in agenda("--as-of", "2027-03-10", "--within", "1d")["dated"]
    assert "review" not in agenda("--as-of", "2027-03-11", "--within", "30d")["dated"]


def test_a_session_crossing_the_window_is_one_line(mine: Path) -> None:
    # the window ends on the session's first day, or starts on its last
    assert agenda("--as-of", "2027-03-20", "--until", "2027-03-30")["dated"].count("prep") == 1
    assert "prep" in agenda("--as-of", "2027-04-02", "--within", "7d")["dated"]
    assert "prep" not in agenda("--as-of", "2027-04-03", "--within", "7d")["dated"]
    _, out, _ = run("agenda", "--as-of", "2027-03-20", "--until", "2027-04-30")
    assert out.count("Capital preparatory meeting") == 1 and "30 March–2 April 2027" in out


def test_dates_not_set_are_listed_apart(mine: Path) -> None:
    found = agenda("--as-of", "2027-12-20", "--within", "14d")
    assert found["dated"] == [] and "reports-2028" in found["not_set"]
    _, out, _ = run("agenda", "--as-of", "2027-12-20", "--within", "14d")
    assert "Nothing dated from 20 December 2027" in out
    assert "Date not set; may fall in this window" in out


def test_an_empty_window_says_so(mine: Path) -> None:
    code, out, err = run("agenda", "--as-of", "2029-02-01", "--within", "3d")
    assert code == EXIT_OK and out == "" and "Nothing from 1 February 2029" in err
    assert agenda("--as-of", "2029-02-01", "--within", "3d") == {"dated": [], "not_set": []}


def test_agenda_filters_and_window_errors(mine: Path) -> None:
    found = agenda("--as-of", "2026-05-10", "--kind", "meetings")
    assert found["dated"] == ["bms9"]
    assert run("agenda", "--within", "soon")[0] == EXIT_USAGE
    assert run("agenda", "--as-of", "2026-05-10", "--until", "2026-05-01")[0] == EXIT_USAGE


def test_edit_keeps_comments_and_layout(mine: Path) -> None:
    code, out, err = run("edit", "review", "--due", "2027-03-12", "--code", "IR")
    assert code == EXIT_OK, err
    text = mine.read_text()
    assert text == OWN.replace("due = 2027-03-10", "due = 2027-03-12").replace(
        "   # agreed with the capital\n", '   # agreed with the capital\ncode = "IR"\n'
    )
    assert "due = 2027-03-10" in out and "due = 2027-03-12" in out
    assert agenda("--as-of", "2027-03-11", "--within", "2d")["dated"] == ["review"]


def test_edit_refuses_what_it_must_not_change(mine: Path) -> None:
    before = mine.read_bytes()
    code, _, err = run("edit", "bms9", "--name", "Mine now")
    assert code == EXIT_USAGE and "poacal note bms9" in err
    code, _, err = run("edit", "review", "--code", "NR 2026")
    assert code == EXIT_USAGE and "already the code of reports-2026" in err
    code, _, err = run("edit", "prep", "--end", "2027-03-01")
    assert code == EXIT_USAGE and "before start" in err
    code, _, err = run("edit", "review")
    assert code == EXIT_USAGE and "nothing to change" in err
    assert mine.read_bytes() == before


def test_remove_prints_the_item_and_dry_run_changes_nothing(mine: Path) -> None:
    before = mine.read_bytes()
    code, out, err = run("remove", "prep", "--dry-run")
    assert code == EXIT_OK and 'id = "prep"' in out and "Would remove" in err
    assert mine.read_bytes() == before
    assert run("remove", "prep")[0] == EXIT_OK
    assert "[[meeting]]" not in mine.read_text()
    assert mine.read_text().startswith("# Our delegation's own dates. Keep this comment.\n")
    # the last item of the file: the file stays, with its comments, and loads
    assert run("remove", "review")[0] == EXIT_OK
    assert "[[deadline]]" not in mine.read_text() and "Keep this comment" in mine.read_text()
    assert run("deadlines")[0] == EXIT_OK
    assert run("remove", "review")[0] == EXIT_USAGE


def test_remove_refuses_an_item_another_refers_to(mine: Path) -> None:
    mine.write_text(
        OWN + '\n[[deadline]]\nid = "brief"\nname = "Brief"\ndue = 2027-03-20\nserves = "prep"\n'
    )
    before = mine.read_bytes()
    code, _, err = run("remove", "prep")
    assert code == EXIT_USAGE and "would not be valid" in err and "prep" in err
    assert mine.read_bytes() == before


def test_tomlkit_still_has_the_insert_it_relies_on() -> None:
    """own._set uses tomlkit's Container._insert_at and its `body` (no public way to
    add a key right after an item's last key): a tomlkit upgrade that drops either fails
    here (0.15.3 dropped the `_insert_after` poacal used before)."""
    import tomlkit

    doc = tomlkit.parse("[[a]]\nx = 1\n\n# next\n[[a]]\nx = 2\n")
    table = doc["a"][0]
    assert callable(getattr(table.value, "_insert_at", None))
    assert [k.key if k else None for k, _ in table.value.body] == ["x", None, None]
    from poacal.own import _set

    _set(table, "y", 3)
    assert tomlkit.dumps(doc) == "[[a]]\nx = 1\ny = 3\n\n# next\n[[a]]\nx = 2\n"


def test_listings_in_a_window_list_dates_not_set_apart() -> None:
    code, out, _ = run("deadlines", "--as-of", "2027-12-20", "--within", "14d")
    assert code == EXIT_OK and "No dated deadlines here." in out
    dated, apart = out.split("Date not set; may fall in this window")
    assert "NR 2028" in apart and "NR 2028" not in dated
    code, out, _ = run("deadlines", "--as-of", "2027-12-20", "--within", "14d", "--json")
    data = json.loads(out)
    assert data["items"] == [] and [i["id"] for i in data["date_not_set"]] == ["reports-2028"]
    # without a window, nothing is set apart and the JSON has no such key
    data = json.loads(run("deadlines", "--as-of", "2027-12-20", "--json")[1])
    assert "date_not_set" not in data and "reports-2028" in [i["id"] for i in data["items"]]
