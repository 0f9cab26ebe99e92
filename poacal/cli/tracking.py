"""Scripted reminders and personal tracking: `remind`, `done`, `undo`."""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from poacal.cli.common import (
    boundary,
    emit_json,
    find,
    load,
    parse_as_of,
    parse_kinds,
    say,
    silence_stdout,
    text_arg,
    update_hint,
)
from poacal.cli.options import (
    AsOf,
    ItemId,
    Kinds,
    Lang,
    Processes,
    SchedulePaths,
    app,
    complete_from,
)
from poacal.errors import EXIT_DUE, EXIT_OK, EXIT_OVERDUE, UsageError

if TYPE_CHECKING:
    from poacal.model import Schedule
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
        str,
        typer.Option(
            "--format",
            metavar="text|json",
            autocompletion=complete_from("text", "json"),
            help="One line per item, or JSON.",
        ),
    ] = "text",
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="For cron: the horizons cut the time before a date into bands (30-8 days, "
            "7-2, 1, the day, the session); each item is reported once per band, while "
            "overdue daily then weekly, and once when its dates move. Records what was reported "
            "in the state file, only after the output was written.",
        ),
    ] = False,
    notice: Annotated[
        str,
        typer.Option(
            "--notice",
            metavar="90d",
            help="With --once: a postponement, cancellation or change of dates of an item "
            "at most this far away (or the largest horizon, if longer) is announced once, "
            "even before its first band; moves further ahead stay quiet.",
        ),
    ] = "90d",
    overdue_daily: Annotated[
        str,
        typer.Option(
            "--overdue-daily",
            metavar="7d",
            help="With --once: an overdue item is reminded of every day for this long "
            "(0d: never daily)...",
        ),
    ] = "7d",
    overdue_every: Annotated[
        str,
        typer.Option(
            "--overdue-every",
            metavar="7d",
            help="...then once every this many days, until it is marked done or closed. "
            "Each line says when the next will come.",
        ),
    ] = "7d",
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
            readable=False,  # poacal checks the file itself, with its own exit codes
            help="State file to use (default $POACAL_STATE, else your state folder).",
        ),
    ] = None,
    exec_cmd: Annotated[
        str | None,
        typer.Option(
            "--exec",
            metavar="CMD",
            help="Run CMD once per reminder, with its fields in POACAL_ID, POACAL_CODE, "
            "POACAL_KIND, POACAL_DATE, POACAL_DAYS, POACAL_BAND, POACAL_REASON, "
            "POACAL_SUMMARY and POACAL_URL; without a shell unless --shell. With --once, a "
            "reminder is recorded only when its command exited 0.",
        ),
    ] = None,
    shell: Annotated[
        bool, typer.Option("--shell", help="Run the --exec command through /bin/sh -c.")
    ] = False,
    exec_timeout: Annotated[
        float,
        typer.Option(
            "--exec-timeout",
            metavar="SECONDS",
            min=0.1,
            help="Stop an --exec command after this long; it counts as failed.",
        ),
    ] = 30.0,
    kind: Kinds = None,
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
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
    notice_days = _days("--notice", notice)
    backoff = rem.Backoff(
        daily=_days("--overdue-daily", overdue_daily, zero=True),
        every=_days("--overdue-every", overdue_every),
    )
    kinds = parse_kinds(kind) or [Kind.DEADLINE, Kind.MEETING]
    day = parse_as_of(as_of)
    path = state_file or state_path()
    named = state_file is not None or bool(os.environ.get("POACAL_STATE"))
    if once and not dry_run and day != date.today() and not named:
        raise UsageError(
            f"--once with --as-of {day.isoformat()} would use up the real reminders; "
            "try it with --dry-run, or name a state file with --state FILE"
        )
    if exec_cmd is not None:
        text_arg(exec_cmd, "--exec")
    elif shell:
        raise UsageError("--shell: give the command with --exec")
    sched = load(schedule)
    from poacal import remindjob

    def deliver(found: "list[rem.Reminder]", failed: set[str]) -> None:
        if exec_cmd is not None and not dry_run:
            from poacal import hooks

            argv = hooks.command(exec_cmd, shell)
            for o in hooks.run_each(found, sched, argv, exec_timeout):
                if not o.ok:
                    failed.add(o.reminder.row.item.id)
                    say(f"poacal: error: --exec for {o.reminder.row.item.id}: {o.why}")
        try:
            if fmt == "json":
                emit_json(rem.to_json(found, sched, day, horizons, once or dry_run))
            else:
                sys.stdout.write("".join(rem.line(r, sched) + "\n" for r in found))
                sys.stdout.flush()
        except OSError:
            silence_stdout()
            raise

    def compute(st: "State", leave: "frozenset[str]") -> "tuple[list[rem.Reminder], State | None]":
        rows = [
            r
            for r in queries.rows(sched, day, st.done)
            if r.item.kind in kinds and r.item.id not in leave
        ]
        return rem.due_reminders(
            rows,
            day,
            horizons,
            st if (once or dry_run) else None,
            notice=notice_days,
            backoff=backoff,
        )

    age = (day - sched.revision).days
    if age > STALE_REMIND_DAYS:
        # on stderr, so a script's reminders stay clean; a cron job mails it
        say(
            f"poacal: note: the data is {age} days older than {day.isoformat()} (revision "
            f"{sched.revision.isoformat()}): newer dates may exist. {update_hint()}"
        )
    found = remindjob.run(path, compute, deliver, record=once and not dry_run)
    code = rem.exit_code(found)
    if code:
        raise typer.Exit(code)


STALE_REMIND_DAYS = 365  # a year: quiet for data a season old, which the views flag


def _days(option: str, text: str, *, zero: bool = False) -> int:
    """A length in days ('7d', '2w'; '0d' too where `zero`), or a usage error."""
    from poacal.windows import lead_days

    if zero and text.strip().lower() in ("0", "0d", "0w"):
        return 0
    days = lead_days(text)
    if days is None:
        least = "0d" if zero else "1d"
        raise UsageError(
            f"{option}: cannot read {text!r}; use days or weeks from {least}, e.g. 7d or 2w"
        )
    return days


NoteText = Annotated[
    str | None,
    typer.Option(
        "--note", help="Add a dated note, shown in the views (e.g. 'submitted online, ref. 123')."
    ),
]


def _deadline_or_mandate(sched: "Schedule", wanted: str) -> str:
    from poacal.model import Kind

    item_id = find(sched, wanted)
    item = sched.get(item_id)
    assert item is not None
    if item.kind is Kind.MEETING:
        raise UsageError(
            f"{item.code} is a meeting: it is held, not done; use `poacal note {item_id} "
            "TEXT` to keep a note on it"
        )
    return item_id


def _note_text(text: str, option: str) -> None:
    """A note as typed: text, not empty, and no longer than a multi-line text in a
    schedule file may be (the state file it goes to has a size limit too)."""
    from poacal.vocabulary import MAX_BLOCK

    text_arg(text, option)
    if not text.strip():
        raise UsageError(f"{option}: the note is empty")
    if len(text) > MAX_BLOCK:
        raise UsageError(f"{option}: the note has {len(text):,} characters; at most {MAX_BLOCK:,}")


@app.command()
@boundary
def done(
    item_id: ItemId,
    note: NoteText = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="When it was done (default today; an item already done keeps its date "
            "unless --on is given).",
        ),
    ] = None,
    schedule: SchedulePaths = None,
) -> None:
    """Mark a deadline or mandate done: it leaves the reminders and is no longer overdue.
    With --note, a note is added to the item's notes (it never replaces one)."""
    from poacal import state

    if note is not None:
        _note_text(note, "--note")
    sched = load(schedule)
    item_id = _deadline_or_mandate(sched, item_id)
    when = parse_as_of(on, "--on")
    if when > date.today():
        raise UsageError(
            f"--on: {when.isoformat()} is in the future; mark it done once it is, or give "
            "the day it was done"
        )
    mark, already = state.mark_done(
        state.state_path(), item_id, when, keep_first=on is None, note=note
    )
    if already and on is None:
        say(f"{item_id} was already marked done on {mark.on.isoformat()}; it stays so.")
    else:
        say(f"Marked {item_id} done on {mark.on.isoformat()}.")


@app.command()
@boundary
def note(
    item_id: ItemId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.")],
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="Date of the note (default today).")
    ] = None,
    schedule: SchedulePaths = None,
) -> None:
    """Add a dated note to any item, without marking it done. Notes accumulate and show
    in `show`, the listings and the dashboard; they stay on your machine."""
    from poacal import state

    _note_text(text, "TEXT")
    sched = load(schedule)
    item_id = find(sched, item_id)
    when = parse_as_of(on, "--on")
    state.add_note(state.state_path(), item_id, when, text)
    say(f"Added a note to {item_id} ({when.isoformat()}).")


@app.command()
@boundary
def undo(item_id: ItemId, schedule: SchedulePaths = None) -> None:
    """Remove your done mark from an item (its notes stay)."""
    import contextlib

    from poacal import state

    sched = load(schedule)
    with contextlib.suppress(UsageError):  # an item gone from the schedule keeps its id
        item_id = find(sched, item_id)
    state.unmark(state.state_path(), item_id)
    say(f"{item_id} is no longer marked done.")
