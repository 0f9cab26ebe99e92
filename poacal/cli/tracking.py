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
    Lang,
    SchedulePaths,
    app,
    boundary,
    complete_from,
    emit_json,
    find,
    load,
    parse_as_of,
    parse_kinds,
    say,
    silence_stdout,
    text_arg,
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
        return rem.due_reminders(rows, day, horizons, st if (once or dry_run) else None)

    found = remindjob.run(path, compute, deliver, record=once and not dry_run)
    code = rem.exit_code(found)
    if code:
        raise typer.Exit(code)


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


add_app = typer.Typer(
    name="add",
    help="Add your own deadline or meeting to your schedule file "
    "(~/.config/poacal/schedule.toml), checked and written atomically; your comments and "
    "formatting are kept. Your own items stay private: feeds publish them only with "
    "--personal.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(add_app)

AddId = Annotated[
    str | None,
    typer.Option("--id", metavar="ID", help="Its id (default: made from the name)."),
]
AddCode = Annotated[
    str | None,
    typer.Option("--code", metavar="CODE", help="Short code for tables (default: the id)."),
]
AddFile = Annotated[
    Path | None,
    typer.Option(
        "--file",
        metavar="FILE",
        readable=False,  # poacal checks the file itself, with its own exit codes
        help="The file to add to (default: your schedule file, created if needed).",
    ),
]


@add_app.command("deadline")
@boundary
def add_deadline(
    name: Annotated[str, typer.Argument(metavar="NAME", help="What is due.")],
    due: Annotated[str, typer.Argument(metavar="DATE", help="The day it is due.")],
    serves: Annotated[
        str | None,
        typer.Option(
            "--serves", metavar="ID", help="The item it serves, e.g. reports-2026 or bms9."
        ),
    ] = None,
    item_id: AddId = None,
    code: AddCode = None,
    file: AddFile = None,
) -> None:
    """Add your own deadline, e.g. poacal add deadline "Inter-ministerial review"
    2026-04-15 --serves reports-2026."""
    _add("deadline", name, {"due": parse_as_of(due, "DATE")}, item_id, code, serves, file)


@add_app.command("meeting")
@boundary
def add_meeting(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The meeting.")],
    start: Annotated[str, typer.Argument(metavar="START", help="Its first day.")],
    end: Annotated[str, typer.Argument(metavar="END", help="Its last day.")],
    item_id: AddId = None,
    code: AddCode = None,
    file: AddFile = None,
) -> None:
    """Add your own meeting, e.g. poacal add meeting "Capital preparatory meeting"
    2026-05-20 2026-05-21."""
    first, last = parse_as_of(start, "START"), parse_as_of(end, "END")
    if last < first:
        raise UsageError(f"END {last.isoformat()} is before START {first.isoformat()}")
    _add("meeting", name, {"start": first, "end": last}, item_id, code, None, file)


def _add(
    kind: str,
    name: str,
    dates: "dict[str, date]",
    item_id: str | None,
    code: str | None,
    serves: str | None,
    file: Path | None,
) -> None:
    from poacal import own
    from poacal.check import valid_id
    from poacal.sources import user_path

    text_arg(name, "NAME")
    if not name.strip():
        raise UsageError("NAME: the name is empty")
    if code is not None:
        text_arg(code, "--code")
    if item_id is not None and not valid_id(item_id):
        raise UsageError(f"--id: {item_id!r} is not an id: lower-case letters, digits, '-' or '.'")
    path = file or user_path()
    added = own.add(path, kind, name, dates, item_id, code, serves, find=find)
    say(f"Added {kind} {added} to {path}.")


OwnFile = Annotated[
    Path | None,
    typer.Option(
        "--file",
        metavar="FILE",
        readable=False,  # poacal checks the file itself, with its own exit codes
        help="Your schedule file (default: ~/.config/poacal/schedule.toml).",
    ),
]


def _date_option(value: str | None, option: str) -> "date | None":
    return None if value is None else parse_as_of(value, option)


@app.command()
@boundary
def edit(
    item_id: ItemId,
    name: Annotated[str | None, typer.Option("--name", help="Its new name.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Its new short code.")] = None,
    due: Annotated[
        str | None, typer.Option("--due", metavar="DATE", help="New due date (a deadline).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", metavar="DATE", help="New first day (a meeting).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", metavar="DATE", help="New last day (a meeting).")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", metavar="TEXT", help="A note on the item.")
    ] = None,
    serves: Annotated[
        str | None, typer.Option("--serves", metavar="ID", help="The item it serves.")
    ] = None,
    file: OwnFile = None,
) -> None:
    """Change one of your own items (made with `poacal add`): its name, code, dates,
    description or what it serves. Your comments and layout are kept; the change is
    checked with the whole schedule before anything is written. poacal's own items
    cannot be edited: keep a note on them (`poacal note`) or mark them done."""
    from poacal import own
    from poacal.sources import user_path

    changes: dict[str, object] = {}
    for key, text in (("name", name), ("code", code), ("description", description)):
        if text is not None:
            text_arg(text, f"--{key}")
            if key != "description" and not text.strip():
                raise UsageError(f"--{key}: is empty")
            changes[key] = text
    for key, text in (("due", due), ("start", start), ("end", end)):
        if text is not None:
            changes[key] = _date_option(text, f"--{key}")
    path = file or user_path()
    if serves is not None:
        text_arg(serves, "--serves")
        changes["serves"] = serves
    if not changes:
        raise UsageError("nothing to change: give --name, --code, --due, --start, --end, ...")
    item, before, after = own.edit(path, item_id, changes, find)
    sys.stdout.write(before + "->\n" + after)
    say(f"Changed {item} in {path}.")


@app.command()
@boundary
def remove(
    item_id: ItemId,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be removed; change nothing.")
    ] = False,
    file: OwnFile = None,
) -> None:
    """Remove one of your own items from your schedule file, printing what it was.
    Refused if another item still refers to it; poacal's own items cannot be removed."""
    from poacal import own
    from poacal.sources import user_path

    path = file or user_path()
    item, text = own.remove(path, item_id, find, dry_run=dry_run)
    sys.stdout.write(text)
    say(f"Would remove {item} from {path}." if dry_run else f"Removed {item} from {path}.")
