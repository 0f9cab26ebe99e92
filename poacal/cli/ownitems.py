"""Your own items: `add deadline`, `add meeting`, `edit`, `remove`, each through
own.py (change.change: locked, checked in context, atomic, read back)."""

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from poacal.cli.common import (
    boundary,
    find,
    parse_as_of,
    say,
    text_arg,
)
from poacal.cli.options import ItemId, app
from poacal.errors import UsageError

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
    typer.Option(
        "--code",
        metavar="CODE",
        help="Short code for tables (default: the initials of the name, e.g. IMR).",
    ),
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
