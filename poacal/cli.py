"""The Typer app: parse -> load -> query -> render -> print. Commands stay thin.

Heavy modules (Rich, icalendar, the renderers) are imported inside the commands that
need them, so `--json`, `remind` and shell completion start as fast as Typer allows.
"""

import functools
import io
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from poacal.errors import EXIT_CODES, EXIT_INTERRUPTED, EXIT_OK, PoacalError, UsageError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from poacal.model import Kind, Schedule
    from poacal.queries import Done

F = TypeVar("F", bound=Callable[..., Any])

EXIT_HELP = "Exit codes: " + "; ".join(f"{code} {text}" for code, text in EXIT_CODES) + "."

app = typer.Typer(
    name="poacal",
    help="Meetings, national report deadlines and mandates of the UN Programme of Action "
    "on small arms and light weapons (PoA) and its International Tracing Instrument (ITI). "
    "With no command, shows the dashboard.",
    epilog=EXIT_HELP,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

AS_OF_HELP = (
    "Show the schedule as known on this date, with statuses relative to it: "
    "YYYY-MM-DD or 'today' (the default)."
)
AsOf = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help=AS_OF_HELP)]
SchedulePaths = Annotated[
    list[Path] | None,
    typer.Option(
        "--schedule",
        "-s",
        metavar="FILE",
        dir_okay=True,
        help="Schedule file to read instead of the embedded one; give it again to merge "
        "more files over it. Default: $POACAL_SCHEDULE, else the embedded schedule.",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (the contract in docs/json.md).")]
All = Annotated[
    bool, typer.Option("--all", help="Show all history back to 2001, not only the current cycle.")
]
Cycle = Annotated[
    list[str] | None,
    typer.Option("--cycle", metavar="YYYY-YYYY", help="Only this cycle, e.g. 2024-2030."),
]


def boundary(fn: F) -> F:
    """The one place where a PoacalError becomes one line on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PoacalError as e:
            for line in e.lines():
                sys.stderr.write(f"poacal: error: {line}\n")
            raise typer.Exit(e.code) from None
        except KeyboardInterrupt:
            sys.stderr.write("poacal: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from None

    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """After the reader of a pipe went away (`poacal deadlines | head -1`), end quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def parse_as_of(text: str | None) -> date:
    if text is None or text == "today":
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--as-of: cannot read {text!r} as a date; use YYYY-MM-DD (e.g. 2021-06-01) or 'today'"
        ) from None


def parse_window(text: str, as_of: date, option: str) -> date:
    """'30d', '6w', '3m', '1y' after `as_of`, or an ISO date."""
    from poacal.windows import window_end

    end = window_end(text, as_of)
    if end is None:
        raise UsageError(
            f"{option}: cannot read {text!r}; use a number and a unit, "
            "30d, 6w, 3m or 1y, or a date YYYY-MM-DD"
        )
    return end


def load(paths: list[Path] | None) -> "Schedule":
    from poacal.load import load_schedule, resolve

    return load_schedule(*resolve(paths or ()))


def done_marks() -> "dict[str, Done]":
    """Your items marked done, for the views. A state file that cannot be read is
    reported on stderr and the views go on without it (nothing is written)."""
    from poacal import state

    try:
        return state.read(state.state_path()).done
    except PoacalError as e:
        sys.stderr.write(f"poacal: warning: {e}\n")
        return {}


def console() -> "Console":
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def emit(build: "Callable[[int], RenderableType]") -> None:
    """Print what `build(width)` makes for this terminal's width."""
    con = console()
    con.print(build(con.width))


def emit_json(data: Any) -> None:
    from poacal.jsonout import write

    write(data, sys.stdout)
    sys.stdout.flush()


@app.callback()
@boundary
def dashboard(
    ctx: typer.Context, as_of: AsOf = None, schedule: SchedulePaths = None, json: Json = False
) -> None:
    """The dashboard: the meeting in session or the next one, deadlines in the next 90
    days, overdue items, open mandates and recent decisions."""
    if ctx.invoked_subcommand is not None or ctx.resilient_parsing:
        return
    from poacal import queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    board = queries.dashboard(sched, day, done_marks())
    if json:
        from poacal import jsonout

        emit_json(jsonout.dashboard(board, sched))
        return
    from poacal import render

    emit(lambda width: render.dashboard(board, sched, width))


def _listing(
    kind: "Kind",
    as_of: str | None,
    schedule: list[Path] | None,
    json: bool,
    everything: bool,
    cycles: list[str] | None,
    types: list[str] | None = None,
) -> None:
    from poacal import queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    rows = queries.select(
        queries.rows(sched, day, done_marks()),
        day,
        kinds=[kind],
        cycles=cycles or (),
        types=types or (),
        everything=everything,
    )
    if json:
        from poacal import jsonout

        emit_json(jsonout.listing(rows, sched, day))
        return
    from poacal import render

    if not rows:
        hint = "" if everything else "; add --all for earlier cycles"
        sys.stderr.write(f"No {kind.value}s to show{hint}.\n")
        return
    if kind.value == "meeting":
        emit(lambda width: render.meetings_table(rows, width))
    else:
        emit(lambda width: render.items_table(rows, sched, width))


def _complete_type(incomplete: str) -> list[str]:
    from poacal.model import MeetingType

    return [t.value for t in MeetingType if t.value.startswith(incomplete)]


@app.command()
@boundary
def meetings(
    as_of: AsOf = None,
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
            "general-assembly.",
        ),
    ] = None,
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
    _listing(Kind.MEETING, as_of, schedule, json, everything, cycle, kind)


@app.command()
@boundary
def deadlines(
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    everything: All = False,
    cycle: Cycle = None,
) -> None:
    """Deadlines: national reports on the PoA and ITI, and views requested by a
    resolution; with status (upcoming, due soon, due today, overdue, done) and days left."""
    from poacal.model import Kind

    _listing(Kind.DEADLINE, as_of, schedule, json, everything, cycle)


@app.command()
@boundary
def mandates(
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
    json: Json = False,
    everything: All = False,
    cycle: Cycle = None,
) -> None:
    """Mandates: what a resolution asks the Secretary-General or the Secretariat to do,
    by when, and whether it is fulfilled."""
    from poacal.model import Kind

    _listing(Kind.MANDATE, as_of, schedule, json, everything, cycle)


@app.command()
@boundary
def status(as_of: AsOf = None, schedule: SchedulePaths = None, json: Json = False) -> None:
    """Every item's status on the as-of date, with counts per kind."""
    from poacal import queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    rows = queries.rows(sched, day, done_marks())
    if json:
        from poacal import jsonout

        emit_json(jsonout.listing(rows, sched, day, with_counts=True))
        return
    from poacal import render

    emit(lambda width: render.status_table(rows, queries.counts(rows), width))


def _complete_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        sched = load(ctx.params.get("schedule"))
    except PoacalError:
        return []
    return [(i.id, i.code) for i in sched.items if i.id.startswith(incomplete)]


ItemId = Annotated[
    str,
    typer.Argument(
        metavar="ID", autocompletion=_complete_id, help="Item id, e.g. bms7 or reports-2026."
    ),
]


def find(sched: "Schedule", item_id: str) -> None:
    if sched.get(item_id) is None:
        import difflib

        close = difflib.get_close_matches(item_id, list(sched.by_id), n=3)
        hint = (
            f"; did you mean {', '.join(close)}?" if close else "; `poacal status` lists every id"
        )
        raise UsageError(f"no item with id {item_id!r}{hint}")


@app.command()
@boundary
def show(
    item_id: ItemId, as_of: AsOf = None, schedule: SchedulePaths = None, json: Json = False
) -> None:
    """Everything about one item: its state, how its date was derived, its decision
    history and its sources, with links."""
    from poacal import queries

    day = parse_as_of(as_of)
    sched = load(schedule)
    find(sched, item_id)
    row = next((r for r in queries.rows(sched, day, done_marks()) if r.item.id == item_id), None)
    if row is None:
        raise UsageError(
            f"{item_id!r} was not yet decided on {day.isoformat()}; try a later --as-of"
        )
    if json:
        from poacal import jsonout

        emit_json(jsonout.envelope(sched, day, item=jsonout.item(row, sched, history=True)))
        return
    from poacal import render

    emit(lambda _width: render.show(row, sched))


@app.command()
@boundary
def changes(
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="DATE|WINDOW",
            help="Start date (YYYY-MM-DD), or a window back from the as-of date: 30d, 6w, 3m, 1y.",
        ),
    ] = "1y",
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
    json: Json = False,
) -> None:
    """Decisions taken since a date (postponements, new dates, new chairs), newest first."""
    from poacal import queries
    from poacal.windows import window_start

    day = parse_as_of(as_of)
    start = window_start(since, day)
    if start is None:
        raise UsageError(
            f"--since: cannot read {since!r}; use a date YYYY-MM-DD or a window 30d, 6w, 3m, 1y"
        )
    sched = load(schedule)
    found = queries.changes(sched, start, day)
    if json:
        from poacal import jsonout

        emit_json(jsonout.changes(found, sched, day, start))
        return
    from poacal import render

    if not found:
        sys.stderr.write(f"No decisions between {start.isoformat()} and {day.isoformat()}.\n")
        return
    emit(lambda width: render.changes_table(found, sched, width))


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
        Path | None, typer.Option("--svg", metavar="FILE", help="Also save the picture as SVG.")
    ] = None,
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """A picture of the cycle: years across, meetings as bars, deadlines as marks,
    and a line at the as-of date."""
    from poacal import queries, render

    day = parse_as_of(as_of)
    first = first if first is not None else day.year - 4
    last = last if last is not None else max(day.year + 4, first)
    if not 1945 <= first <= last <= 2100:
        raise UsageError("--from/--to: expected years with from <= to, between 1945 and 2100")
    sched = load(schedule)
    rows = [r for r in queries.rows(sched, day) if r.item.type != "general-assembly"]
    con = console()
    picture = render.timeline(rows, first, last, day, con.width)
    if svg is None:
        con.print(picture, soft_wrap=True)
        return
    from rich.console import Console

    from poacal.files import write_atomic

    rec = Console(record=True, width=max(con.width, 100), file=io.StringIO())
    rec.print(picture, soft_wrap=True)
    write_atomic(svg, rec.export_svg(title="poacal timeline").encode())
    con.print(picture, soft_wrap=True)
    sys.stderr.write(f"Saved {svg}\n")


@app.command()
@boundary
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="Schedule files to check, merged in order. "
            "Default: the schedule poacal would use.",
        ),
    ] = None,
) -> None:
    """Check schedule files and report every problem at once, with file and line."""
    from poacal.load import default_paths, load_schedule

    paths = files or default_paths()
    sched = load_schedule(*paths)
    n = len(sched.items)
    sys.stderr.write(
        f"OK: {', '.join(str(p) for p in paths)}: {n} items, "
        f"{len(sched.documents)} documents, revision {sched.revision}\n"
    )


export_app = typer.Typer(
    name="export",
    help="Write iCalendar feeds and a publishable feed folder.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app)

Kinds = Annotated[
    list[str] | None,
    typer.Option(
        "--kind", metavar="KIND", help="Only meetings, deadlines or mandates (repeatable)."
    ),
]
Ids = Annotated[
    list[str] | None, typer.Option("--id", metavar="ID", help="Only this item (repeatable).")
]
UidDomain = Annotated[
    str,
    typer.Option(
        "--uid-domain",
        metavar="DOMAIN",
        help="Domain part of every event's UID (item-id@DOMAIN); keep it fixed once published.",
    ),
]
Tentative = Annotated[
    bool,
    typer.Option(
        "--tentative",
        help="Include items whose dates are known only to the month or year, "
        "as STATUS:TENTATIVE events titled with what is known.",
    ),
]
CancelledOpt = Annotated[
    str,
    typer.Option(
        "--cancelled",
        metavar="strict|visible",
        help="Postponed or cancelled meetings: 'strict' sends STATUS:CANCELLED (calendars remove "
        "them; Google deletes them); 'visible' keeps them with a [POSTPONED] or [CANCELLED] title.",
    ),
]
AlarmOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--alarm",
        metavar="30d|7d|2w",
        help="Add a reminder this long before each deadline (repeatable). Google ignores "
        "reminders in subscribed calendars.",
    ),
]
AlarmMeetings = Annotated[
    bool, typer.Option("--alarm-meetings", help="Also add the reminders to meetings.")
]


def _feed_options(
    uid_domain: str, tentative: bool, cancelled: str, alarm: list[str] | None, alarm_meetings: bool
) -> Any:
    from poacal.ical import CancelledMode, FeedOptions, parse_alarm

    try:
        mode = CancelledMode(cancelled)
    except ValueError:
        raise UsageError(f"--cancelled: {cancelled!r} is not 'strict' or 'visible'") from None
    alarms = []
    for text in alarm or ():
        delta = parse_alarm(text)
        if delta is None or delta.days <= 0:
            raise UsageError(f"--alarm: cannot read {text!r}; use days or weeks, e.g. 30d or 2w")
        alarms.append(delta)
    if not uid_domain or any(c in uid_domain for c in " @\r\n"):
        raise UsageError(f"--uid-domain: {uid_domain!r} is not a domain name")
    return FeedOptions(
        uid_domain=uid_domain,
        tentative=tentative,
        cancelled=mode,
        alarms=tuple(sorted(set(alarms), reverse=True)),
        alarm_meetings=alarm_meetings,
    )


@export_app.command("ics")
@boundary
def export_ics(
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (atomically); '-' for stdout."
        ),
    ] = "-",
    kind: Kinds = None,
    cycle: Cycle = None,
    item_id: Ids = None,
    uid_domain: UidDomain = "poacal.invalid",
    tentative: Tentative = False,
    cancelled: CancelledOpt = "strict",
    alarm: AlarmOpt = None,
    alarm_meetings: AlarmMeetings = False,
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """Write an iCalendar (RFC 5545) feed of the schedule: all-day events with stable
    UIDs, a SEQUENCE that rises when an item moves, and sources in each description."""
    from poacal import queries
    from poacal.ical import to_calendar

    opts = _feed_options(uid_domain, tentative, cancelled, alarm, alarm_meetings)
    kinds = _kinds(kind)
    day = parse_as_of(as_of)
    sched = load(schedule)
    for i in item_id or ():
        find(sched, i)
    rows = queries.select(
        queries.rows(sched, day),
        day,
        kinds=kinds,
        cycles=cycle or (),
        ids=item_id or (),
        everything=True,
    )
    data = to_calendar(rows, sched, opts)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from poacal.files import write_atomic

    write_atomic(Path(output), data)
    sys.stderr.write(f"Wrote {output}\n")


@export_app.command("site")
@boundary
def export_site(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write the site to.")],
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where the folder will be published, e.g. "
            "https://example.org/poa/; gives full https and webcal links.",
        ),
    ] = "",
    uid_domain: UidDomain = "poacal.invalid",
    tentative: Tentative = False,
    cancelled: CancelledOpt = "strict",
    alarm: AlarmOpt = None,
    alarm_meetings: AlarmMeetings = False,
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """Write a folder any static web host can serve: one feed for everything, one per kind
    and per cycle, schedule.json, and an index.html that says how to subscribe."""
    from poacal.errors import OutputError
    from poacal.files import write_atomic
    from poacal.site import build_site

    opts = _feed_options(uid_domain, tentative, cancelled, alarm, alarm_meetings)
    day = parse_as_of(as_of)
    sched = load(schedule)
    if not folder.is_dir():
        raise OutputError(f"{folder}: no such folder; create it first")
    files = build_site(sched, day, opts, base_url)
    changed = [name for name, data in sorted(files.items()) if write_atomic(folder / name, data)]
    sys.stderr.write(
        f"{folder}: {len(files)} files, {len(changed)} changed"
        + (f" ({', '.join(changed)})" if changed else "")
        + "\n"
    )


@app.command()
@boundary
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; only this machine by default.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0 picks a free one).")
    ] = 8080,
    uid_domain: UidDomain = "poacal.invalid",
    tentative: Tentative = False,
    cancelled: CancelledOpt = "strict",
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """Serve the feed folder from memory, for a local preview or a LAN. Ctrl-C stops it."""
    from poacal.errors import OutputError
    from poacal.serve import Site, make_server
    from poacal.site import build_site

    opts = _feed_options(uid_domain, tentative, cancelled, None, False)
    day = parse_as_of(as_of)
    sched = load(schedule)
    try:
        server = make_server(Site({}, sched.revision), host, port)
    except OSError as e:
        raise OutputError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    base = f"http://{host}:{server.server_address[1]}/"
    server.site = Site(build_site(sched, day, opts, base), sched.revision)
    sys.stderr.write(f"Serving {base} (Ctrl-C to stop)\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.stderr.write("Stopped.\n")
    finally:
        server.server_close()


REMIND_EPILOG = (
    "Exit codes: 0 nothing to report; 10 something reaches a horizon or is due today; "
    "11 something is overdue; 2 bad arguments; 3 bad schedule data; 4 state file problem. "
    "An error never exits 0."
)


@app.command(epilog=REMIND_EPILOG)
@boundary
def remind(
    horizon: Annotated[
        str,
        typer.Option(
            "--horizon",
            metavar="30d,7d,1d",
            help="Remind this long before each due date (days or weeks, comma-separated).",
        ),
    ] = "30d,7d,1d",
    fmt: Annotated[
        str, typer.Option("--format", metavar="text|json", help="One line per item, or JSON.")
    ] = "text",
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="For cron: report each (item, horizon) only once, catching up on "
            "what a missed run would have said; overdue items at most once a day. Records "
            "what was reported in the state file.",
        ),
    ] = False,
    kind: Kinds = None,
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """Reminders for scripts: items that reach a horizon, are due today, or are overdue
    and not done. Prints nothing and exits 0 when there is nothing to say."""
    from poacal import queries, state
    from poacal import remind as rem
    from poacal.model import Kind

    horizons = rem.parse_horizons(horizon)
    if horizons is None:
        raise UsageError(f"--horizon: cannot read {horizon!r}; use e.g. 30d,7d,1d or 2w")
    if fmt not in ("text", "json"):
        raise UsageError(f"--format: {fmt!r} is not text or json")
    kinds = _kinds(kind) or [Kind.DEADLINE, Kind.MANDATE]
    day = parse_as_of(as_of)
    sched = load(schedule)
    path = state.state_path()

    def report(st: state.State | None) -> tuple[list[rem.Reminder], state.State]:
        rows = [
            r
            for r in queries.rows(sched, day, st.done if st else done_marks())
            if r.item.kind in kinds
        ]
        found, new = rem.due_reminders(rows, day, horizons, st)
        try:
            if fmt == "json":
                emit_json(rem.to_json(found, sched, day, horizons, once))
            else:
                sys.stdout.write("".join(rem.line(r, sched) + "\n" for r in found))
                sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped reading (`| head -1`): what it read was delivered, and a
            # script still needs the exit code that says what was due.
            _silence_stdout()
        return found, new

    if once:
        with state.locked(path):
            found, new = report(state.read(path))
            state.write(path, new)
    else:
        found, _ = report(None)
    code = rem.exit_code(found)
    if code:
        raise typer.Exit(code)


def _kinds(kind: list[str] | None) -> "list[Kind]":
    from poacal.model import Kind

    kinds = []
    for k in kind or ():
        try:
            kinds.append(Kind(k[:-1] if k.endswith("s") else k))
        except ValueError:
            raise UsageError(f"--kind: {k!r} is not meetings, deadlines or mandates") from None
    return kinds


@app.command()
@boundary
def done(
    item_id: ItemId,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", help="A note, shown in the views (e.g. 'submitted online, ref. 123')."
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="When it was done (default today).")
    ] = None,
    schedule: SchedulePaths = None,
) -> None:
    """Mark an item done: it leaves the reminders and is no longer overdue."""
    from poacal import state
    from poacal.queries import Done

    sched = load(schedule)
    find(sched, item_id)
    when = parse_as_of(on)
    path = state.state_path()
    with state.locked(path):
        st = state.read(path)
        st.done[item_id] = Done(on=when, note=note)
        state.write(path, st)
    sys.stderr.write(f"Marked {item_id} done on {when.isoformat()}.\n")


@app.command()
@boundary
def undo(item_id: ItemId, schedule: SchedulePaths = None) -> None:
    """Remove your done mark from an item."""
    from poacal import state

    path = state.state_path()
    with state.locked(path):
        st = state.read(path)
        if item_id not in st.done:
            raise UsageError(f"{item_id!r} is not marked done")
        del st.done[item_id]
        state.write(path, st)
    sys.stderr.write(f"{item_id} is no longer marked done.\n")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("poacal: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_OK)
