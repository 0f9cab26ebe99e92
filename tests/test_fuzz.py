"""Property-based fuzzing of the loader and the export.

Any text, and any TOML document built from the schedule's own keys, gives either a
schedule or a ScheduleError, never another exception; any schedule the loader accepts
exports to iCalendar that the icalendar library parses back with the same events.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from poacal.errors import ScheduleError
from poacal.ical import FeedOptions, event, to_calendar
from poacal.load import load_schedule
from poacal.model import Schedule
from poacal.queries import rows
from poacal.vocabulary import DECISION_KEYS, DOCUMENT_KEYS, ITEM_KEYS, SCHEDULE_KEYS, Key

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def load_text(tmp: Path, text: str | bytes) -> object:
    path = tmp / "fuzz.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    try:
        return load_schedule(path)
    except ScheduleError as e:
        assert e.lines() and all(line for line in e.lines())
        return e


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_gives_a_schedule_or_a_schedule_error(tmp_path: Path, text: str) -> None:
    load_text(tmp_path, text)


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_schedule_or_a_schedule_error(tmp_path: Path, data: bytes) -> None:
    load_text(tmp_path, data)


# ------------------------------------------------------------- TOML from our keys ---


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | date):
        return v.isoformat() if isinstance(v, date) else str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def table(header: str, values: dict[str, Any]) -> str:
    return f"{header}\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items())


IDS = st.sampled_from(["bms7", "bms8", "r1", "A/RES/1", "x", "BAD ID"])
VALUES = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=-5, max_value=3000),
    st.booleans(),
    st.sampled_from(
        [
            "confirmed",
            "reported",
            "unconfirmed",
            "scheduled",
            "postponed",
            "held",
            "fulfilled",
            "open",
            "biennial-meeting",
            "review-conference",
            "national-report",
            "report",
            "2018-2024",
            "A/RES/1",
            "bms7",
            "bms8",
            "https://undocs.org/A/RES/1",
            "7",
            "Chair",
        ]
    ),
    st.text(max_size=12),
    st.lists(IDS, max_size=3),
)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
# Plain text (the loader rejects control characters and bidirectional overrides).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf")), max_size=20)


@st.composite
def mutate(draw: st.DrawFn, values: dict[str, Any], spec: tuple[Key, ...]) -> dict[str, Any]:
    """A valid table, sometimes broken: a key dropped, a value replaced, a key added."""
    values = dict(values)
    for _ in range(draw(st.integers(0, 24)) // 20):
        what = draw(st.sampled_from(["drop", "replace", "add"]))
        key = draw(st.sampled_from([*sorted(k.name for k in spec), "bogus"]))
        if what == "drop":
            values.pop(key, None)
        else:
            values[key] = draw(VALUES)
    return values


@st.composite
def dates_of(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    choice = draw(st.sampled_from(["day", "year", "early", "month", "tied", "none"]))
    year = draw(st.integers(1990, 2040))
    if choice == "day":
        start = draw(DAYS)
        if kind != "meeting":
            return {"due": start}
        return {
            "start": start,
            "end": date.fromordinal(start.toordinal() + draw(st.integers(0, 12))),
        }
    if choice == "tied" and kind != "meeting":
        return {"due_at": draw(st.sampled_from(["m0", "m1"]))}
    if choice == "year":
        return {"year": year}
    if choice == "early":
        return {"year": year, "early": True}
    if choice == "month":
        return {"year": year, "month": draw(st.integers(1, 12))}
    return {}


STATUS = {
    "meeting": ["scheduled", "postponed", "cancelled", "held"],
    "deadline": ["scheduled", "postponed", "cancelled"],
    "mandate": ["open", "fulfilled", "ongoing", "cancelled"],
}
TYPE = {"meeting": "biennial-meeting", "deadline": "national-report", "mandate": "report"}


@st.composite
def documents(draw: st.DrawFn) -> str:
    out = [table("[schedule]", draw(mutate({"revision": draw(DAYS)}, SCHEDULE_KEYS)))]
    out.append(
        table(
            "[[document]]",
            draw(
                mutate(
                    {"id": "A/RES/1", "title": draw(TEXT), "url": "https://undocs.org/A/RES/1"},
                    DOCUMENT_KEYS,
                )
            ),
        )
    )
    n = 0
    for kind in ("meeting", "deadline", "mandate"):
        for _ in range(draw(st.integers(1 if kind == "meeting" else 0, 2))):
            item = {
                "id": f"{kind[0]}{n}",
                "type": TYPE[kind],
                "code": draw(TEXT),
                "name": draw(TEXT),
            }
            n += 1
            out.append(table(f"[[{kind}]]", draw(mutate(item, ITEM_KEYS))))
            taken = sorted(draw(st.lists(DAYS, min_size=1, max_size=3)))
            for day in taken:
                dec = {
                    "taken": day,
                    "source": "A/RES/1",
                    "confidence": draw(st.sampled_from(["confirmed", "reported", "unconfirmed"])),
                }
                dec.update(draw(dates_of(kind)))
                if draw(st.booleans()):
                    dec["status"] = draw(st.sampled_from(STATUS[kind]))
                if draw(st.booleans()):
                    dec["note"] = draw(TEXT)
                out.append(table(f"[[{kind}.decision]]", draw(mutate(dec, DECISION_KEYS))))
    # m0 and m1 are the first meetings' ids only if there are two of them; a tied date to
    # a missing meeting is one more way to be invalid.
    return "\n".join(out)


@FUZZ
@given(doc=documents())
def test_schedule_shaped_documents(tmp_path: Path, doc: str) -> None:
    result = load_text(tmp_path, doc)
    if isinstance(result, ScheduleError):
        return
    day = date(2026, 11, 28)
    assert isinstance(result, Schedule)
    all_rows = rows(result, day)
    opts = FeedOptions(tentative=True)
    expected = {
        f"{r.item.id}@poacal.invalid" for r in all_rows if event(r, result, opts) is not None
    }
    data = to_calendar(all_rows, result, opts)
    parsed = Calendar.from_ical(data).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in parsed) == sorted(expected)
    assert len(parsed) == len(expected)


def test_the_generator_reaches_valid_schedules(tmp_path: Path) -> None:
    """Guard against a generator that only ever produces errors."""
    valid = 0

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(doc=documents())
    def count(doc: str) -> None:
        nonlocal valid
        if not isinstance(load_text(tmp_path, doc), ScheduleError):
            valid += 1

    count()
    assert valid > 30


@FUZZ
@given(doc=documents(), width=st.integers(20, 200), day=DAYS)
def test_any_accepted_schedule_renders_every_view_and_exports(
    tmp_path: Path, doc: str, width: int, day: date
) -> None:
    """Whatever the loader accepts, every view renders at any width from 20 to 200
    (no line wider, no control character), and the feed parses in icalendar and vobject."""
    import io

    import vobject
    from rich.cells import cell_len

    from poacal import chart, detail, history, overview, render
    from poacal.render import SafeConsole
    from poacal.svg import timeline_svg

    result = load_text(tmp_path, doc)
    if isinstance(result, ScheduleError):
        return
    sched = result
    all_rows = rows(sched, day)  # type: ignore[arg-type]
    board = overview.dashboard(sched, day)  # type: ignore[arg-type]
    views = [
        detail.dashboard(board, sched, width, "the schedule in a test"),  # type: ignore[arg-type]
        render.meetings_table([r for r in all_rows if r.item.kind.value == "meeting"], width),
        render.items_table(all_rows, sched, width),  # type: ignore[arg-type]
        render.status_table(all_rows, overview.counts(all_rows), width),
        detail.changes_view(history.changes(sched, date(1990, 1, 1), day), [], sched, width),  # type: ignore[arg-type]
        chart.timeline(all_rows, day.year - 4, day.year + 4, day, width),
        *(detail.show(r, sched) for r in all_rows[:3]),  # type: ignore[arg-type]
    ]
    for view in views:
        out = io.StringIO()
        console = SafeConsole(file=out, width=width, highlight=False, emoji=False)
        console.print(view)
        text = out.getvalue()
        assert not any(c in text for c in "\x1b\x07\x00")
        for line in text.splitlines():
            assert "://" in line or cell_len(line) <= width, line
    timeline_svg(all_rows, day.year - 4, day.year + 4, day, sched)  # type: ignore[arg-type]
    data = to_calendar(all_rows, sched, FeedOptions(tentative=True))  # type: ignore[arg-type]
    Calendar.from_ical(data)
    vobject.readOne(data.decode())
