"""Scripted reminders and personal tracking: `remind`, `done`, `undo`."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from poacal.cli import (
    AsOf,
    ItemId,
    Kinds,
    SchedulePaths,
    app,
    boundary,
    done_marks,
    emit_json,
    find,
    load,
    parse_as_of,
    parse_kinds,
    silence_stdout,
    text_arg,
)
from poacal.errors import EXIT_DUE, EXIT_OK, EXIT_OVERDUE, UsageError

if TYPE_CHECKING:
    from poacal.state import State

REMIND_EPILOG = (
    f"Exit codes: {EXIT_OK} nothing to report; {EXIT_DUE} something reaches a horizon or is "
    f"due today; {EXIT_OVERDUE} something is overdue; any other code is an error (see "
    "poacal --help): an error never exits 0."
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
    from poacal import queries
    from poacal import remind as rem
    from poacal.model import Kind

    horizons = rem.parse_horizons(horizon)
    if horizons is None:
        raise UsageError(f"--horizon: cannot read {horizon!r}; use e.g. 30d,7d,1d or 2w")
    if fmt not in ("text", "json"):
        raise UsageError(f"--format: {fmt!r} is not text or json")
    kinds = parse_kinds(kind) or [Kind.DEADLINE, Kind.MANDATE]
    day = parse_as_of(as_of)
    sched = load(schedule)

    def report(st: "State | None") -> "tuple[list[rem.Reminder], State | None]":
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
            silence_stdout()
        return found, new

    if once:
        from poacal import state

        path = state.state_path()
        with state.locked(path):
            found, new = report(state.read(path))
            assert new is not None
            state.write(path, new)
    else:
        found, _ = report(None)
    code = rem.exit_code(found)
    if code:
        raise typer.Exit(code)


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

    if note is not None:
        text_arg(note, "--note")
    sched = load(schedule)
    find(sched, item_id)
    when = parse_as_of(on, "--on")
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
