"""The dashboard (`poacal` with no command), and the root's own options: given before a
command, they become its defaults."""

import sys
from typing import Annotated, Any

import typer

from poacal.cli.common import (
    boundary,
    emit,
    emit_json,
    load,
    parse_as_of,
    personal,
    update_hint,
)
from poacal.cli.options import (
    SHELLS,
    AsOf,
    Json,
    Lang,
    Processes,
    SchedulePaths,
    app,
    complete_from,
    show_completion,
)


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

    from poacal.sources import base_path, base_revision, data_source
    from poacal.version import __version__

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
    process: Processes = None,
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
            for k, v in (
                ("as_of", as_of),
                ("lang", lang),
                ("process", process),
                ("schedule", schedule),
                ("json", json),
            )
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
        hint = update_hint()
    emit(lambda width: detail.dashboard(board, sched, width, source, days, hint))
