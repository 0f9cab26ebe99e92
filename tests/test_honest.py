"""Honest answers on any date (issue 11): the fold, listings that answer the question,
changes with before and after, and how old the data is."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_OK, EXIT_USAGE
from tests.conftest import REVISION


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"POACAL_SCHEDULE": "", "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def items(*args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    code, out, err = run(*args, "--json")
    assert code == EXIT_OK, err
    return {i["id"]: i for i in json.loads(out)["items"]}


def test_a_postponed_meeting_stays_on_the_dashboard() -> None:
    _, out, _ = run("--as-of", "2020-06-01")
    assert "BMS7: postponed to 2021 (dates not yet set)" in out
    _, out, _ = run("--as-of", "2020-06-01", "--json")
    then = [m["id"] for m in json.loads(out)["then"]]
    assert "bms7" in then


def test_undated_decisions_wait_for_their_source() -> None:
    assert items("deadlines", "--all", "--as-of", "2010-01-01") == {}
    found = items("status", "--as-of", "2010-01-01")
    assert not any(i["cycle"] == "2018-2024" for i in found.values())
    assert "views-diversion-2020" not in items("deadlines", "--all", "--as-of", "2019-12-11")
    assert "views-diversion-2020" in items("deadlines", "--all", "--as-of", "2019-12-12")


def test_references_to_items_not_yet_known_are_not_shown() -> None:
    nr2028 = items("deadlines", "--all", "--as-of", "2023-01-01").get("reports-2028")
    if nr2028 is not None:
        assert nr2028["serves"] is None
    later = items("deadlines", "--all", "--as-of", "2026-11-30")["reports-2028"]
    assert later["serves"] == "bms10"


def test_past_partial_dates_and_meetings_without_an_outcome() -> None:
    nr2022 = items("deadlines", "--all", "--as-of", "2026-11-30")["reports-2022"]
    assert nr2022["standing"] == "closed" and nr2022["dates"]["label"] == "2022 (date not recorded)"
    bms9 = items("meetings", "--as-of", "2026-11-30")["bms9"]
    assert bms9["standing"] == "past" and bms9["chair"] is None
    _, out, _ = run("meetings", "--as-of", "2026-11-30")
    assert "ended (outcome not yet recorded)" in out and "(held?)" not in out
    assert "5 months ago" in out  # counted from 5 June, the last day


def test_in_session_day_n_of_m() -> None:
    _, out, _ = run("meetings", "--as-of", "2026-06-03")
    assert "in session, day 3 of 5" in out


def test_mandates_lists_open_ones_of_any_cycle() -> None:
    assert "74/60-28" in items("mandates", "--as-of", "2026-11-30") or any(
        i["code"] == "74/60 §28" for i in items("mandates", "--as-of", "2026-11-30").values()
    )
    _, out, _ = run("mandates", "--as-of", "2026-11-30")
    assert "74/60 §28" in out


@pytest.mark.parametrize(
    "args",
    [
        ["meetings", "--cycle", "foo"],
        ["export", "ics", "--cycle", "bogus"],
        ["deadlines", "--cycle", "2018-2025"],
        ["changes", "--cycle", "x"],
        ["export", "ics", "--kind", "nothing"],
        ["export", "ics", "--id", "nothing"],
        ["changes", "--id", "nothing"],
        ["meetings", "--kind", "summit"],
    ],
)
def test_unknown_filter_values_are_usage_errors(args: list[str]) -> None:
    code, out, err = run(*args)
    assert code == EXIT_USAGE and out == "" and err.startswith("poacal: error: ")


def test_forward_windows() -> None:
    within = items("deadlines", "--within", "60d", "--as-of", "2026-04-01")
    assert list(within) == ["reports-2026"]
    assert items("deadlines", "--within", "14d", "--as-of", "2026-04-01") == {}
    until = items("deadlines", "--until", "15 May 2026", "--as-of", "2026-04-01")
    assert list(until) == ["reports-2026"]
    assert run("deadlines", "--within", "soon")[0] == EXIT_USAGE
    assert run("deadlines", "--until", "2020-01-01", "--as-of", "2026-01-01")[0] == EXIT_USAGE
    _, out, _ = run("--days", "14", "--as-of", "2026-05-05")
    assert "Deadlines in the next 14 days" in out


def test_dates_in_words_mean_the_same() -> None:
    assert run("--as-of", "1 June 2021") == run("--as-of", "2021-06-01")
    assert run("meetings", "--as-of", "June 1, 2021") == run("meetings", "--as-of", "2021-06-01")
    code, _, err = run("--as-of", "June 2021")
    assert code == EXIT_USAGE and "not a whole date" in err
    code, _, err = run("--as-of", "01/02/2021")
    assert code == EXIT_USAGE


def test_changes_before_and_after() -> None:
    code, out, _ = run(
        "changes", "--since", "2019-01-01", "--id", "bms7", "--json", "--as-of", "2022-01-01"
    )
    assert code == EXIT_OK
    found = json.loads(out)["changes"]
    assert {c["id"] for c in found} == {"bms7"}
    moves = [
        (ch["before"], ch["after"]) for c in found for ch in c["changed"] if ch["field"] == "dates"
    ]
    assert ("15–19 June 2020", "2021 (dates not yet set)") in moves
    assert ("2021 (dates not yet set)", "26–30 July 2021") in moves
    _, out, _ = run("changes", "--since", "2019-01-01", "--id", "bms7", "--as-of", "2022-01-01")
    assert "15–19 June 2020 → 2021 (dates not yet set)" in out


def test_changes_filters_and_undated_decisions() -> None:
    _, out, _ = run("changes", "--since", "2000-01-01", "--kind", "mandates", "--json")
    data = json.loads(out)
    assert data["changes"] and all(c["kind"] == "mandate" for c in data["changes"])
    _, out, _ = run("changes", "--since", "2000-01-01", "--cycle", "2012-2018", "--json")
    data = json.loads(out)
    assert data["undated"], "the undated decisions are listed, not dropped"
    assert all(c["taken"] is None for c in data["undated"])
    _, out, _ = run("changes", "--since", "2000-01-01", "--cycle", "2012-2018")
    assert "Date of decision unknown" in out


def test_how_old_is_the_data() -> None:
    _, out, _ = run("--as-of", "2026-12-01")
    assert f"Data revision {REVISION}" in out and "newer dates may exist" not in out
    late = date.fromisoformat(REVISION) + timedelta(days=183)
    _, out, _ = run("--as-of", late.isoformat())
    assert "The data is 183 days older than this date" in out and "poacal update" in out
    _, out, _ = run("--as-of", (late - timedelta(days=63)).isoformat())  # 120 days: no warning
    assert "older than this date" not in out
    _, out, _ = run("deadlines", "--json")
    assert json.loads(out)["revision"] == REVISION


def test_the_next_meeting_is_one_whose_dates_are_known_first() -> None:
    """OETEG 2026 is known only as "2026": BMS9 (1-5 June) is named first, not after it."""
    _, out, _ = run("--as-of", "2026-05-05", "--json")
    data = json.loads(out)
    assert data["next_meeting"]["id"] == "bms9"
    assert [m["id"] for m in data["then"]][:1] == ["oeteg-2026"]
