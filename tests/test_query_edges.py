"""The as-of queries exactly at their edges, on both sides: where a date not yet set turns
"past" or "closed", where an overdue item closes with its meeting, where a done mark or a
note counts, where a cycle begins and ends, where "2 weeks" becomes "2 months"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from poacal.model import Schedule
from poacal.queries import Done, Note, Row, Standing, cycle_of, relative, rows, select

BODY = """
[[meeting]]
id = "m"
type = "biennial-meeting"
code = "M"
name = "A meeting known to its year"
cycle = "2024-2030"

  [[meeting.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  year = 2026

[[meeting]]
id = "held"
type = "biennial-meeting"
code = "H"
name = "A meeting with dates"
cycle = "2024-2030"

  [[meeting.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05

[[meeting]]
id = "later"
type = "biennial-meeting"
code = "L"
name = "A meeting decided later"
cycle = "2024-2030"

  [[meeting.decision]]
  taken = 2026-03-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-09-01
  end = 2026-09-04

[[deadline]]
id = "nr"
type = "national-report"
code = "NR"
name = "A report known to its year"
cycle = "2024-2030"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  year = 2028

[[deadline]]
id = "views"
type = "views"
code = "V"
name = "Views for the meeting"
cycle = "2024-2030"
serves = "held"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-03-01

[[deadline]]
id = "early"
type = "views"
code = "E"
name = "Views for a meeting not yet decided"
cycle = "2024-2030"
serves = "later"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-02-01

[[deadline]]
id = "month"
type = "views"
code = "MO"
name = "Views due in a month"
cycle = "2024-2030"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  year = 2026
  month = 10
"""

YEARLY = """
[[meeting]]
id = "m"
type = "biennial-meeting"
code = "M"
name = "A meeting"

  [[meeting.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05

[[deadline]]
id = "views"
type = "views"
code = "V"
name = "Views for the meeting"
serves = "m"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-03-01

[[deadline]]
id = "ar-2026"
type = "national-report"
code = "AR 2026"
name = "Annual report 2026"
closed_by = "ar-2027"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-05-31

[[deadline]]
id = "ar-2027"
type = "national-report"
code = "AR 2027"
name = "Annual report 2027"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2027-05-31
"""


def row(sched: Schedule, item_id: str, day: str, **marks: object) -> Row:
    found = [r for r in rows(sched, date.fromisoformat(day), **marks) if r.item.id == item_id]  # type: ignore[arg-type]
    assert len(found) == 1, (item_id, day)
    return found[0]


@pytest.fixture
def sched(build: Callable[[str], Schedule]) -> Schedule:
    return build(BODY)


@pytest.mark.parametrize(
    ("item_id", "last_day", "after"),
    [
        # a meeting known to its year is "dates not yet set" to the year's last day
        ("m", "2026-12-31", Standing.PAST),
        # a deadline known to its year: "not set" through the year, then "closed"
        ("nr", "2028-12-31", Standing.CLOSED),
    ],
)
def test_a_date_not_yet_set_is_over_the_day_after_its_last_possible_day(
    sched: Schedule, item_id: str, last_day: str, after: Standing
) -> None:
    assert row(sched, item_id, last_day).standing is Standing.NOT_SET
    day_after = date.fromisoformat(last_day).replace(year=int(last_day[:4]) + 1, month=1, day=1)
    assert row(sched, item_id, day_after.isoformat()).standing is after


def test_overdue_until_the_meeting_it_serves_is_over(sched: Schedule) -> None:
    assert row(sched, "views", "2026-06-05").standing is Standing.OVERDUE  # its last day
    assert row(sched, "views", "2026-06-06").standing is Standing.CLOSED


def test_overdue_closes_with_its_meeting_where_yearly_items_close_too(
    build: Callable[[str], Schedule],
) -> None:
    """A schedule with `closed_by` items (the ATT's annual reports) still closes an
    overdue item with the meeting it serves."""
    sched = build(YEARLY)
    assert row(sched, "views", "2026-06-06").standing is Standing.CLOSED
    assert row(sched, "ar-2026", "2027-05-31").standing is Standing.OVERDUE
    assert row(sched, "ar-2026", "2027-06-01").standing is Standing.CLOSED


def test_a_month_only_date_has_no_days_left(sched: Schedule) -> None:
    r = row(sched, "month", "2026-04-01")
    assert r.days is None and r.standing is Standing.NOT_SET


def test_a_done_mark_and_a_note_count_from_their_own_day(sched: Schedule) -> None:
    done = {"views": Done(on=date(2026, 2, 20))}
    notes = {"views": [Note(on=date(2026, 2, 20), text="sent to capital")]}
    before = row(sched, "views", "2026-02-19", done=done, notes=notes)
    on = row(sched, "views", "2026-02-20", done=done, notes=notes)
    assert before.done is None and before.notes == () and before.standing is Standing.DUE_SOON
    assert on.done == done["views"] and on.notes == tuple(notes["views"])
    assert on.standing is Standing.DONE


def test_a_meeting_served_is_named_only_once_it_is_known(sched: Schedule) -> None:
    assert row(sched, "early", "2026-02-28").serves is None  # "later" decided 1 March
    assert row(sched, "early", "2026-03-01").serves == "later"


def test_cycles_include_their_first_and_last_years() -> None:
    cycles = ["2018-2024", "2024-2030"]
    assert cycle_of(2017, cycles) == set()
    assert cycle_of(2018, cycles) == {"2018-2024"}
    assert cycle_of(2024, cycles) == {"2018-2024", "2024-2030"}
    assert cycle_of(2030, cycles) == {"2024-2030"}
    assert cycle_of(2031, cycles) == set()


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (2, "in 2 days"),
        (-2, "2 days ago"),
        (13, "in 13 days"),
        (14, "in 2 weeks"),
        (-14, "2 weeks ago"),
        (59, "in 8 weeks"),
        (60, "in 2 months"),
        (729, "in 24 months"),
        (730, "in 2 years"),
        (1095, "in 3 years"),
        (-1095, "3 years ago"),
    ],
)
def test_relative_words_at_each_step(days: int, words: str) -> None:
    assert relative(days) == words


def test_select_by_type_keeps_only_that_type(sched: Schedule) -> None:
    day = date(2026, 4, 1)
    picked = select(rows(sched, day), day, types=["national-report"], everything=True)
    assert [r.item.id for r in picked] == ["nr"]


def test_an_own_item_shows_through_its_last_possible_day(build: Callable[[str], Schedule]) -> None:
    """An item of no cycle (a user's own) shows while it lies ahead, its last possible day
    included, though it needs no attention (its date is known only to the month)."""
    sched = build(
        BODY
        + """
[[deadline]]
id = "own"
type = "views"
code = "OWN"
name = "An item of no cycle"

  [[deadline.decision]]
  taken = 2025-01-10
  source = "A/RES/1"
  confidence = "confirmed"
  year = 2030
  month = 4
"""
    )

    def shown(day: str) -> bool:
        d = date.fromisoformat(day)
        # an item of the current cycle (2024-2030) shows; one of none, while ahead
        return "own" in {r.item.id for r in select(rows(sched, d), d)}

    assert shown("2030-04-30") and not shown("2030-05-01")
