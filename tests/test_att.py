"""The Arms Trade Treaty as an opt-in second data pack (--process): its data, the yearly
deadline rule, choosing processes, and every view across both."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import icalendar
import pytest
import vobject
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DATA, EXIT_OK, EXIT_OVERDUE, EXIT_USAGE, ScheduleError
from poacal.load import load_schedule
from poacal.model import Confidence, Process, Schedule
from poacal.queries import Standing, rows
from poacal.sources import embedded_path, pack_path

ATT = pack_path("att")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def listing(*args: str) -> list[dict[str, object]]:
    code, out, err = run(*args, "--json")
    assert code in (EXIT_OK, EXIT_OVERDUE), err
    items: list[dict[str, object]] = json.loads(out)["items"]
    return items


# --- the data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def att() -> object:
    return load_schedule(embedded_path(), ATT)


def test_the_att_pack_loads_on_its_own_and_every_item_is_att() -> None:
    sched = load_schedule(ATT)
    assert {i.process for i in sched.items} == {Process.ATT}
    assert sched.title == "Arms Trade Treaty (ATT)"
    # every decision cites a document of the register, with a confidence
    for item in sched.items:
        for d in item.decisions:
            assert d.source in sched.documents and d.confidence in Confidence


def test_csp12_is_geneva_24_to_28_august_2026_confirmed_by_80_46() -> None:
    [csp12] = [
        i
        for i in listing("--process", "att", "meetings", "--as-of", "2026-08-01")
        if i["code"] == "CSP12"
    ]
    assert csp12["dates"]["start"] == "2026-08-24" and csp12["dates"]["end"] == "2026-08-28"  # type: ignore[index]
    assert csp12["venue"] == "Geneva" and csp12["confidence"] == "confirmed"
    assert csp12["sources"][0]["symbol"] == "A/RES/80/46"  # type: ignore[index]
    assert csp12["standing"] == "upcoming"


def test_unconfirmed_stays_unconfirmed() -> None:
    items = {i["code"]: i for i in listing("--process", "att", "meetings", "--as-of", "2026-12-03")}
    # whether CSP12 met is not recorded: it ended, with no outcome
    assert items["CSP12"]["standing"] == "past" and items["CSP12"]["outcome"] is None
    # CSP13: no dates in any source
    assert items["CSP13"]["dates"]["precision"] == "unset"  # type: ignore[index]
    # a president known only from a secondary source is reported
    assert items["CSP1"]["confidence"] == "reported"


def test_annual_report_due_31_may_2027_for_2026() -> None:
    due = {i["code"]: i for i in listing("--process", "att", "deadlines", "--as-of", "2027-05-01")}
    report = due["AR 2027"]
    assert report["dates"]["start"] == "2027-05-31"  # type: ignore[index]
    assert report["name"] == "ATT annual report due 2027: exports and imports of 2026"
    assert report["standing"] == "due-soon" and report["confidence"] == "confirmed"
    # the year before, once this one falls due, is closed rather than overdue for ever
    assert due["AR 2026"]["standing"] == "overdue"
    later = {
        i["code"]: i for i in listing("--process", "att", "deadlines", "--as-of", "2027-06-01")
    }
    assert later["AR 2026"]["standing"] == "closed" and later["AR 2027"]["standing"] == "overdue"


def test_the_rule_expands_once_per_year_each_sourced(att: object) -> None:
    reports = [i for i in att.items if i.id.startswith("att-annual-report-")]  # type: ignore[attr-defined]
    assert [i.id for i in reports] == [f"att-annual-report-{y}" for y in range(2016, 2031)]
    for item in reports:
        year = int(item.id.rsplit("-", 1)[1])
        [d] = item.decisions
        assert d.when.start == date(year, 5, 31) and d.source == "att-treaty"
        assert item.closed_by == (f"att-annual-report-{year + 1}" if year < 2030 else None)


# --- the yearly rule -----------------------------------------------------------------

RULE = """
[[deadline]]
id = "r"
type = "views"
code = "R {year}"
name = "Report {year} on {previous}"
yearly_from = {first}
yearly_until = {last}

  [[deadline.decision]]
  taken = 2010-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  {dates}
"""


def rule(first: object = 2023, last: object = 2025, dates: str = "due = 2024-02-29") -> str:
    return (
        RULE.replace("{first}", str(first)).replace("{last}", str(last)).replace("{dates}", dates)
    )


def test_a_29_february_rule_falls_on_28_february_in_other_years(
    build: Callable[[str], object],
) -> None:
    sched = build(rule())
    days = [i.decisions[0].when.start for i in sched.items]  # type: ignore[attr-defined]
    assert days == [date(2023, 2, 28), date(2024, 2, 29), date(2025, 2, 28)]
    assert [i.code for i in sched.items] == ["R 2023", "R 2024", "R 2025"]  # type: ignore[attr-defined]
    assert sched.items[0].name == "Report 2023 on 2022"  # type: ignore[attr-defined]


def test_one_year_is_a_range_of_one(build: Callable[[str], object]) -> None:
    sched = build(rule(2024, 2024))
    assert [i.id for i in sched.items] == ["r-2024"]  # type: ignore[attr-defined]
    assert sched.items[0].closed_by is None  # type: ignore[attr-defined]


RANGE_HINT = "(give years from 1945 to 2100, the first not after the last, at most 100 of them)"
BOTH_HINT = "(for example yearly_from = 2016 and yearly_until = 2030)"
DAY_HINT = "(the day and month are kept; the year is each year of the range)"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # a range that is not one: at yearly_until (line 16)
        (rule(2025, 2024), f"16: yearly_until: 2025 to 2024 is not a range of years {RANGE_HINT}"),
        (rule(1900, 1950), f"16: yearly_until: 1900 to 1950 is not a range of years {RANGE_HINT}"),
        (rule(1944, 1950), f"16: yearly_until: 1944 to 1950 is not a range of years {RANGE_HINT}"),
        (rule(2090, 2101), f"16: yearly_until: 2090 to 2101 is not a range of years {RANGE_HINT}"),
        # 101 years
        (rule(2000, 2100), f"16: yearly_until: 2000 to 2100 is not a range of years {RANGE_HINT}"),
        # dates that are not a day: at yearly_from (line 15)
        (
            rule(dates="year = 2024"),
            "15: yearly_from: the decisions must give the exact day, due = YYYY-MM-DD " + DAY_HINT,
        ),
        (
            rule(dates=""),
            "15: yearly_from: the decisions must give the exact day, due = YYYY-MM-DD " + DAY_HINT,
        ),
        # a key left out: at the table (line 10), not at the other key
        (
            rule().replace("yearly_until = 2025\n", ""),
            f"10: yearly_from: give both yearly_from and yearly_until, as years {BOTH_HINT}",
        ),
        (
            rule().replace("yearly_from = 2023\n", ""),
            f"10: yearly_from: give both yearly_from and yearly_until, as years {BOTH_HINT}",
        ),
    ],
)
def test_a_broken_rule_is_refused_with_where_and_why(
    write: Callable[..., Path], text: str, problem: str
) -> None:
    path = write(text)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    line, rest = problem.split(": ", 1)
    assert [str(p) for p in caught.value.problems] == [f'{path}:{line}: deadline "r": {rest}']


def test_only_a_deadline_recurs(write: Callable[..., Path]) -> None:
    text = (
        rule()
        .replace("[[deadline", "[[meeting")
        .replace('"views"', '"conference"')
        .replace("due =", "start = 2024-02-28\n  end =")
    )
    path = write(text)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:15: meeting "r": yearly_from: only a deadline can recur every year'
    ]


@pytest.mark.parametrize(
    ("first", "last", "count"), [(1945, 1945, 1), (2100, 2100, 1), (2001, 2100, 100)]
)
def test_the_range_of_years_at_its_edges(
    build: Callable[[str], Schedule], first: int, last: int, count: int
) -> None:
    sched = build(rule(first, last))
    assert [i.id for i in sched.items] == [f"r-{y}" for y in range(first, last + 1)]
    assert len(sched.items) == count


def test_a_rule_keeps_an_undated_decision_and_words_its_description(
    build: Callable[[str], Schedule],
) -> None:
    text = rule().replace(
        'name = "Report {year} on {previous}"',
        'name = "Report {year} on {previous}"\ndescription = "Covers {previous}; due in {year}."',
    ) + (
        '\n  [[deadline.decision]]\n  taken = 2011-01-01\n  source = "A/RES/1"\n'
        '  confidence = "confirmed"\n  status = "postponed"\n'
    )
    sched = build(text)
    assert [i.description for i in sched.items] == [
        "Covers 2022; due in 2023.",
        "Covers 2023; due in 2024.",
        "Covers 2024; due in 2025.",
    ]
    for item in sched.items:
        first, second = item.decisions
        assert first.when is not None and first.when.start is not None
        assert first.when.start.year == int(item.id[-4:])
        assert second.when is None and second.taken == date(2011, 1, 1)


# --- choosing processes ----------------------------------------------------------------


def test_default_is_the_poa_alone() -> None:
    codes = {i["code"] for i in listing("meetings", "--as-of", "2026-08-01")}
    assert "CSP12" not in codes and "BMS9" in codes
    assert all("process" not in i for i in listing("meetings", "--as-of", "2026-08-01"))


def test_both_processes_with_their_process_named() -> None:
    both = listing("meetings", "--process", "poa,att", "--as-of", "2026-08-01")
    assert {i["process"] for i in both} == {"poa", "att"}
    assert listing("--process", "all", "meetings", "--as-of", "2026-08-01") == both
    code, out, _ = run("meetings", "--process", "all", "--as-of", "2026-08-01", "--within", "60d")
    assert code == EXIT_OK
    assert "Process" in out.splitlines()[0]
    assert any(line.startswith("ATT ") and "CSP12" in line for line in out.splitlines())


def test_the_environment_and_the_config_file_choose_too(tmp_path: Path) -> None:
    env = {"POACAL_PROCESS": "att"}
    _, out, _ = run("meetings", "--json", "--as-of", "2026-08-01", env=env)
    assert {i["code"] for i in json.loads(out)["items"]} >= {"CSP12"}
    config = Path(__import__("os").environ["XDG_CONFIG_HOME"]) / "poacal" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('process = "poa,att"\n')
    try:
        items = listing("meetings", "--as-of", "2026-08-01")
        assert {i["process"] for i in items} == {"poa", "att"}
        # the option wins over the config file
        assert {i.get("process") for i in listing("meetings", "--process", "poa")} == {None}
    finally:
        config.unlink()


@pytest.mark.parametrize("given", ["treaty", "poa,xyz", "", "all,poa"])
def test_an_unknown_process_is_a_usage_error_naming_the_valid_ones(given: str) -> None:
    code, out, err = run("meetings", "--process", given)
    assert code == EXIT_USAGE and out == ""
    assert "poa, att, all" in err


def test_completion_offers_process_names() -> None:
    from poacal.cli.options import _complete_process

    assert _complete_process("") == ["poa", "att", "all"]
    assert _complete_process("a") == ["att", "all"]
    assert _complete_process("poa,") == ["poa,att"]
    assert _complete_process("poa,att,") == []


def test_remind_reminds_both() -> None:
    code, out, err = run(
        "remind", "--process", "poa,att", "--as-of", "2026-08-10", "--horizon", "30d"
    )
    assert code == EXIT_OVERDUE, err
    assert "ATT CSP12" in out and "PoA GA81" in out and "ATT AR 2026" in out
    code, out, _ = run("remind", "--as-of", "2026-08-10", "--horizon", "30d")
    assert "CSP12" not in out and "GA81" in out and "PoA " not in out


def test_show_names_the_process_when_several() -> None:
    code, out, _ = run("show", "csp12", "--process", "all", "--as-of", "2026-12-03")
    assert code == EXIT_OK and "process           Arms Trade Treaty (ATT)" in out
    code, out, _ = run("show", "bms9", "--as-of", "2026-12-03")
    assert "process" not in out


def test_own_items_may_name_a_process(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text(
        '[[deadline]]\nid = "att-brief"\nname = "Brief for CSP12"\ndue = 2026-08-01\n'
        'process = "att"\n'
        '[[deadline]]\nid = "poa-brief"\nname = "Brief for BMS10"\ndue = 2026-08-02\n',
        encoding="utf-8",
    )
    files = ["--schedule", "embedded", "--schedule", "embedded-att", "--schedule", str(own)]
    att_only = {
        i["id"] for i in listing("deadlines", "--process", "att", *files, "--as-of", "2026-07-01")
    }
    poa_only = {i["id"] for i in listing("deadlines", *files, "--as-of", "2026-07-01")}
    assert "att-brief" in att_only and "poa-brief" not in att_only
    assert "poa-brief" in poa_only and "att-brief" not in poa_only


def test_a_bad_process_in_a_file_is_a_data_error(write: Callable[..., Path]) -> None:
    path = write('[[deadline]]\nid = "x"\nname = "X"\ndue = 2026-01-01\nprocess = "cwc"\n')
    code, _, err = run("validate", str(path))
    assert code == EXIT_DATA and 'process: "cwc" is not one of: poa, att' in err


# --- feeds --------------------------------------------------------------------------------


def test_the_site_has_a_feed_per_process_and_a_combined_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, _, err = run("export", "site", str(site), "--process", "all", "--as-of", "2026-12-03")
    assert code == EXIT_OK, err
    page = (site / "index.html").read_text()
    assert "att.ics" in page and "poa.ics" in page and "Arms Trade Treaty (ATT)" in page
    att_feed = (site / "att.ics").read_bytes()
    ours = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(att_feed).walk("VEVENT")}
    theirs = {e.uid.value: e for e in vobject.readOne(att_feed.decode()).vevent_list}
    assert set(ours) == set(theirs) and "att-csp12@poacal.invalid" in ours
    for uid, ev in ours.items():
        assert ev.decoded("dtstart") == theirs[uid].dtstart.value
    assert not any(u.startswith(("bms", "revcon")) for u in ours)
    everything = (site / "poacal.ics").read_bytes()
    assert b"att-csp12@" in everything and b"bms9@" in everything
    # the published data: the PoA's schedule.toml and the ATT's att.toml, each whole
    both = load_schedule(site / "schedule.toml", site / "att.toml")
    assert {i.process for i in both.items} == {Process.POA, Process.ATT}
    assert all(i.process is Process.POA for i in load_schedule(site / "schedule.toml").items)


def test_a_default_site_has_no_att_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("export", "site", str(site), "--as-of", "2026-12-03")[0] == EXIT_OK
    assert not (site / "att.ics").exists() and not (site / "att.toml").exists()


def test_rows_are_sorted_across_processes(att: object) -> None:
    every = rows(att, date(2026, 12, 3))  # type: ignore[arg-type]
    assert {r.item.process for r in every} == {Process.POA, Process.ATT}
    closed = [r for r in every if r.item.id == "att-annual-report-2025"]
    assert closed[0].standing is Standing.CLOSED


@pytest.mark.parametrize("width", ["40", "80", "120"])
def test_the_dashboard_and_changes_name_the_process_when_several(width: str) -> None:
    env = {"COLUMNS": width}
    code, out, _ = run("--process", "all", "--as-of", "2026-08-01", env=env)
    assert code == EXIT_OK and "Next meeting: ATT CSP12" in " ".join(out.split())
    assert "Process" in out and "Proces\n" not in out  # a header never broken
    _, out, _ = run("--as-of", "2026-08-01", env=env)
    assert "Next meeting: GA81" in " ".join(out.split()) and "Process" not in out
    _, out, _ = run("changes", "--process", "all", "--since", "2025-11-01", "--as-of", "2025-12-31")
    assert "ATT CSP12" in out and "PoA " in out


def test_nothing_of_the_att_is_known_before_its_sources_allow() -> None:
    """A meeting's dates are known from the act or page that set them (or, when only an
    undated page says so, by the opening day at the latest), never always."""
    assert listing("--process", "att", "meetings", "--all", "--as-of", "2014-01-01") == []
    before = {
        i["code"] for i in listing("--process", "att", "meetings", "--all", "--as-of", "2021-08-29")
    }
    assert "CSP7" not in before and "CSP12" not in before
    on = {
        i["code"] for i in listing("--process", "att", "meetings", "--all", "--as-of", "2021-08-30")
    }
    assert "CSP7" in on
