"""The listings: `meetings`, `deadlines`, `mandates` (with --within/--until and the
items whose date is not set apart), `agenda` and `calendar`."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from poacal.cli.common import (
    boundary,
    check_cycles,
    emit,
    emit_json,
    load,
    marks,
    parse_as_of,
    parse_kinds,
)
from poacal.cli.options import (
    All,
    AsOf,
    Cycle,
    Ids,
    Json,
    Kinds,
    Lang,
    Processes,
    SchedulePaths,
    Wide,
    app,
)
from poacal.errors import UsageError
from poacal.model import MeetingType

Within = Annotated[
    str | None,
    typer.Option(
        "--within",
        metavar="WINDOW",
        help="Only what falls within this window ahead of the as-of date: 14d, 6w, 3m, 1y.",
    ),
]

if TYPE_CHECKING:
    from datetime import date

    from poacal.model import Kind


Until = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="DATE", help="Only what falls between the as-of date and DATE."
    ),
]


def _until(within: str | None, until: str | None, day: "date") -> "date | None":
    """The end of a forward window from --within and --until (the earlier of the two)."""
    from poacal.windows import WINDOW_RE, window_end

    ends = []
    if within is not None:
        end = window_end(within, day) if WINDOW_RE.match(within) else None
        if end is None:
            raise UsageError(f"--within: cannot read {within!r}; use a window: 14d, 6w, 3m, 1y")
        ends.append(end)
    if until is not None:
        ends.append(parse_as_of(until, "--until"))
    if ends and min(ends) < day:
        raise UsageError("--until: the date is before the as-of date")
    return min(ends) if ends else None


def _listing(
    kind: "Kind",
    as_of: str | None,
    schedule: list[Path] | None,
    json: bool,
    everything: bool,
    cycles: list[str] | None,
    types: list[str] | None = None,
    ids: bool = False,
    within: str | None = None,
    until: str | None = None,
    wide: bool = False,
) -> None:
    from poacal import queries

    day = parse_as_of(as_of)
    end = _until(within, until, day)
    sched = load(schedule)
    rows = queries.select(
        queries.rows(sched, day, *marks()),
        day,
        kinds=[kind],
        cycles=check_cycles(sched, cycles),
        types=types or (),
        everything=everything,
        until=end,
    )
    not_set: list[Any] = []
    if end is not None:
        # In a window, an item known only to its month or year may fall in it or not:
        # listed apart, never mixed into the dated list.
        not_set = [r for r in rows if not r.state.when.firm]
        rows = [r for r in rows if r.state.when.firm]
    if json:
        from poacal import jsonout

        extra: dict[str, Any] = (
            {"date_not_set": [jsonout.item(r, sched) for r in not_set]} if end else {}
        )
        emit_json(jsonout.listing(rows, sched, day, **extra))
        return
    from poacal import render

    if not rows and not not_set:
        hint = "" if everything else "; add --all for earlier cycles"
        sys.stderr.write(f"No {kind.value}s to show{hint}.\n")
        return

    def table(found: list[Any], width: int, title: str | None = None) -> Any:
        if kind.value == "meeting":
            return render.meetings_table(found, width, title=title, ids=ids)
        return render.items_table(found, sched, width, title=title, ids=ids)

    if not not_set:
        emit(lambda width: table(rows, width), wide)
        return
    from rich.console import Group

    def both(width: int) -> Any:
        parts: list[Any] = [table(rows, width)] if rows else [f"No dated {kind.value}s here."]
        return Group(*parts, "", table(not_set, width, "Date not set; may fall in this window"))

    emit(both, wide)


def _complete_type(incomplete: str) -> list[str]:
    from poacal.model import MeetingType

    return [t.value for t in MeetingType if t.value.startswith(incomplete)]


@app.command()
@boundary
def meetings(
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    everything: All = False,
    cycle: Cycle = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="TYPE",
            autocompletion=_complete_type,
            help="Only this type of meeting: " + ", ".join(MeetingType) + ".",
        ),
    ] = None,
    ids: Ids = False,
    within: Within = None,
    until: Until = None,
    wide: Wide = False,
) -> None:
    """Meetings: Review Conferences, Biennial Meetings of States, Preparatory Committees,
    expert groups; with dates, venue, chair, status and how far away they are."""
    from poacal.model import Kind, MeetingType

    for k in kind or ():
        if k not in {t.value for t in MeetingType}:
            raise UsageError(
                f"--kind: unknown meeting type {k!r}; use one of: "
                + ", ".join(t.value for t in MeetingType)
            )
    _listing(Kind.MEETING, as_of, schedule, json, everything, cycle, kind, ids, within, until, wide)


@app.command()
@boundary
def deadlines(
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    everything: All = False,
    cycle: Cycle = None,
    ids: Ids = False,
    within: Within = None,
    until: Until = None,
    wide: Wide = False,
) -> None:
    """Deadlines: national reports on the PoA and ITI, and views requested by a
    resolution; with status (upcoming, due soon, due today, overdue, done) and days left."""
    from poacal.model import Kind

    _listing(
        Kind.DEADLINE, as_of, schedule, json, everything, cycle, None, ids, within, until, wide
    )


@app.command()
@boundary
def mandates(
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    everything: All = False,
    cycle: Cycle = None,
    ids: Ids = False,
    within: Within = None,
    until: Until = None,
    wide: Wide = False,
) -> None:
    """Mandates: what a resolution asks the Secretary-General or the Secretariat to do,
    by when, and whether it is fulfilled."""
    from poacal.model import Kind

    _listing(Kind.MANDATE, as_of, schedule, json, everything, cycle, None, ids, within, until, wide)


@app.command()
@boundary
def agenda(
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="30d",
            help="The window from the as-of date: days, weeks, months or years (default 30d).",
        ),
    ] = None,
    until: Until = None,
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    cycle: Cycle = None,
    kind: Kinds = None,
    ids: Ids = False,
    wide: Wide = False,
) -> None:
    """Everything in a window, in date order: meetings (a session on one line),
    deadlines, mandates and your own items. Items whose dates are known only to the
    month or year are listed apart: their date is not set, but may fall in the window."""
    from poacal import overview, queries

    day = parse_as_of(as_of)
    end = _until(within if within is not None or until is not None else "30d", until, day)
    assert end is not None
    sched = load(schedule)
    rows = queries.select(
        queries.rows(sched, day, *marks()),
        day,
        kinds=parse_kinds(kind),
        cycles=check_cycles(sched, cycle),
        everything=True,
    )
    found = overview.agenda(rows, day, end)
    if json:
        from poacal import jsonout

        emit_json(jsonout.agenda(found, sched, day))
        return
    from rich.console import Group

    from poacal import render
    from poacal.model import day_label

    if not found.dated and not found.not_set:
        sys.stderr.write(f"Nothing from {day_label(day)} to {day_label(end)}.\n")
        return

    def build(width: int) -> "Group":
        parts: list[Any] = []
        if found.dated:
            title = f"From {day_label(day)} to {day_label(end)}"
            parts.append(render.agenda_table(found.dated, width, title, ids))
        else:
            parts.append(f"Nothing dated from {day_label(day)} to {day_label(end)}.")
        if found.not_set:
            parts.append("")
            title = "Date not set; may fall in this window"
            parts.append(render.agenda_table(found.not_set, width, title, ids))
        return Group(*parts)

    emit(build, wide)


@app.command("calendar")
@boundary
def month_calendar(
    month: Annotated[
        str | None,
        typer.Argument(
            metavar="[MONTH]",
            help="The month: YYYY-MM, or a date in it ('June 2026', +1m). Default: the "
            "month of the as-of date.",
        ),
    ] = None,
    sunday: Annotated[
        bool, typer.Option("--sunday", help="Weeks start on Sunday (default Monday).")
    ] = False,
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    kind: Kinds = None,
) -> None:
    """A month at a glance: a grid with the days that have a meeting, deadline, mandate
    or own item marked (*), the as-of date highlighted, and the events listed under it.
    Items known only to the month or year are listed apart."""
    import re
    from datetime import date, timedelta

    from rich.console import Group

    from poacal import chart, overview, queries, render
    from poacal.model import day_label

    day = parse_as_of(as_of)
    if month is None:
        first = day.replace(day=1)
    elif m := re.fullmatch(r"([0-9]{4})-([0-9]{2})", month, re.ASCII):
        year, mon = int(m.group(1)), int(m.group(2))
        if not (1945 <= year <= 2100 and 1 <= mon <= 12):
            raise UsageError(f"MONTH: {month!r} is not a month between 1945 and 2100")
        first = date(year, mon, 1)
    else:
        first = parse_as_of(month, "MONTH").replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    sched = load(schedule)
    rows = queries.select(
        queries.rows(sched, day, *marks()), day, kinds=parse_kinds(kind), everything=True
    )
    found = overview.agenda(rows, first, last)
    marked: set[date] = set()
    for r in found.dated:
        start = max(r.state.when.earliest() or first, first)
        end = min(r.state.when.latest() or start, last)
        marked.update(start + timedelta(days=n) for n in range((end - start).days + 1))

    def build(width: int) -> Group:
        parts: list[Any] = [chart.month_grid(first.year, first.month, marked, day, sunday)]
        if found.dated:
            parts += ["", render.agenda_table(found.dated, width)]
        else:
            parts += ["", f"Nothing dated from {day_label(first)} to {day_label(last)}."]
        if found.not_set:
            title = "Date not set; may fall in this month"
            parts += ["", render.agenda_table(found.not_set, width, title)]
        return Group(*parts)

    emit(build)
