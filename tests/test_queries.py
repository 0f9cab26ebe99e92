"""Queries are pure functions of a schedule and a date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

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
    # Each of the meeting's changes, then the report due at its opening, moved with it.
    assert [(c.item.id, c.decision.taken, c.follows and c.follows.id) for c in found] == [
        ("bms", date(2026, 3, 1), None),
        ("report", date(2026, 3, 1), "bms"),
        ("bms", date(2026, 2, 1), None),
        ("report", date(2026, 2, 1), "bms"),
    ]
    assert [c.changed for c in found if c.follows] == [
        (("dates", "2027 (dates not yet set)", "7 June 2027"),),
        (("dates", "1 June 2026", "2027 (dates not yet set)"),),
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


def _followed(
    since: date, as_of: date, **filters: object
) -> list[tuple[str, str, tuple[str, str | None, str], str]]:
    from poacal.load import load_schedule
    from tests.conftest import FIXTURE

    sched = load_schedule(FIXTURE)
    return [
        (c.item.code, c.decision.source, c.changed[0], c.follows.id)
        for c in changes(sched, since, as_of, **filters)  # type: ignore[arg-type]
        if c.follows is not None
    ]


def test_changes_list_the_dates_that_moved_with_a_meeting() -> None:
    """74/552 postponed BMS7 (by 14 May 2020), and with it the mandates due at its
    opening; `changes` lists them, naming the decision and the meeting."""
    moved = ("dates", "15 June 2020", "2021 (dates not yet set)")
    want = [
        ("74/60 §26", "decision 74/552", moved, "bms7"),
        ("74/60 §27", "decision 74/552", moved, "bms7"),
    ]
    assert _followed(date(2020, 5, 13), date(2020, 5, 14)) == want
    # the window's edges: taken after `since`, on or before `as_of`
    assert _followed(date(2020, 5, 14), date(2020, 6, 1)) == []
    assert _followed(date(2020, 1, 1), date(2020, 5, 13)) == []
    # filters apply to the item that moved, not to the meeting
    assert _followed(date(2020, 5, 13), date(2020, 5, 14), kinds=[Kind.MEETING]) == []
    assert _followed(date(2020, 5, 13), date(2020, 5, 14), ids=["sg-diversion-views"]) == want[:1]


def test_a_fulfilled_mandate_no_longer_moves_with_its_meeting() -> None:
    # By 75/241 (December 2020) §26 was fulfilled (June 2020); §27 was still open.
    found = _followed(date(2020, 12, 1), date(2021, 1, 1))
    assert [code for code, *_ in found] == ["74/60 §27"]
    assert found[0][2] == ("dates", "2021 (dates not yet set)", "26 July 2021")


def _agrees(sched: Schedule) -> None:
    """`state_of` (show, changes) folds one item and the meetings it is due at; it must
    say what the one pass over the whole schedule says, on every date that matters."""
    from poacal.fold import states

    tied = [i for i in sched.items if any(d.due_at for d in i.decisions)]
    assert tied
    taken = {d.taken for i in sched.items for d in i.decisions if d.taken}
    taken |= {doc.adopted for doc in sched.documents.values() if doc.adopted}
    for day in sorted({*taken, *(date.fromordinal(d.toordinal() - 1) for d in taken)}):
        every = {st.item.id: st for st in states(sched, day)}
        for item in tied:
            assert state_of(sched, item.id, day) == every[item.id], (item.id, day)


def test_state_of_one_item_agrees_with_the_states_of_all() -> None:
    from poacal.load import load_schedule
    from tests.conftest import FIXTURE

    _agrees(load_schedule(FIXTURE))


UNDATED_MOVE = """
[[document]]
id = "A/RES/2"
symbol = "A/RES/2"
title = "A later resolution"
url = "https://undocs.org/A/RES/2"
adopted = 2026-03-01

[[document]]
id = "A/RES/3"
symbol = "A/RES/3"
title = "An outcome document"
url = "https://undocs.org/A/RES/3"

[[meeting]]
id = "revcon"
type = "review-conference"
code = "RC"
name = "A Review Conference"
cycle = "2026-2032"

  [[meeting.decision]]
  taken = 2025-06-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-02-02
  end = 2026-02-10

  [[meeting.decision]]
  taken = 2026-02-10
  source = "A/RES/1"
  confidence = "confirmed"
  status = "held"

[[meeting]]
id = "m"
type = "biennial-meeting"
code = "M"
name = "A meeting"
cycle = "2026-2032"

  [[meeting.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-15
  end = 2026-06-19

  [[meeting.decision]]
  source = "A/RES/3"
  confidence = "confirmed"
  start = 2026-07-06
  end = 2026-07-10

  [[meeting.decision]]
  source = "A/RES/2"
  confidence = "confirmed"
  start = 2026-09-01
  end = 2026-09-04

[[mandate]]
id = "r"
type = "report"
code = "R"
name = "A report due at the meeting"
addressee = "Secretary-General"

  [[mandate.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  due_at = "m"
"""


def test_state_of_dates_undated_decisions_as_the_whole_schedule_does(
    write: Callable[..., Path],
) -> None:
    """A meeting moved by undated decisions: one counts from the end of the Review
    Conference that opened its cycle, one from its resolution's adoption."""
    from poacal.load import load_schedule

    sched = load_schedule(write(UNDATED_MOVE))
    starts = {
        day: state_of(sched, "r", date.fromisoformat(day)).when.start  # type: ignore[union-attr]
        for day in ("2026-02-09", "2026-02-10", "2026-02-28", "2026-03-01")
    }
    assert starts == {
        "2026-02-09": date(2026, 6, 15),
        "2026-02-10": date(2026, 7, 6),
        "2026-02-28": date(2026, 7, 6),
        "2026-03-01": date(2026, 9, 1),
    }
    _agrees(sched)
