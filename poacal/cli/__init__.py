"""The Typer app: parse -> load -> query -> render -> print. Commands stay thin.

This package holds the app, the options its commands share and the one error
boundary; the commands live in `views` (what a person reads), `feeds` (calendar
export and the preview server) and `tracking` (reminders and done marks). Heavy modules
(Rich, icalendar, the renderers) are imported inside the commands that need them, so
`--json`, `remind` and shell completion start as fast as Typer allows.
"""

import functools
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
        help="Schedule file to read instead of the default; give it again to merge more "
        "files over it ('embedded' names the embedded schedule). Default: $POACAL_SCHEDULE "
        "(paths joined with ':'), else the embedded schedule with your own "
        "~/.config/poacal/schedule.toml merged over it, if you have one.",
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
            silence_stdout()
            raise typer.Exit(EXIT_OK) from None

    return wrapper  # type: ignore[return-value]


def silence_stdout() -> None:
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


def load(paths: list[Path] | None) -> "Schedule":
    from poacal.load import load_schedule, resolve

    return load_schedule(*resolve(paths or ()))


def done_marks() -> "dict[str, Done]":
    """Your items marked done, for the views. A state file that cannot be read is
    reported on stderr and the views go on without it (nothing is written)."""
    from poacal.paths import state_path

    path = state_path()
    if not path.exists():
        return {}  # the common case; no need to load the state module
    from poacal import state

    try:
        return state.read(path).done
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


def parse_kinds(kind: list[str] | None) -> "list[Kind]":
    from poacal.model import Kind

    kinds = []
    for k in kind or ():
        try:
            kinds.append(Kind(k[:-1] if k.endswith("s") else k))
        except ValueError:
            raise UsageError(f"--kind: {k!r} is not meetings, deadlines or mandates") from None
    return kinds


Kinds = Annotated[
    list[str] | None,
    typer.Option(
        "--kind", metavar="KIND", help="Only meetings, deadlines or mandates (repeatable)."
    ),
]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("poacal: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        silence_stdout()
        sys.exit(EXIT_OK)


# Register the commands, in the order `--help` lists them.
from poacal.cli import views, feeds, tracking  # noqa: E402, F401, I001
