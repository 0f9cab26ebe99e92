"""Scripted reminders and personal tracking: `remind`, `done`, `undo`."""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from poacal.cli import (
    AsOf,
    ItemId,
    Kinds,
    SchedulePaths,
    app,
    boundary,
    emit_json,
    find,
    load,
    parse_as_of,
    parse_kinds,
    silence_stdout,
    text_arg,
)
from poacal.errors import EXIT_DUE, EXIT_OK, EXIT_OVERDUE, OutputError, UsageError

if TYPE_CHECKING:
    from poacal.state import State

REMIND_EPILOG = (
    f"Exit codes: {EXIT_OK} nothing to report; {EXIT_DUE} something is within a horizon, "
    f"due or opening today, in session, or moved; {EXIT_OVERDUE} something is overdue; any "
    "other code is an error (see poacal --help): an error never exits 0."
)


@app.command(epilog=REMIND_EPILOG)
@boundary
def remind(
    horizon: Annotated[
        str,
        typer.Option(
            "--horizon",
            metavar="30d,7d,1d",
            help="Horizons before each date (days or weeks, comma-separated). Without "
            "--once, everything within the largest one is reported on every run.",
        ),
    ] = "30d,7d,1d",
    fmt: Annotated[
        str, typer.Option("--format", metavar="text|json", help="One line per item, or JSON.")
    ] = "text",
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="For cron: the horizons cut the time before a date into bands (30-8 days, "
            "7-2, 1, the day, the session); each item is reported once per band, once a "
            "day while overdue, and once when its dates move. Records what was reported "
            "in the state file, only after the output was written.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what --once would report now; write nothing (safe to try)."
        ),
    ] = False,
    state_file: Annotated[
        Path | None,
        typer.Option(
            "--state",
            metavar="FILE",
            help="State file to use (default $POACAL_STATE, else your state folder).",
        ),
    ] = None,
    kind: Kinds = None,
    as_of: AsOf = None,
    schedule: SchedulePaths = None,
) -> None:
    """Reminders for scripts: deadlines and meetings that are overdue and not done, due
    or opening today, in session, or within a horizon (mandates with --kind mandates).
    Prints nothing and exits 0 when there is nothing to say."""
    import os

    from poacal import queries
    from poacal import remind as rem
    from poacal.model import Kind
    from poacal.paths import state_path

    horizons = rem.parse_horizons(horizon)
    if horizons is None:
        raise UsageError(f"--horizon: cannot read {horizon!r}; use e.g. 30d,7d,1d or 2w")
    if fmt not in ("text", "json"):
        raise UsageError(f"--format: {fmt!r} is not text or json")
    kinds = parse_kinds(kind) or [Kind.DEADLINE, Kind.MEETING]
    day = parse_as_of(as_of)
    path = state_file or state_path()
    named = state_file is not None or bool(os.environ.get("POACAL_STATE"))
    if once and not dry_run and day != date.today() and not named:
        raise UsageError(
            f"--once with --as-of {day.isoformat()} would use up the real reminders; "
            "try it with --dry-run, or name a state file with --state FILE"
        )
    sched = load(schedule)
    from poacal import state

    def deliver(found: "list[rem.Reminder]") -> None:
        if fmt == "json":
            emit_json(rem.to_json(found, sched, day, horizons, once or dry_run))
        else:
            sys.stdout.write("".join(rem.line(r, sched) + "\n" for r in found))
            sys.stdout.flush()

    def compute(st: "State") -> "tuple[list[rem.Reminder], State | None]":
        rows = [r for r in queries.rows(sched, day, st.done) if r.item.kind in kinds]
        return rem.due_reminders(rows, day, horizons, st if (once or dry_run) else None)

    if once and not dry_run:
        with state.locked(path):
            found, new = compute(state.read(path))
            try:
                deliver(found)
            except OSError as e:
                # Not delivered (closed pipe, full disk): record nothing, so the next
                # run reports the same again.
                silence_stdout()
                why = "the reader closed the pipe" if isinstance(e, BrokenPipeError) else e
                raise OutputError(
                    f"cannot write the reminders ({why}); nothing was recorded"
                ) from None
            assert new is not None
            state.write(path, new)
    else:
        found, _ = compute(state.read(path) if os.path.lexists(path) else state.State())
        try:
            deliver(found)
        except BrokenPipeError:
            # The reader stopped reading (`| head -1`): what it read was delivered, and a
            # script still needs the exit code that says what was due.
            silence_stdout()
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
