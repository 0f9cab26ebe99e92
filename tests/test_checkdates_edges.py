"""The dates a decision sets, checked at their edges: each refusal word for word at its
line (the key's own line, or the decision's when the key is missing), and the first and
last value accepted on either side of each range."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from poacal.errors import ScheduleError
from poacal.load import load_schedule
from poacal.model import Precision, Schedule, When

# The standard header (conftest.HEADER) is eight lines; the meeting's decision starts at
# line 16, the deadline's at line 30.
MEETING = """
[[meeting]]
id = "m"
type = "conference"
code = "M"
name = "A meeting"

  [[meeting.decision]]
  taken = 2020-01-01
  source = "A/RES/1"
  confidence = "confirmed"
"""
SESSION = "  start = 2024-06-10\n  end = 2024-06-14\n"
DEADLINE = (
    MEETING
    + SESSION
    + """
[[deadline]]
id = "d"
type = "views"
code = "D"
name = "A deadline"

  [[deadline.decision]]
  taken = 2020-01-01
  source = "A/RES/1"
  confidence = "confirmed"
"""
)
M = 'meeting "m", decision 1'
HOURS = "give start and end dates with opens and closes"
TWO = "exact dates and a year/month/early are two precisions; keep one"
D = 'deadline "d", decision 1'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            MEETING + SESSION + "  closes = 18:00:00\n",
            f'22: {M}: missing key "opens" (session hours need both opens and closes)',
        ),
        (
            MEETING + SESSION + "  opens = 10:00:00\n",
            f'22: {M}: missing key "closes" (session hours need both opens and closes)',
        ),
        (
            MEETING + SESSION + '  timezone = "Europe/Zurich"\n',
            f'16: {M}: missing key "opens" (session hours need both opens and closes)',
        ),
        (
            # a one-day session closes after it opens; at the same minute it does not
            MEETING + "  start = 2024-06-10\n  end = 2024-06-10\n"
            "  opens = 10:00:00\n  closes = 10:00:00\n",
            f"23: {M}: closes 10:00:00 is not after opens 10:00:00",
        ),
        (
            MEETING + SESSION + "  opens = 10:00:00\n  closes = 13:00:00\n"
            '  timezone = "Mars/Olympus"\n',
            f'24: {M}: timezone: "Mars/Olympus" is not a known time zone '
            '(use an IANA name such as "America/New_York" or "Europe/Zurich")',
        ),
        # session hours only on a meeting with both its days
        (
            DEADLINE + "  due = 2024-05-01\n  closes = 10:00:00\n",
            f"34: {D}: closes: session hours need a meeting's exact start and end ({HOURS})",
        ),
        (
            MEETING + "  end = 2024-06-14\n  opens = 10:00:00\n",
            f"21: {M}: opens: session hours need a meeting's exact start and end ({HOURS})",
        ),
        # one day for a deadline; both days for a meeting, in order
        (
            DEADLINE + "  start = 2024-05-01\n",
            f"33: {D}: start: a deadline has one day, due (write due = YYYY-MM-DD)",
        ),
        (
            DEADLINE + "  end = 2024-05-01\n",
            f"33: {D}: end: a deadline has one day, due (write due = YYYY-MM-DD)",
        ),
        (
            MEETING + "  start = 2024-05-01\n",
            f'20: {M}: missing key "end" (a meeting with exact dates needs both start and end)',
        ),
        (
            MEETING + "  end = 2024-05-01\n",
            f'20: {M}: missing key "start" (a meeting with exact dates needs both start and end)',
        ),
        (
            MEETING + "  start = 2024-05-02\n  end = 2024-05-01\n",
            f"21: {M}: end 2024-05-01 is before start 2024-05-02",
        ),
        # each key of one precision against each of the other
        (
            DEADLINE + "  year = 2024\n  due = 2024-05-01\n",
            f"33: {D}: year: conflicts with due ({TWO})",
        ),
        (
            DEADLINE + "  month = 5\n  due = 2024-05-01\n",
            f"33: {D}: month: conflicts with due ({TWO})",
        ),
        (
            DEADLINE + "  early = true\n  due = 2024-05-01\n",
            f"33: {D}: early: conflicts with due ({TWO})",
        ),
        (
            MEETING + "  year = 2024\n  end = 2024-06-14\n",
            f"20: {M}: year: conflicts with end ({TWO})",
        ),
        (
            MEETING + '  due_at = "m"\n',
            f"20: {M}: due_at: a meeting cannot be tied to another meeting",
        ),
        (
            DEADLINE + '  due_at = "m"\n  due = 2024-01-01\n',
            f"34: {D}: due: conflicts with due_at "
            "(a date tied to a meeting takes its opening day; give one or the other)",
        ),
        (
            DEADLINE + "  year = 1944\n",
            f"33: {D}: year: 1944 is out of range (expected 1945 to 2100)",
        ),
        (
            DEADLINE + "  year = 2101\n",
            f"33: {D}: year: 2101 is out of range (expected 1945 to 2100)",
        ),
        (
            DEADLINE + "  year = 2024\n  early = true\n  month = 2\n",
            f"34: {D}: early: conflicts with month (give a month or early, not both)",
        ),
        (DEADLINE + "  year = 2024\n  month = 0\n", f"34: {D}: month: 0 is not 1 to 12"),
        (DEADLINE + "  year = 2024\n  month = 13\n", f"34: {D}: month: 13 is not 1 to 12"),
    ],
)
def test_a_date_refused_word_for_word_at_its_line(
    write: Callable[..., Path], text: str, problem: str
) -> None:
    path = write(text)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:{problem}"]


def when_of(sched: Schedule, item_id: str) -> When | None:
    return sched.by_id[item_id].decisions[0].when


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ("  year = 1945\n", When(precision=Precision.YEAR, year=1945)),
        ("  year = 2100\n", When(precision=Precision.YEAR, year=2100)),
        ("  year = 2024\n  month = 1\n", When(precision=Precision.MONTH, year=2024, month=1)),
        ("  year = 2024\n  month = 12\n", When(precision=Precision.MONTH, year=2024, month=12)),
    ],
)
def test_the_first_and_last_year_and_month_are_accepted(
    build: Callable[[str], Schedule], dates: str, expected: When
) -> None:
    assert when_of(build(DEADLINE + dates), "d") == expected


@pytest.mark.parametrize(
    ("dates", "opens", "closes"),
    [
        # a minute after it opens, on one day; before it opened, on another day
        ("  start = 2024-06-10\n  end = 2024-06-10\n", "10:00", "10:01"),
        ("  start = 2024-06-10\n  end = 2024-06-12\n", "10:00", "09:00"),
    ],
)
def test_session_hours_at_their_edges_are_accepted(
    build: Callable[[str], Schedule], dates: str, opens: str, closes: str
) -> None:
    hours = f"  opens = {opens}:00\n  closes = {closes}:00\n"
    when = when_of(build(MEETING + dates + hours), "m")
    assert when is not None and when.opens is not None and when.closes is not None
    assert (f"{when.opens:%H:%M}", f"{when.closes:%H:%M}", when.tz) == (
        opens,
        closes,
        "America/New_York",
    )


def test_a_months_planned_length_is_kept(build: Callable[[str], Schedule]) -> None:
    sched = build(MEETING + '  year = 2024\n  month = 6\n  length = "five days"\n')
    assert when_of(sched, "m") == When(
        precision=Precision.MONTH, year=2024, month=6, length="five days"
    )
