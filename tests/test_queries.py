"""Queries are pure functions of a schedule and a date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from poacal.fold import state_of
from poacal.history import changes
from poacal.model import Kind, Schedule
from poacal.overview import dashboard
from poacal.queries import Done, Standing, relative, rows, select

BODY = """
[[meeting]]
id = "bms"
type = "biennial-meeting"
code = "BMS"
name = "A Biennial Meeting of States"
cycle = "2024-2030"

  [[meeting.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05

  [[meeting.decision]]
  taken = 2026-02-01
  source = "A/RES/1"
  confidence = "confirmed"
  status = "postponed"
  year = 2027

  [[meeting.decision]]
  taken = 2026-03-01
  source = "A/RES/1"
  confidence = "confirmed"
  status = "scheduled"
  start = 2027-06-07
  end = 2027-06-11

[[deadline]]
id = "report"
type = "national-report"
code = "NR"
name = "National report"
cycle = "2024-2030"
serves = "bms"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due_at = "bms"
"""


def test_fold_takes_only_decisions_known_on_the_date(build: Callable[[str], Schedule]) -> None:
    sched = build(BODY)
    assert state_of(sched, "bms", date(2025, 1, 9)).known is False  # type: ignore[union-attr]
    assert state_of(sched, "bms", date(2025, 6, 1)).when.start == date(2026, 6, 1)  # type: ignore[union-attr]
    assert state_of(sched, "bms", date(2026, 2, 15)).when.label() == "2027 (dates not yet set)"  # type: ignore[union-attr]
    final = state_of(sched, "bms", date(2026, 3, 1))
    assert final is not None
    assert final.when.start == date(2027, 6, 7)
    assert final.sequence == 2


def test_tied_deadline_follows_the_meeting(build: Callable[[str], Schedule]) -> None:
    sched = build(BODY)
    assert state_of(sched, "report", date(2025, 6, 1)).due == date(2026, 6, 1)  # type: ignore[union-attr]
    assert state_of(sched, "report", date(2026, 2, 15)).due is None  # type: ignore[union-attr]
    assert state_of(sched, "report", date(2026, 3, 1)).due == date(2027, 6, 7)  # type: ignore[union-attr]


def standing_on(
    sched: Schedule, item_id: str, day: date, done: dict[str, Done] | None = None
) -> Standing:
    return next(r.standing for r in rows(sched, day, done) if r.item.id == item_id)


def test_standings_over_time(build: Callable[[str], Schedule]) -> None:
    sched = build(BODY)
    assert standing_on(sched, "report", date(2027, 1, 1)) is Standing.UPCOMING
    assert standing_on(sched, "report", date(2027, 5, 20)) is Standing.DUE_SOON
    assert standing_on(sched, "report", date(2027, 6, 7)) is Standing.DUE_TODAY
    assert standing_on(sched, "report", date(2027, 6, 8)) is Standing.OVERDUE
    assert standing_on(sched, "report", date(2027, 6, 12)) is Standing.CLOSED
    done = {"report": Done(on=date(2027, 6, 1))}
    assert standing_on(sched, "report", date(2027, 6, 8), done) is Standing.DONE
    assert standing_on(sched, "bms", date(2026, 2, 15)) is Standing.POSTPONED
    assert standing_on(sched, "bms", date(2027, 6, 9)) is Standing.IN_SESSION
    assert standing_on(sched, "bms", date(2027, 7, 1)) is Standing.PAST


def test_dashboard_next_meeting_and_due(build: Callable[[str], Schedule]) -> None:
    sched = build(BODY)
    board = dashboard(sched, date(2027, 4, 1))
    assert board.next_meeting is not None and board.next_meeting.item.id == "bms"
    assert [r.item.id for r in board.deadlines] == ["report"]
    assert board.overdue == ()
    late = dashboard(sched, date(2027, 6, 9))
    assert [r.item.id for r in late.in_session] == ["bms"]
    assert [r.item.id for r in late.overdue] == ["report"]


def test_changes_are_newest_first_within_the_period(build: Callable[[str], Schedule]) -> None:
    sched = build(BODY)
    found = changes(sched, date(2025, 12, 31), date(2026, 12, 31))
    assert [(c.item.id, c.decision.taken) for c in found] == [
        ("bms", date(2026, 3, 1)),
        ("bms", date(2026, 2, 1)),
    ]


def test_select_defaults_to_current_cycle(embedded: Schedule) -> None:
    day = date(2020, 1, 1)
    shown = {r.item.id for r in select(rows(embedded, day), day, kinds=[Kind.MEETING])}
    assert "bms7" in shown and "revcon3" not in shown and "conference-2001" not in shown
    everything = {
        r.item.id for r in select(rows(embedded, day), day, kinds=[Kind.MEETING], everything=True)
    }
    assert {"conference-2001", "revcon3", "bms7"} <= everything


def test_relative() -> None:
    assert [relative(n) for n in (0, 1, -1, 12, 21, -21, 90, 800)] == [
        "today",
        "tomorrow",
        "yesterday",
        "in 12 days",
        "in 3 weeks",
        "3 weeks ago",
        "in 3 months",
        "in 2 years",
    ]


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=60, deadline=None)
@given(day=days)
def test_upcoming_is_never_before_as_of_and_sorted(embedded: Schedule, day: date) -> None:
    all_rows = rows(embedded, day)
    upcoming = [
        r
        for r in all_rows
        if r.standing in (Standing.UPCOMING, Standing.DUE_SOON, Standing.DUE_TODAY)
    ]
    for r in upcoming:
        assert r.state.when.start is not None and r.state.when.start >= day
    keys = [(r.state.when.earliest() or date.max, r.item.id) for r in all_rows]
    assert keys == sorted(keys)


@settings(max_examples=60, deadline=None)
@given(day=days, later=st.integers(min_value=0, max_value=3000))
def test_what_is_known_only_grows(embedded: Schedule, day: date, later: int) -> None:
    """A decision known on one day is known on every later day."""
    for item in embedded.items:
        a = state_of(embedded, item.id, day)
        b = state_of(embedded, item.id, day + timedelta(days=later))
        assert a is not None and b is not None
        assert len(a.decisions) <= len(b.decisions)
        assert b.decisions[: len(a.decisions)] == a.decisions


def test_dashboard_names_what_comes_after_the_next_meeting(embedded: Schedule) -> None:
    board = dashboard(embedded, date(2026, 11, 28))
    assert board.next_meeting is not None and board.next_meeting.item.id == "bms10"
    assert [r.item.id for r in board.then] == ["oeteg-2028", "prepcom5", "revcon5"]
