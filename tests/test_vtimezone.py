"""Time zones as calendar clients read them: every zone the machine knows, sessions in
every month of two years, each VTIMEZONE poacal writes read back by vobject and by ical.js
(Thunderbird's parser), and each session's instant compared with Python's zoneinfo. Zones
that dropped, added or moved daylight saving time near an event are among them (Mexico
City and Tehran dropped it in 2022; Cairo took it up again in 2023, ending it on "the last
Thursday of October at 24:00"; Israel's starts on the Friday before the last Sunday)."""

import shutil
import subprocess
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar, Event

from poacal.vtimezone import vtimezone

ROOT = Path(__file__).parent.parent
ICALJS = ROOT / ".cache" / "npm" / "node_modules" / "ical.js" / "dist" / "ical.es5.cjs"
READER = Path(__file__).parent / "js" / "icaljs_utc.cjs"

ZONES = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
# As ical.py does: the sessions' years, and a year either side.
FIRST, LAST = date(2022, 1, 1), date(2025, 12, 31)
SESSIONS = [datetime(y, m, d, 10) for y in (2023, 2024) for m in range(1, 13) for d in (5, 20)]
CHANGED = ["America/Mexico_City", "Asia/Tehran", "Africa/Cairo", "Asia/Jerusalem"]


def feed(tzid: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//poacal tests//")
    cal.add("version", "2.0")
    cal.add_component(vtimezone(tzid, FIRST, LAST))
    for at in SESSIONS:
        ev = Event()
        ev.add("uid", at.isoformat())
        ev.add("dtstamp", datetime(2020, 1, 1, tzinfo=UTC))
        ev.add("dtstart", at.replace(tzinfo=ZoneInfo(tzid)))
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data


def utc(tzid: str, at: datetime) -> datetime:
    return at.replace(tzinfo=ZoneInfo(tzid)).astimezone(UTC)


def test_the_zones_are_there() -> None:
    assert len(ZONES) > 300 and set(CHANGED) <= set(ZONES)


@pytest.mark.slow
def test_every_zone_reads_right_in_vobject() -> None:
    wrong = []
    for tzid in ZONES:
        for ev in vobject.readOne(feed(tzid).decode()).vevent_list:
            at = datetime.fromisoformat(ev.uid.value)
            if ev.dtstart.value.astimezone(UTC) != utc(tzid, at):
                wrong.append((tzid, at, ev.dtstart.value.utcoffset()))
                break
    assert wrong == []


@pytest.mark.slow
def test_every_zone_reads_right_in_icaljs(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not ICALJS.is_file():
        pytest.skip("node or ical.js is missing: `make test` installs ical.js with npm")
    files, want = [], {}
    for n, tzid in enumerate(ZONES):
        path = tmp_path / f"{n}.ics"
        path.write_bytes(feed(tzid))
        files.append(str(path))
        for at in SESSIONS:
            want[(str(path), at.isoformat())] = utc(tzid, at).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = subprocess.run(
        [node, str(READER), str(ICALJS)],
        input="\n".join(files),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = {(f, uid): when for f, uid, when in (line.split() for line in out.splitlines())}
    assert got.keys() == want.keys()
    wrong = sorted({ZONES[int(Path(f).stem)] for (f, uid), w in want.items() if got[(f, uid)] != w})
    assert wrong == []


@pytest.mark.parametrize("tzid", CHANGED)
def test_a_zone_whose_rules_changed_has_no_rule_beyond_its_change(tzid: str) -> None:
    tz = vtimezone(tzid, FIRST, LAST)
    text = tz.to_ical().decode()
    assert "RDATE" not in text
    # The offset in force when the years begin comes first, changing nothing.
    first = tz.subcomponents[0]
    begin = datetime(2022, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(tzid))
    assert first.decoded("dtstart") == begin.replace(tzinfo=None)
    assert first.decoded("tzoffsetfrom") == first.decoded("tzoffsetto") == begin.utcoffset()
    # Every yearly rule ends, a day after its last transition.
    rules = [c.decoded("rrule") for c in tz.subcomponents if "RRULE" in c]
    assert all("UNTIL" in r for r in rules)


def test_mexico_city_after_2022_is_standard_time_only() -> None:
    tz = vtimezone("America/Mexico_City", FIRST, LAST)
    parts = [(c.name, c.decoded("dtstart"), "RRULE" in c) for c in tz.subcomponents]
    assert parts == [
        ("STANDARD", datetime(2021, 12, 31, 18), False),
        ("DAYLIGHT", datetime(2022, 4, 3, 2), False),
        ("STANDARD", datetime(2022, 10, 30, 2), False),
    ]
    assert tz.subcomponents[-1].decoded("tzoffsetto") == timedelta(hours=-6)


def test_a_run_of_years_ends_a_day_after_its_last_transition() -> None:
    # Cairo: daylight time from the last Friday of April, in 2023, 2024 and 2025.
    tz = vtimezone("Africa/Cairo", FIRST, LAST)
    (daylight,) = [c for c in tz.subcomponents if c.name == "DAYLIGHT"]
    assert daylight.decoded("dtstart") == datetime(2023, 4, 28)
    assert daylight.decoded("rrule")["UNTIL"] == datetime(2025, 4, 26, tzinfo=UTC)


def test_a_zone_that_keeps_its_rules_has_two_open_rules() -> None:
    text = vtimezone("Europe/Berlin", FIRST, LAST).to_ical().decode()
    assert text.count("RRULE:") == 2 and "UNTIL" not in text and "RDATE" not in text


def test_a_zone_without_daylight_time_has_one_offset() -> None:
    tz = vtimezone("Asia/Tokyo", FIRST, LAST)
    assert [(c.name, c.decoded("tzoffsetto")) for c in tz.subcomponents] == [
        ("STANDARD", timedelta(hours=9))
    ]
