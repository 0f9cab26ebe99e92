"""Every window, horizon and band exactly at its edge, on both sides (issue 19): due
soon (30 days), the dashboard's 90 days, remind's bands (30d, 7d, 1d, the day, overdue),
a session's first and last day, a listing's --within, and a decision taken on the as-of
day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from poacal.model import Schedule
from poacal.overview import dashboard
from poacal.queries import Standing, rows, select
from poacal.remind import Reason, candidate

DUE = date(2027, 3, 15)
START, END = date(2027, 6, 7), date(2027, 6, 11)
BODY = f"""
[[deadline]]
id = "nr"
type = "national-report"
code = "NR"
name = "National report"

  [[deadline.decision]]
  taken = 2026-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due = {DUE}

[[meeting]]
id = "bms"
type = "biennial-meeting"
code = "BMS"
name = "Biennial Meeting"

  [[meeting.decision]]
  taken = 2026-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  start = {START}
  end = {END}
"""


@pytest.fixture
def sched(build: Callable[[str], Schedule]) -> Schedule:
    return build(BODY)


def standing(sched: Schedule, item: str, day: date) -> Standing | None:
    return next((r.standing for r in rows(sched, day) if r.item.id == item), None)


def before(day: date, n: int) -> date:
    return day - timedelta(days=n)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (31, Standing.UPCOMING),
        (30, Standing.DUE_SOON),
        (1, Standing.DUE_SOON),
        (0, Standing.DUE_TODAY),
        (-1, Standing.OVERDUE),
    ],
)
def test_a_deadline_at_each_edge(sched: Schedule, days_left: int, expected: Standing) -> None:
    assert standing(sched, "nr", before(DUE, days_left)) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (before(START, 1), Standing.UPCOMING),
        (START, Standing.IN_SESSION),
        (END, Standing.IN_SESSION),
        (END + timedelta(days=1), Standing.PAST),
    ],
)
def test_a_session_on_its_first_and_last_day(
    sched: Schedule, day: date, expected: Standing
) -> None:
    assert standing(sched, "bms", day) is expected


@pytest.mark.parametrize(("days_left", "shown"), [(90, True), (91, False), (0, True)])
def test_the_dashboards_90_days(sched: Schedule, days_left: int, shown: bool) -> None:
    board = dashboard(sched, before(DUE, days_left))
    assert ("nr" in {r.item.id for r in board.deadlines}) is shown


@pytest.mark.parametrize(
    ("days_left", "reason", "horizon"),
    [
        (31, None, None),
        (30, Reason.HORIZON, 30),
        (8, Reason.HORIZON, 30),
        (7, Reason.HORIZON, 7),
        (2, Reason.HORIZON, 7),
        (1, Reason.HORIZON, 1),
        (0, Reason.DUE_TODAY, None),
        (-1, Reason.OVERDUE, None),
    ],
)
def test_remind_bands(
    sched: Schedule, days_left: int, reason: Reason | None, horizon: int | None
) -> None:
    day = before(DUE, days_left)
    [row] = [r for r in rows(sched, day) if r.item.id == "nr"]
    found = candidate(row, day, (30, 7, 1))
    assert (found.reason if found else None) is reason
    assert (found.horizon if found else None) == horizon
    if found is not None:
        assert (
            found.band
            == {
                Reason.HORIZON: f"{horizon}d",
                Reason.DUE_TODAY: "0d",
                Reason.OVERDUE: "overdue",
            }[found.reason]
        )


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (before(START, 1), Reason.HORIZON),
        (START, Reason.OPENS_TODAY),
        (START + timedelta(days=1), Reason.IN_SESSION),
        (END, Reason.IN_SESSION),
        (END + timedelta(days=1), None),
    ],
)
def test_remind_around_a_session(sched: Schedule, day: date, reason: Reason | None) -> None:
    [row] = [r for r in rows(sched, day) if r.item.id == "bms"]
    found = candidate(row, day, (30, 7, 1))
    assert (found.reason if found else None) is reason


@pytest.mark.parametrize(("days_ahead", "listed"), [(7, True), (8, False), (0, True)])
def test_a_listings_within_window(sched: Schedule, days_ahead: int, listed: bool) -> None:
    day = before(DUE, days_ahead)
    picked = select(rows(sched, day), day, until=day + timedelta(days=7))
    assert ("nr" in {r.item.id for r in picked}) is listed


@pytest.mark.parametrize(("taken", "known"), [(0, True), (1, False)])
def test_a_decision_taken_on_the_as_of_day_counts(
    build: Callable[[str], Schedule], taken: int, known: bool
) -> None:
    """A decision counts from the day it was taken: on that day, not the day before."""
    sched = build(BODY.replace("taken = 2026-01-10", "taken = 2026-06-01", 1))
    day = before(date(2026, 6, 1), taken)
    assert ("nr" in {r.item.id for r in rows(sched, day)}) is known
