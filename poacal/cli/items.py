"""Commands about items one by one or all at once: `status`, `show`, `changes`,
`timeline`, `validate`."""

from pathlib import Path
from typing import Annotated

import typer

from poacal.cli.common import (
    boundary,
    check_cycles,
    console,
    emit,
    emit_json,
    find,
    load,
    marks,
    parse_as_of,
    parse_kinds,
    say,
)
from poacal.cli.options import (
    AsOf,
    Cycle,
    Ids,
    ItemId,
    Json,
    Kinds,
    Lang,
    Processes,
    SchedulePaths,
    Wide,
    app,
)
from poacal.errors import UsageError


@app.command()
@boundary
def status(
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    ids: Ids = False,
    wide: Wide = False,
) -> None:
    """Every item's status on the as-of date, with counts per kind."""
    from poacal import overview, queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    rows = queries.rows(sched, day, *marks())
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
    process: Processes = None,
    schedule: SchedulePaths = None,
    json: Json = False,
) -> None:
    """Everything about one item: its state, how its date was derived, its decision
    history and its sources, with links."""
    from poacal import queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    item_id = find(sched, item_id)
    row = next((r for r in queries.rows(sched, day, *marks()) if r.item.id == item_id), None)
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
    process: Processes = None,
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
    process: Processes = None,
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
        alone = any(p.no_schedule_table and p.file == str(first) for p in e.problems)
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
