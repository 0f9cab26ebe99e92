"""Commands a person reads: the dashboard, listings, one item, changes, the timeline,
and `validate`."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from poacal.cli import (
    SHELLS,
    All,
    AsOf,
    Cycle,
    ItemId,
    Json,
    Kinds,
    Lang,
    SchedulePaths,
    Wide,
    app,
    boundary,
    check_cycles,
    complete_from,
    console,
    emit,
    emit_json,
    find,
    load,
    parse_as_of,
    parse_kinds,
    personal,
    say,
    show_completion,
)
from poacal.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date

    from poacal.model import Kind
    from poacal.queries import Done, Note


def _marks() -> "tuple[Mapping[str, Done], Mapping[str, Sequence[Note]]]":
    mine = personal()
    return mine.done, mine.notes


def _defaults_for(command: Any, given: dict[str, Any]) -> dict[str, Any]:
    """A Click default map giving `given` to every command and sub-command."""
    subs = getattr(command, "commands", {})
    return {
        name: _defaults_for(sub, given) if getattr(sub, "commands", None) else given
        for name, sub in subs.items()
    }


def _version(value: bool) -> None:
    """poacal's version, its data's revision and origin, and what it runs on."""
    if not value:
        return
    import platform

    from poacal import __version__
    from poacal.sources import base_path, base_revision, data_source

    try:
        from importlib.metadata import version

        typer_version = version("typer")
    except Exception:  # pragma: no cover - typer is installed if this runs
        typer_version = "unknown"
    rev = base_revision()
    sys.stdout.write(
        f"poacal {__version__}\n"
        f"data: revision {rev.isoformat()}, {data_source()} ({base_path()})\n"
        f"Python {platform.python_version()}, Typer {typer_version}\n"
    )
    raise typer.Exit(0)


@app.callback()
@boundary
def dashboard(
    ctx: typer.Context,
    as_of: AsOf = None,
    lang: Lang = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            is_eager=True,
            callback=show_completion,
            autocompletion=complete_from(*SHELLS),
            help="Print the shell completion script for SHELL (bash, zsh, fish, powershell) "
            "and exit; the README says where to put it.",
        ),
    ] = None,
    days: Annotated[
        int,
        typer.Option(
            "--days",
            min=1,
            max=3660,
            metavar="N",
            help="How many days ahead for deadlines, and back for decisions (default 90).",
        ),
    ] = 90,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_version,
            help="Show poacal's version, the data's revision and origin, and exit.",
        ),
    ] = False,
) -> None:
    """The dashboard: the meeting in session or the next one, deadlines in the next 90
    days, overdue items, open mandates and recent decisions."""
    if ctx.resilient_parsing:
        return
    if ctx.invoked_subcommand is not None:
        # `poacal --as-of 2020-01-01 meetings` means the same as `poacal meetings --as-of
        # 2020-01-01`: the options given before the command become its defaults.
        given = {
            k: v
            for k, v in (("as_of", as_of), ("lang", lang), ("schedule", schedule), ("json", json))
            if v
        }
        if given:
            ctx.default_map = _defaults_for(ctx.command, given)
        return
    from poacal import overview

    day = parse_as_of(as_of)
    sched = load(schedule)
    mine = personal()
    board = overview.dashboard(sched, day, mine.done, window_days=days, notes=mine.notes)
    if json:
        from poacal import jsonout

        emit_json(jsonout.dashboard(board, sched))
        return
    from poacal import detail
    from poacal.sources import data_source

    source = data_source()
    hint = detail.UPDATE_HINT
    if (board.as_of - sched.revision).days > detail.STALE_DAYS:
        from poacal.update import has_source

        if not has_source():
            # `poacal update` alone would fail for want of a URL: say what it needs
            hint = (
                "Run `poacal update --from URL` with the address of a feed site (README: "
                '"Keeping the data current"), or upgrade poacal.'
            )
    emit(lambda width: detail.dashboard(board, sched, width, source, days, hint))


Ids = Annotated[
    bool, typer.Option("--ids", help="Show each item's id (what show, done and --id take).")
]
Within = Annotated[
    str | None,
    typer.Option(
        "--within",
        metavar="WINDOW",
        help="Only what falls within this window ahead of the as-of date: 14d, 6w, 3m, 1y.",
    ),
]
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
        queries.rows(sched, day, *_marks()),
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
            help="Only this type of meeting: review-conference, biennial-meeting, "
            "preparatory-committee, technical-expert-group, governmental-experts, conference, "
            "general-assembly, internal.",
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
        queries.rows(sched, day, *_marks()),
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
        queries.rows(sched, day, *_marks()), day, kinds=parse_kinds(kind), everything=True
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


@app.command()
@boundary
def status(
    as_of: AsOf = None,
    lang: Lang = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    ids: Ids = False,
    wide: Wide = False,
) -> None:
    """Every item's status on the as-of date, with counts per kind."""
    from poacal import overview, queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    rows = queries.rows(sched, day, *_marks())
    if json:
        from poacal import jsonout

        emit_json(jsonout.listing(rows, sched, day, with_counts=True))
        return
    from poacal import render

    emit(lambda width: render.status_table(rows, overview.counts(rows), width, ids=ids), wide)


@app.command()
@boundary
def show(
    item_id: ItemId,
    as_of: AsOf = None,
    lang: Lang = None,
    schedule: SchedulePaths = None,
    json: Json = False,
) -> None:
    """Everything about one item: its state, how its date was derived, its decision
    history and its sources, with links."""
    from poacal import queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    item_id = find(sched, item_id)
    row = next((r for r in queries.rows(sched, day, *_marks()) if r.item.id == item_id), None)
    if row is None:
        raise UsageError(
            f"{item_id!r} was not yet decided on {day.isoformat()}; try a later --as-of"
        )
    if json:
        from poacal import jsonout

        emit_json(jsonout.envelope(sched, day, item=jsonout.item(row, sched, history=True)))
        return
    from poacal import detail

    emit(lambda _width: detail.show(row, sched))


@app.command()
@boundary
def changes(
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="DATE|WINDOW",
            help="Start date (YYYY-MM-DD, '1 June 2021'), or a window back from the as-of "
            "date: 30d, 6w, 3m, 1y.",
        ),
    ] = "1y",
    kind: Kinds = None,
    item_id: Annotated[
        list[str] | None,
        typer.Option("--id", metavar="ID", help="Only this item, by id or code (repeatable)."),
    ] = None,
    cycle: Cycle = None,
    as_of: AsOf = None,
    lang: Lang = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    wide: Wide = False,
) -> None:
    """Decisions taken since a date (postponements, new dates, new chairs), newest first,
    each with the value before and after it; then the decisions whose date is unknown."""
    from poacal import history
    from poacal.windows import window_start

    day = parse_as_of(as_of)
    start = window_start(since, day)
    if start is None:
        raise UsageError(
            f"--since: cannot read {since!r}; use a date YYYY-MM-DD or a window 30d, 6w, 3m, 1y"
        )
    sched = load(schedule)
    filters = {
        "kinds": parse_kinds(kind),
        "ids": [find(sched, i) for i in item_id or ()],
        "cycles": check_cycles(sched, cycle),
    }
    found = history.changes(sched, start, day, **filters)  # type: ignore[arg-type]
    undated = history.changes(sched, start, day, undated=True, **filters)  # type: ignore[arg-type]
    if json:
        from poacal import jsonout

        emit_json(jsonout.changes(found, sched, day, start, undated))
        return

    if not found and not undated:
        say(f"No decisions between {start.isoformat()} and {day.isoformat()}.")
        return
    from poacal import detail

    emit(lambda width: detail.changes_view(found, undated, sched, width), wide)


@app.command()
@boundary
def timeline(
    first: Annotated[
        int | None, typer.Option("--from", metavar="YEAR", help="First year shown.")
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", metavar="YEAR", help="Last year shown.")
    ] = None,
    svg: Annotated[
        Path | None,
        typer.Option(
            "--svg",
            metavar="FILE",
            readable=False,  # poacal checks the file itself, with its own exit codes
            help="Also save the picture as a self-contained SVG (for a briefing note or a "
            "web page).",
        ),
    ] = None,
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """A picture of the cycle: years across, meetings as bars, deadlines as marks,
    and a line at the as-of date."""
    from poacal import chart, queries

    day = parse_as_of(as_of)
    given = first is not None or last is not None
    first = first if first is not None else max(day.year - 4, 1945)
    last = last if last is not None else min(max(day.year + 4, first), 2100)
    if not 1945 <= first <= last <= 2100:
        what = "--from/--to" if given else f"--as-of {day.isoformat()}"
        raise UsageError(f"{what}: expected years with from <= to, between 1945 and 2100")
    sched = load(schedule)
    rows = [r for r in queries.rows(sched, day) if r.item.type != "general-assembly"]
    con = console()
    picture = chart.timeline(rows, first, last, day, con.width)
    if svg is None:
        con.print(picture, soft_wrap=True)
        return
    from poacal.files import write_atomic
    from poacal.svg import timeline_svg

    write_atomic(svg, timeline_svg(rows, first, last, day, sched).encode())
    con.print(picture, soft_wrap=True)
    say(f"Saved {svg}")


@app.command()
@boundary
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...",
            readable=False,  # poacal checks the file itself, with its own exit codes
            help="Schedule files to check, merged in order ('embedded' names the embedded "
            "schedule). A first file without [schedule] is your own file: it is checked "
            "merged over the embedded schedule. Default: the --schedule files, else the "
            "schedule poacal would use.",
        ),
    ] = None,
    schedule: SchedulePaths = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Say nothing when the files are valid.")
    ] = False,
) -> None:
    """Check schedule files and report every problem at once, with file and line."""
    from poacal.errors import ScheduleError
    from poacal.load import load_schedule
    from poacal.sources import base_path, data_source, default_paths, resolve

    paths = resolve(files) if files else resolve(schedule) if schedule else default_paths()
    over = ""
    try:
        sched = load_schedule(*paths)
    except ScheduleError as e:
        first = paths[0]
        alone = any(
            p.where == "[schedule]" and p.message == "missing table" and p.file == str(first)
            for p in e.problems
        )
        if not alone or first.resolve() == base_path().resolve():
            raise
        # An overlay (your own file): checked in context, ids and references resolved
        # against the embedded schedule too.
        paths = [base_path(), *paths]
        sched = load_schedule(*paths)
        over = " (merged over the embedded schedule)"
    n = len(sched.items)
    if quiet:
        return
    from poacal.text import terminal

    say(
        terminal(
            f"OK: {', '.join(str(p) for p in paths)}{over}: {n} items, "
            f"{len(sched.documents)} documents, revision {sched.revision} "
            f"(base: {data_source()})"
        )
    )
