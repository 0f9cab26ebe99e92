"""A delegation's own items (issue 10): the short form, `add`, validation in context,
`extend`, ids or codes, and what is published where."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DATA, EXIT_OK, EXIT_USAGE
from tests.conftest import own_schedule

OWN = """\
# Our delegation's own dates. Keep this comment.
[[deadline]]
id = "review-2026"
name = "Inter-ministerial review of the national report"
due = 2026-04-15
serves = "reports-2026"   # the national report it prepares

[[meeting]]
id = "capital-prep"
name = "Preparatory meeting in the capital"
start = 2026-05-20
end = 2026-05-21
"""


@pytest.fixture
def mine() -> Path:
    """The user's own schedule file, where poacal looks for it."""
    return own_schedule(OWN)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "160", **(env or {})})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_short_form_loads_as_own_items(mine: Path) -> None:
    code, out, _ = run("deadlines", "--json", "--as-of", "2026-04-01")
    assert code == EXIT_OK
    items = {i["id"]: i for i in json.loads(out)["items"]}
    review = items["review-2026"]
    assert review["confidence"] == "own" and review["type"] == "internal"
    assert review["dates"]["start"] == "2026-04-15" and review["serves"] == "reports-2026"
    assert review["sources"][0]["id"] == "schedule.toml" and review["origin"] == "schedule.toml"
    # no cycle, still listed while it lies ahead, for meetings too
    code, out, _ = run("meetings", "--as-of", "2026-04-01", "--json")
    meeting = {i["id"]: i for i in json.loads(out)["items"]}["capital-prep"]
    assert meeting["confidence"] == "own" and meeting["cycle"] is None
    _, out, _ = run("show", "review-2026", "--as-of", "2026-04-01")
    lines = {line.split("  ", 1)[0]: line.split("  ", 1)[-1].strip() for line in out.splitlines()}
    assert lines["dates confidence"] == "own"
    _, out, _ = run("deadlines", "--as-of", "2026-05-01")
    assert "review-2026" in out  # overdue: still shown


def test_the_short_form_is_only_for_deadlines_and_meetings(tmp_path: Path) -> None:
    path = tmp_path / "o.toml"
    path.write_text('[[mandate]]\nid = "m"\nname = "M"\ndue = 2026-01-01\n')
    code, _, err = run("validate", str(path))
    assert code == EXIT_DATA and "a mandate needs decisions" in err
    path.write_text('[[deadline]]\nid = "d"\ntype = "views"\ncode = "D"\nname = "D"\n')
    code, _, err = run("validate", str(path))
    assert code == EXIT_DATA and "give its dates directly: due = YYYY-MM-DD" in err


def test_feeds_publish_own_items_only_with_personal(mine: Path, tmp_path: Path) -> None:
    _, public, _ = run("export", "ics", "--as-of", "2026-04-01")
    assert "review-2026" not in public and "capital-prep" not in public
    _, private, _ = run("export", "ics", "--personal", "--as-of", "2026-04-01")
    assert "review-2026@" in private and "capital-prep@" in private
    state = tmp_path / "state.json"
    env = {"POACAL_STATE": str(state)}
    assert run("done", "reports-2026", "--note", "sent", "--on", "2026-03-30", env=env)[0] == 0
    _, public, _ = run("export", "ics", "--as-of", "2026-04-01", env=env)
    assert "Done (your mark)" not in public and "sent" not in public.split("Sources:")[0]
    _, private, _ = run("export", "ics", "--personal", "--as-of", "2026-04-01", env=env)
    assert "Done (your mark): 2026-03-30" in private


def test_export_site_publishes_nothing_personal(mine: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {"POACAL_STATE": str(tmp_path / "state.json")}
    assert run("note", "bms9", "our statement is ready", env=env)[0] == EXIT_OK
    assert run("export", "site", str(site), env=env)[0] == EXIT_OK
    home = str(Path(os.environ["XDG_CONFIG_HOME"]).parent)
    for f in (f for f in site.rglob("*") if f.is_file()):
        text = f.read_text()
        assert "review-2026" not in text and "capital-prep" not in text, f.name
        assert "statement is ready" not in text, f.name
        assert home not in text and str(tmp_path) not in text, f.name
        assert "/work/" not in text and "/home/" not in text and "/root/" not in text, f.name


@pytest.mark.parametrize("how", ["POACAL_SCHEDULE", "--schedule", "a symlink", "a hard link"])
def test_publishing_never_takes_the_users_own_file(mine: Path, tmp_path: Path, how: str) -> None:
    named = mine
    if how == "a symlink":
        named = tmp_path / "link.toml"
        named.symlink_to(mine)
    elif how == "a hard link":
        named = tmp_path / "other.toml"
        os.link(mine, named)
    files = f"embedded{os.pathsep}{named}"
    env = {"POACAL_SCHEDULE": files} if how == "POACAL_SCHEDULE" else {}
    args = [] if how == "POACAL_SCHEDULE" else ["-s", "embedded", "-s", str(named)]
    assert "review-2026" in run("deadlines", "--as-of", "2026-04-01", *args, env=env)[1]
    site = tmp_path / "site"
    for command in (["export", "ics"], ["export", "site", str(site)]):
        code, out, err = run(*command, "--as-of", "2026-04-01", *args, env=env)
        assert code == EXIT_OK and "published only with --personal" in err, err
        assert "review-2026" not in out
    published = [f for f in site.rglob("*") if f.is_file()]
    assert any(f.parent.name == "events" for f in published)
    for f in published:
        assert "review-2026" not in f.read_text(), f.name
    _, out, _ = run("export", "ics", "--personal", "--as-of", "2026-04-01", *args, env=env)
    assert "review-2026@" in out


def test_serve_is_public_too() -> None:
    import inspect

    from poacal.cli import feeds

    # one rule for the three publishers: a public load unless --personal
    for fn in (feeds.export_ics, feeds.export_site, feeds.serve):
        assert "load(schedule, public=not personal)" in inspect.getsource(fn)


def test_add_creates_the_file(tmp_path: Path) -> None:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "poacal" / "schedule.toml"
    assert not path.exists()
    code, _, err = run(
        "add", "deadline", "Inter-ministerial review", "2026-04-15", "--serves", "NR 2026"
    )
    assert code == EXIT_OK, err
    assert path.read_text() == (
        "[[deadline]]\n"
        'id = "inter-ministerial-review"\n'
        'name = "Inter-ministerial review"\n'
        'code = "IMR"\n'
        "due = 2026-04-15\n"
        'serves = "reports-2026"\n'
    )
    assert run("validate", str(path))[0] == EXIT_OK


def test_add_keeps_the_file_byte_for_byte(mine: Path) -> None:
    before = mine.read_bytes()
    code, _, err = run("add", "meeting", "Capital debrief", "1 June 2026", "2026-06-01")
    assert code == EXIT_OK, err
    after = mine.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == (
        b'\n[[meeting]]\nid = "capital-debrief"\nname = "Capital debrief"\ncode = "CD"\n'
        b"start = 2026-06-01\nend = 2026-06-01\n"
    )


def test_add_refuses_a_clash_and_changes_nothing(mine: Path) -> None:
    before = mine.read_bytes()
    code, _, err = run("add", "deadline", "Again", "2026-04-20", "--id", "review-2026")
    assert code == EXIT_USAGE and "already used" in err
    code, _, err = run("add", "deadline", "Again", "2026-04-20", "--id", "bms9")
    assert code == EXIT_USAGE and "already used" in err
    code, _, err = run("add", "deadline", "Again", "2026-04-20", "--serves", "nothing")
    assert code == EXIT_USAGE and "no item with id or code" in err
    code, _, _ = run("add", "meeting", "Backwards", "2026-04-20", "2026-04-19")
    assert code == EXIT_USAGE
    assert mine.read_bytes() == before
    # a second item of the same name gets an id of its own
    assert run("add", "deadline", "Inter-ministerial review", "2026-04-16")[0] == EXIT_OK
    assert run("add", "deadline", "Inter-ministerial review", "2026-04-17")[0] == EXIT_OK
    assert 'id = "inter-ministerial-review-2"' in mine.read_text()


def test_validate_an_overlay_in_context(mine: Path, tmp_path: Path) -> None:
    code, _, err = run("validate", str(mine))
    assert code == EXIT_OK and "merged over the embedded schedule" in err
    code, _, err = run("validate", "embedded", str(mine))
    assert code == EXIT_OK and "schedule.toml" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('[[deadline]]\nid = "x"\nname = "X"\ndue = 2026-01-01\nserves = "bmsX"\n')
    code, _, err = run("validate", str(bad))
    assert code == EXIT_DATA and f"{bad}:5:" in err and "is not an item id" in err
    code, _, err = run("-s", "embedded", "-s", str(bad), "validate")
    assert code == EXIT_DATA and f"{bad}:5:" in err
    code, _, err = run("validate", env={"POACAL_SCHEDULE": os.pathsep})
    assert code == EXIT_USAGE and "names no file" in err
    code, _, err = run("meetings", env={"POACAL_SCHEDULE": os.pathsep})
    assert code == EXIT_USAGE


EXTEND = """\
[[document]]
id = "our-cable"
title = "Cable from New York"
url = "internal:cable-2027-03"

[[meeting]]
id = "bms10"
extend = true

  [[meeting.decision]]
  taken = 2027-03-01
  source = "our-cable"
  confidence = "unconfirmed"
  start = 2028-06-12
  end = 2028-06-16
  note = "Dates heard in the corridors"
"""


def test_extend_adds_a_decision_to_an_embedded_item(tmp_path: Path) -> None:
    from icalendar import Calendar

    path = tmp_path / "extend.toml"
    path.write_text(EXTEND)
    args = ["-s", "embedded", "-s", str(path)]

    def bms10(as_of: str, *more: str) -> Any:
        _, out, _ = run(*more, "export", "ics", "--id", "bms10", "--tentative", "--as-of", as_of)
        return Calendar.from_ical(out).walk("VEVENT")[0]

    before, after = bms10("2027-06-01"), bms10("2027-06-01", *args)
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert str(after.decoded("dtstart")) == "2028-06-12"
    _, out, _ = run(*args, "show", "bms10", "--as-of", "2027-06-01", "--json")
    decisions = json.loads(out)["item"]["decisions"]
    assert len(decisions) >= 2 and decisions[-1]["note"] == "Dates heard in the corridors"
    _, out, _ = run(*args, "changes", "--since", "2027-01-01", "--as-of", "2027-06-01")
    assert "BMS10" in out
    path.write_text(EXTEND.replace('id = "bms10"', 'id = "bms99"'))
    code, _, err = run(*args, "meetings")
    assert code == EXIT_DATA and "extend = true, but no earlier file" in err


@pytest.mark.parametrize("name", ["reports-2026", "NR 2026", "nr 2026", "  Nr  2026 "])
def test_ids_or_codes(name: str, tmp_path: Path) -> None:
    env = {"POACAL_STATE": str(tmp_path / "s.json")}
    code, out, _ = run("show", name, "--as-of", "2026-04-01", env=env)
    assert code == EXIT_OK and out.startswith("NR 2026")
    assert run("done", name, env=env)[0] == EXIT_OK
    assert "reports-2026" in json.loads((tmp_path / "s.json").read_text())["done"]
    assert run("undo", name, env=env)[0] == EXIT_OK
    _, out, _ = run("export", "ics", "--id", name, "--as-of", "2026-04-01")
    assert "reports-2026@" in out


def test_done_on_a_meeting_is_refused(tmp_path: Path) -> None:
    code, _, err = run("done", "BMS9", env={"POACAL_STATE": str(tmp_path / "s.json")})
    assert code == EXIT_USAGE and "is a meeting" in err and "poacal note bms9" in err
    assert not (tmp_path / "s.json").exists()


def test_the_hint_names_a_command_that_lists_ids() -> None:
    code, _, err = run("show", "zzzzzz")
    assert code == EXIT_USAGE and "poacal status --ids" in err
    code, out, _ = run("status", "--ids", "--as-of", "2026-04-01")
    assert code == EXIT_OK and "reports-2026" in out and "NR 2026" in out


def test_completion_offers_ids_and_codes() -> None:
    from poacal.cli.options import _complete_id

    class Ctx:
        params: ClassVar[dict[str, object]] = {}

    got = _complete_id(Ctx(), "NR")  # type: ignore[arg-type]
    assert ("NR 2026", "reports-2026") in got
    # begun in lower case, offered in lower case (shells keep what begins as typed)
    got = _complete_id(Ctx(), "nr")  # type: ignore[arg-type]
    assert ("nr 2026", "reports-2026") in got and ("NR 2026", "reports-2026") not in got
    got = _complete_id(Ctx(), "reports-20")  # type: ignore[arg-type]
    assert ("reports-2026", "NR 2026") in got


def test_a_personal_site_publishes_the_public_schedule_as_its_update_source(
    mine: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run("export", "site", str(site), "--personal", "--as-of", "2026-04-01")[0] == EXIT_OK
    assert "review-2026@" in (site / "poacal.ics").read_text()  # the private feed has them
    data = (site / "schedule.toml").read_text()
    assert "review-2026" not in data and "capital-prep" not in data
    meta = json.loads((site / "schedule.meta.json").read_text())
    from poacal.load import load_schedule
    from poacal.sources import embedded_path

    assert meta["items"] == len(load_schedule(embedded_path()).items)


def test_the_short_form_takes_session_hours(tmp_path: Path) -> None:
    """Issue 22 #7: opens, closes and timezone on an own meeting, as in a decision."""
    own = own_schedule(
        '[[meeting]]\nid = "debrief"\nname = "Capital debrief"\nstart = 2027-02-01\n'
        'end = 2027-02-01\nopens = 10:00:00\ncloses = 12:00:00\ntimezone = "Europe/Zurich"\n'
    )
    code, out, err = run("show", "debrief", "--as-of", "2027-01-01")
    assert code == EXIT_OK, err
    assert "1 February 2027, 10:00–12:00 (Europe/Zurich)" in out
    lines = {line.split("  ", 1)[0]: line.split("  ", 1)[-1].strip() for line in out.splitlines()}
    assert lines["defined in"] == "your own schedule file (schedule.toml)"
    assert lines["how dated"] == "Set by your own schedule file (schedule.toml)."
    own.write_text('[[meeting]]\nid = "debrief"\nname = "Capital debrief"\ncloses = 12:00:00\n')
    code, _, err = run("validate", str(own))
    assert code == EXIT_DATA
    assert "closes: session hours on the item need its start and end on the item too" in err


def test_add_gives_a_short_code_that_is_free(tmp_path: Path) -> None:
    """Issue 22 #4: an own item's code defaults to a short one, not its whole id, and
    never one that another item has."""
    from poacal.own import short_code

    assert short_code("Inter-ministerial review", set()) == "IMR"
    assert short_code("Capital debrief", {"cd"}) == "CD 2"
    assert short_code("Capital debrief", {"cd", "cd 2"}) == "CD 3"
    assert short_code("Brief", set()) == "BRIEF"
    assert short_code("§§", set()) == "OWN"
    assert run("add", "deadline", "Capital debrief", "2027-01-10")[0] == EXIT_OK
    assert run("add", "deadline", "Capital debrief", "2027-01-11")[0] == EXIT_OK
    text = (Path(os.environ["XDG_CONFIG_HOME"]) / "poacal" / "schedule.toml").read_text()
    assert 'code = "CD"' in text and 'code = "CD 2"' in text
