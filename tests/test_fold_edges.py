"""The fold at its edges: from when an undated decision counts (its document's adoption,
the Review Conference that opened its cycle, the item's first dated decision, never
before a decision listed before it, a report of a meeting never before the meeting
could end), and when a Chair-designate stops being shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from poacal.fold import cycle_openings, decision_dates, state_of
from poacal.model import Schedule

DOCS = """
[[document]]
id = "A/RES/2"
symbol = "A/RES/2"
title = "A resolution adopted early"
url = "https://undocs.org/A/RES/2"
adopted = 2025-01-01

[[document]]
id = "A/RES/3"
symbol = "A/RES/3"
title = "A resolution adopted before the meeting ended"
url = "https://undocs.org/A/RES/3"
adopted = 2026-05-01

[[document]]
id = "report"
symbol = "A/CONF/1"
title = "A report with no date"
url = "https://undocs.org/A/CONF/1"
"""


def dates(build: Callable[[str], Schedule], body: str) -> tuple[date | None, ...]:
    sched = build(DOCS + body)
    return decision_dates(sched.items[0], sched.documents, cycle_openings(sched))


MEETING = """
[[meeting]]
id = "m"
type = "biennial-meeting"
code = "M"
name = "A meeting"
"""


def test_an_undated_first_decision_counts_from_the_first_dated_one(
    build: Callable[[str], Schedule],
) -> None:
    body = (
        MEETING
        + """
  [[meeting.decision]]
  source = "report"
  confidence = "confirmed"
  year = 2026

  [[meeting.decision]]
  taken = 2025-03-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05
"""
    )
    assert dates(build, body) == (date(2025, 3, 1), date(2025, 3, 1))


def test_an_undated_decision_never_counts_before_the_one_listed_before_it(
    build: Callable[[str], Schedule],
) -> None:
    # A/RES/2 was adopted on 1 January 2025, but the decision listed before was taken
    # on 1 June 2025: the later one counts from then.
    body = (
        MEETING
        + """
  [[meeting.decision]]
  taken = 2025-06-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05

  [[meeting.decision]]
  source = "A/RES/2"
  confidence = "confirmed"
  start = 2026-07-06
  end = 2026-07-10

  [[meeting.decision]]
  source = "report"
  confidence = "confirmed"
  start = 2026-08-03
  end = 2026-08-07
"""
    )
    assert dates(build, body) == (date(2025, 6, 1), date(2025, 6, 1), date(2025, 6, 1))


def test_an_outcome_counts_from_the_last_day_the_meeting_could_end(
    build: Callable[[str], Schedule],
) -> None:
    body = (
        MEETING
        + """
  [[meeting.decision]]
  taken = 2025-06-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05

  [[meeting.decision]]
  source = "A/RES/3"
  confidence = "confirmed"
  outcome = "A report adopted by consensus"
"""
    )
    # A/RES/3 was adopted on 1 May 2026; the outcome is known only once the meeting ends
    assert dates(build, body) == (date(2025, 6, 1), date(2026, 6, 5))


def test_with_nothing_to_date_it_a_held_report_counts_from_the_meetings_end(
    build: Callable[[str], Schedule],
) -> None:
    body = (
        MEETING
        + """
  [[meeting.decision]]
  source = "report"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05

  [[meeting.decision]]
  source = "report"
  confidence = "confirmed"
  status = "held"
"""
    )
    assert dates(build, body) == (None, date(2026, 6, 5))


def test_only_a_held_review_conference_opens_a_cycle(build: Callable[[str], Schedule]) -> None:
    body = """
[[meeting]]
id = "rc"
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
"""
    assert cycle_openings(build(body)) == {}
    held = (
        body
        + """
  [[meeting.decision]]
  taken = 2026-02-10
  source = "A/RES/1"
  confidence = "confirmed"
  status = "held"
"""
    )
    assert cycle_openings(build(held)) == {"2026-2032": date(2026, 2, 10)}


def test_a_chair_designate_is_shown_through_the_meetings_last_day(
    build: Callable[[str], Schedule],
) -> None:
    sched = build(
        MEETING
        + """
  [[meeting.decision]]
  taken = 2025-06-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05
  chair = "Ambassador A (Somewhere)"
  chair_role = "Chair-designate"
"""
    )
    on = state_of(sched, "m", date(2026, 6, 5))
    after = state_of(sched, "m", date(2026, 6, 6))
    assert on is not None and after is not None
    assert (on.fact("chair"), on.fact("chair_role")) == (
        "Ambassador A (Somewhere)",
        "Chair-designate",
    )
    assert (after.fact("chair"), after.fact("chair_role")) == (None, None)


def test_a_date_due_at_a_meeting_not_yet_decided_is_not_set(
    build: Callable[[str], Schedule],
) -> None:
    sched = build(
        MEETING
        + """
  [[meeting.decision]]
  taken = 2026-03-01
  source = "A/RES/1"
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
    )
    before, after = state_of(sched, "r", date(2026, 2, 28)), state_of(sched, "r", date(2026, 3, 1))
    assert before is not None and after is not None
    assert not before.when.firm
    assert before.tied_to == "m" and before.when.start is None
    assert after.when.start == date(2026, 9, 1)
