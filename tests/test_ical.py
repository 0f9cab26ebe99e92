"""iCalendar export: parseable by two libraries, deterministic, stable UIDs, safe text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from typer.testing import CliRunner

from poacal.cli import app
from poacal.ical import CancelledMode, FeedOptions, to_calendar
from poacal.model import Schedule
from poacal.queries import rows
from tests.conftest import FIXTURE, REVISION

ENV = {"POACAL_SCHEDULE": "", "COLUMNS": "100"}


def export(*args: str) -> bytes:
    result = CliRunner().invoke(app, ["export", "ics", *args], env=ENV)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def events(data: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_golden_feed_is_byte_identical(golden: Callable[[str, bytes], None]) -> None:
    fixture = ["--schedule", str(FIXTURE)]  # the frozen data: a data edit leaves it be
    data = export("--as-of", "2026-11-28", *fixture)
    assert data == export("--as-of", "2026-11-28", *fixture)
    golden("poacal-2026-11-28.ics", data)


def test_two_parsers_agree_on_events_dates_and_uids() -> None:
    data = export("--as-of", "2026-11-28")
    ours = events(data)
    theirs = {}
    for ev in vobject.readOne(data.decode()).vevent_list:
        theirs[ev.uid.value] = (ev.dtstart.value, ev.dtend.value, ev.summary.value)
    assert set(ours) == set(theirs)
    for uid, ev in ours.items():
        assert (ev.decoded("dtstart"), ev.decoded("dtend"), str(ev["summary"])) == theirs[uid]
    # MGE1, MGE2 and BMS6 have dates since the third research pass; BMS1-5, RevCon1-2,
    # PrepCom1-3, NR 2012, GA81 and 80/38's tied mandates since the fourth and fifth
    assert len(ours) == 41


def test_bms7_moves_and_keeps_its_uid() -> None:
    before = events(export("--as-of", "2020-01-01", "--id", "bms7"))["bms7@poacal.invalid"]
    after = events(export("--as-of", "2026-11-28", "--id", "bms7"))["bms7@poacal.invalid"]
    assert (before.decoded("dtstart"), before.decoded("dtend")) == (
        date(2020, 6, 15),
        date(2020, 6, 20),
    )
    assert before["sequence"] == 0
    assert (after.decoded("dtstart"), after.decoded("dtend")) == (
        date(2021, 7, 26),
        date(2021, 7, 31),
    )
    assert after["sequence"] > 0
    assert str(after["status"]) == "CONFIRMED"


def test_postponed_meeting_strict_and_visible() -> None:
    strict = events(export("--as-of", "2020-06-01", "--id", "bms7"))["bms7@poacal.invalid"]
    assert str(strict["status"]) == "CANCELLED"
    assert strict.decoded("dtstart") == date(2020, 6, 15)
    visible = events(export("--as-of", "2020-06-01", "--id", "bms7", "--cancelled", "visible"))
    ev = visible["bms7@poacal.invalid"]
    assert str(ev["status"]) == "CONFIRMED"
    assert str(ev["summary"]).startswith("[POSTPONED] BMS7")


def test_partial_dates_only_with_tentative() -> None:
    assert "bms10@poacal.invalid" not in events(export("--as-of", "2026-11-28"))
    ev = events(export("--as-of", "2026-11-28", "--tentative"))["bms10@poacal.invalid"]
    assert str(ev["status"]) == "TENTATIVE"
    assert "2028 (dates not yet set)" in str(ev["summary"])


def test_all_day_events_use_dates_and_exclusive_end() -> None:
    data = export("--as-of", "2026-11-28")
    assert b"DTSTART;VALUE=DATE:20210726\r\n" in data
    assert b"DTEND;VALUE=DATE:20210731\r\n" in data
    assert b"T000000Z\r\nUID" not in data.split(b"BEGIN:VEVENT")[1].split(b"DTSTAMP")[0]


def test_calendar_properties_and_no_clock() -> None:
    data = export("--as-of", "2026-11-28")
    for line in (
        b"METHOD:PUBLISH",
        b"VERSION:2.0",
        b"X-PUBLISHED-TTL:P1D",
        b"REFRESH-INTERVAL;VALUE=DURATION:P1D",
        b"X-WR-CALNAME:",
        b"NAME:",
        b"PRODID:-//poacal//UN Programme of Action schedule//EN",
    ):
        assert line in data
    stamps = {str(e["dtstamp"].dt.date()) for e in events(data).values()}
    assert max(stamps) <= REVISION  # the data revision, never the clock


def test_alarms_are_opt_in() -> None:
    assert b"BEGIN:VALARM" not in export("--as-of", "2026-04-01")
    ev = events(export("--as-of", "2026-05-01", "--alarm", "30d", "--alarm", "7d"))
    alarms = ev["reports-2026@poacal.invalid"].walk("VALARM")
    assert sorted(a.decoded("trigger") for a in alarms) == [timedelta(days=-30), timedelta(days=-7)]
    assert not ev["bms9@poacal.invalid"].walk("VALARM")


def test_filters_and_uid_domain() -> None:
    ev = events(export("--kind", "deadlines", "--uid-domain", "example.org"))
    assert ev and all(u.endswith("@example.org") for u in ev)
    assert all("deadline" in str(e["categories"].to_ical()) for e in ev.values())
    cyc = events(export("--cycle", "2012-2018"))
    assert set(cyc) == {
        "bms5@poacal.invalid",
        "bms6@poacal.invalid",
        "prepcom3@poacal.invalid",
        "reports-2016@poacal.invalid",
        "revcon3@poacal.invalid",
    }


@pytest.mark.parametrize("mode", list(CancelledMode))
def test_every_event_has_the_required_properties(embedded: Schedule, mode: CancelledMode) -> None:
    data = to_calendar(
        rows(embedded, date(2020, 6, 1)), embedded, FeedOptions(cancelled=mode, tentative=True)
    )
    for ev in events(data).values():
        for prop in (
            "summary",
            "description",
            "url",
            "categories",
            "status",
            "dtstamp",
            "sequence",
            "last-modified",
        ):
            assert prop in ev, (ev["uid"], prop)


def test_export_to_file_is_atomic_and_reports_bad_folder(tmp_path: Path) -> None:
    out = tmp_path / "feed.ics"
    result = CliRunner().invoke(app, ["export", "ics", "-o", str(out)], env=ENV)
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["feed.ics"]
    bad = tmp_path / "nope" / "feed.ics"
    result = CliRunner().invoke(app, ["export", "ics", "-o", str(bad)], env=ENV)
    assert result.exit_code == 5
    assert result.stderr == f"poacal: error: {bad}: folder {bad.parent} does not exist\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--alarm", "soon"], "--alarm: cannot read 'soon'; use days or weeks, e.g. 30d or 2w"),
        (["--cancelled", "hidden"], "--cancelled: 'hidden' is not 'strict' or 'visible'"),
        (["--kind", "summits"], "--kind: 'summits' is not meetings, deadlines or mandates"),
        (["--uid-domain", "a b"], "--uid-domain: 'a b' is not a domain name"),
        (["--id", "bms77"], "no item with id or code 'bms77'; did you mean bms7, bms9, bms8?"),
    ],
)
def test_bad_export_options(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["export", "ics", *args], env=ENV)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"poacal: error: {message}\n",
    )


TIMED = """
[[meeting]]
id = "s1"
type = "biennial-meeting"
code = "S1"
name = "A session with hours"

  [[meeting.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2026-06-01
  end = 2026-06-05
  opens = 10:00:00
  closes = 18:00:00
"""


def test_timed_sessions_carry_a_tzid_and_a_vtimezone(write: Callable[..., Path]) -> None:
    from poacal.load import load_schedule

    sched = load_schedule(write(TIMED))
    data = to_calendar(rows(sched, date(2026, 2, 1)), sched, FeedOptions())
    assert b"DTSTART;TZID=America/New_York:20260601T100000\r\n" in data
    assert b"DTEND;TZID=America/New_York:20260601T180000\r\n" in data
    assert b"RRULE:FREQ=DAILY;COUNT=5\r\n" in data
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n" in data
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    # the RRULE form, not RDATE lists (desktop Outlook)
    assert b"RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n" in data and b"RDATE" not in data
    assert data == to_calendar(rows(sched, date(2026, 2, 1)), sched, FeedOptions())
    ev = vobject.readOne(data.decode()).vevent
    assert ev.dtstart.value.utcoffset() == timedelta(hours=-4)
    assert (
        rows(sched, date(2026, 2, 1))[0].label() == "1–5 June 2026, 10:00–18:00 (America/New_York)"
    )


@pytest.mark.parametrize(
    ("tzid", "offset"),
    [("America/Mexico_City", -6), ("Asia/Tehran", 3.5), ("Africa/Cairo", 3)],
)
def test_a_session_where_daylight_time_changed_the_year_before_keeps_its_hour(
    write: Callable[..., Path], tzid: str, offset: float
) -> None:
    """June 2023: Mexico City and Tehran had dropped daylight time in 2022, Cairo took it
    up again in 2023. A rule that did not end put the first two an hour early."""
    from poacal.load import load_schedule

    body = TIMED.replace("2026-0", "2023-0") + f'  timezone = "{tzid}"\n'
    sched = load_schedule(write(body))
    data = to_calendar(rows(sched, date(2023, 2, 1)), sched, FeedOptions())
    assert b"RDATE" not in data and data.count(b"BEGIN:VTIMEZONE") == 1
    ev = vobject.readOne(data.decode()).vevent
    assert ev.dtstart.value.utcoffset() == timedelta(hours=offset)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            TIMED.replace("  closes = 18:00:00\n", ""),
            'missing key "closes" (session hours need both opens and closes)',
        ),
        (
            TIMED + '  timezone = "Mars/Olympus"\n',
            'timezone: "Mars/Olympus" is not a known time zone',
        ),
        (
            TIMED.replace("end = 2026-06-05", "end = 2026-06-01").replace("10:00:00", "18:00:00"),
            "closes 18:00:00 is not after opens 18:00:00",
        ),
        (
            TIMED.replace("start = 2026-06-01\n  end = 2026-06-05", "year = 2026"),
            "opens: session hours need a meeting's exact start and end",
        ),
    ],
)
def test_session_hours_are_checked(write: Callable[..., Path], body: str, message: str) -> None:
    from poacal.errors import ScheduleError
    from poacal.load import load_schedule

    with pytest.raises(ScheduleError) as info:
        load_schedule(write(body))
    assert message in info.value.lines()[0]


THREE_DAYS = TIMED.replace("end = 2026-06-05", "end = 2026-06-03").replace(
    "start = 2026-06-01", "start = 2026-06-01"
)


def test_a_three_day_session_is_three_daily_occurrences(write: Callable[..., Path]) -> None:
    """Not one event from the first morning to the last evening, nights included."""
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    from poacal.load import load_schedule

    sched = load_schedule(write(THREE_DAYS))
    data = to_calendar(rows(sched, date(2026, 2, 1)), sched, FeedOptions())
    ev = Calendar.from_ical(data).walk("VEVENT")[0]
    start = ev.decoded("dtstart")
    recur = ev["rrule"].to_ical()
    rule = rrulestr(recur.decode() if isinstance(recur, bytes) else recur, dtstart=start)
    days = list(rule)
    assert [d.date() for d in days] == [date(2026, 6, d) for d in (1, 2, 3)]
    assert ev.decoded("dtend") - start == timedelta(hours=8)
    vev = vobject.readOne(data.decode()).vevent
    occurrences = list(vev.getrruleset())
    assert [(o.date(), o.hour, o.utcoffset()) for o in occurrences] == [
        (date(2026, 6, d), 10, timedelta(hours=-4)) for d in (1, 2, 3)
    ]


def test_tentative_placeholders_are_free_and_silent() -> None:
    data = export("--as-of", "2026-11-30", "--tentative", "--alarm", "7d", "--alarm-meetings")
    for ev in events(data).values():
        if str(ev["status"]) == "TENTATIVE":
            assert str(ev["transp"]) == "TRANSPARENT"
            assert not ev.walk("VALARM"), ev["uid"]


def test_a_new_revision_alone_changes_no_byte_of_the_feed(tmp_path: Path) -> None:
    """vdirsyncer and other sync clients copy the calendar's properties into each event:
    a revision that changes no item must leave the feed as it was."""
    from poacal.sources import embedded_path

    text = embedded_path().read_text(encoding="utf-8")
    later = tmp_path / "later.toml"
    later.write_text(text.replace(f"revision = {REVISION}", "revision = 2030-01-01", 1))
    assert later.read_text() != text
    args = ("--tentative", "--as-of", "2026-11-28")
    assert export(*args) == export(*args, "-s", str(later))


def test_a_past_date_never_recorded_is_not_recorded_in_the_feed_too() -> None:
    ev = events(export("--tentative", "--as-of", "2026-11-28"))
    summary = str(ev["reports-2022@poacal.invalid"]["summary"])
    assert summary.endswith("(2022 (date not recorded))") and "not yet set" not in summary
    ahead = str(ev["reports-2028@poacal.invalid"]["summary"])
    assert ahead.endswith("(2028 (dates not yet set))")


def _one_event(write: Callable[..., Path], body: str, **opts: Any) -> bytes:
    from poacal.load import load_schedule

    sched = load_schedule(write(body))
    marks = opts.pop("marks", {})
    data: bytes = to_calendar(rows(sched, date(2026, 2, 1), **marks), sched, FeedOptions(**opts))
    return data


def test_stamps_are_in_utc(write: Callable[..., Path]) -> None:
    # DTSTAMP must be a UTC date-time (RFC 5545 3.8.7.2), never a floating one
    data = _one_event(write, TIMED)
    stamps = [line for line in data.split(b"\r\n") if line.startswith((b"DTSTAMP", b"CREATED"))]
    assert stamps and all(line.endswith(b"T000000Z") for line in stamps), stamps


@pytest.mark.parametrize(
    ("confidence", "status"), [("unconfirmed", b"TENTATIVE"), ("reported", b"CONFIRMED")]
)
def test_an_unconfirmed_date_is_a_tentative_event(
    write: Callable[..., Path], confidence: str, status: bytes
) -> None:
    data = _one_event(
        write, TIMED.replace('confidence = "confirmed"', f'confidence = "{confidence}"')
    )
    assert b"\r\nSTATUS:" + status + b"\r\n" in data


def test_a_done_mark_is_added_to_the_whole_description(write: Callable[..., Path]) -> None:
    from poacal.queries import Done

    data = _one_event(write, TIMED, marks={"done": {"s1": Done(on=date(2026, 1, 20))}})
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    text = str(event["description"])
    assert text.startswith("A session with hours\n\nDates: 1–5 June 2026")
    assert "\n\nDone (your mark): 2026-01-20\n" in text and "\nSources:\n" in text


def test_with_several_processes_the_description_names_the_process_second(
    write: Callable[..., Path],
) -> None:
    from poacal import processes

    token = processes._chosen.set(processes.choose("all"))
    try:
        data = _one_event(write, TIMED)
    finally:
        processes._chosen.reset(token)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    lines = str(event["description"]).split("\n")
    assert lines[:4] == [
        "A session with hours",
        "UN Programme of Action on small arms (PoA/ITI)",
        "",
        "Dates: 1–5 June 2026, 10:00–18:00 (America/New_York)",
    ]


def test_alarms_say_what_they_are_about() -> None:
    ev = events(export("--as-of", "2026-05-01", "--alarm", "7d", "--alarm-meetings"))
    said = {
        uid: [
            (str(a["action"]), str(a["description"]), a.decoded("trigger"))
            for a in e.walk("VALARM")
        ]
        for uid, e in ev.items()
        if uid in ("reports-2026@poacal.invalid", "bms9@poacal.invalid")
    }
    assert said == {
        "reports-2026@poacal.invalid": [("DISPLAY", "NR 2026 due in 7 days", timedelta(days=-7))],
        "bms9@poacal.invalid": [("DISPLAY", "BMS9 opens in 7 days", timedelta(days=-7))],
    }
    assert b"\r\nACTION:DISPLAY\r\n" in export("--as-of", "2026-05-01", "--alarm", "7d")


@pytest.mark.parametrize(
    ("end", "rule"), [("2026-06-01", None), ("2026-06-02", 2), ("2026-06-05", 5)]
)
def test_a_timed_session_repeats_on_each_of_its_days(
    write: Callable[..., Path], end: str, rule: int | None
) -> None:
    data = _one_event(write, TIMED.replace("end = 2026-06-05", f"end = {end}"))
    lines = [line for line in data.split(b"\r\n") if line.startswith(b"RRULE:FREQ=DAILY")]
    assert lines == ([f"RRULE:FREQ=DAILY;COUNT={rule}".encode()] if rule else [])


def test_a_feed_with_timed_sessions_and_all_day_items(write: Callable[..., Path]) -> None:
    """Only the timed sessions' zones get a VTIMEZONE, built for their years and a year
    either side (a 2026 session: the rules from March 2025)."""
    body = TIMED + (
        '\n[[deadline]]\nid = "nr"\ntype = "national-report"\ncode = "NR"\nname = "A report"\n\n'
        '  [[deadline.decision]]\n  taken = 2026-01-01\n  source = "A/RES/1"\n'
        '  confidence = "confirmed"\n  due = 2026-05-15\n'
    )
    data = _one_event(write, body)
    assert data.count(b"BEGIN:VEVENT") == 2 and data.count(b"BEGIN:VTIMEZONE") == 1
    assert b"DTSTART;VALUE=DATE:20260515\r\n" in data
    zone = data[data.index(b"BEGIN:VTIMEZONE") : data.index(b"END:VTIMEZONE")]
    assert b"DTSTART:20250309T020000\r\n" in zone and b"DTSTART:20251102T020000\r\n" in zone


def test_a_cancelled_placeholder_stays_cancelled(write: Callable[..., Path]) -> None:
    """--tentative: a meeting known only to its year is a TENTATIVE placeholder; once
    cancelled, its placeholder says CANCELLED (a calendar strikes it out)."""
    body = (
        '[[meeting]]\nid = "m"\ntype = "biennial-meeting"\ncode = "M"\nname = "A meeting"\n\n'
        '  [[meeting.decision]]\n  taken = 2026-01-01\n  source = "A/RES/1"\n'
        '  confidence = "confirmed"\n  year = 2027\n'
    )
    cancelled = body + (
        '\n  [[meeting.decision]]\n  taken = 2026-01-20\n  source = "A/RES/1"\n'
        '  confidence = "confirmed"\n  status = "cancelled"\n'
    )
    assert b"\r\nSTATUS:TENTATIVE\r\n" in _one_event(write, body, tentative=True)
    assert b"\r\nSTATUS:CANCELLED\r\n" in _one_event(write, cancelled, tentative=True)
