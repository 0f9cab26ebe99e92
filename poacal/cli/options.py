"""The Typer app and the options its commands share (as `Annotated` types), with their
help texts and completion."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from poacal.cli.common import load, text_arg
from poacal.errors import (
    EXIT_CODES,
    PoacalError,
    UsageError,
)
from poacal.languages import LANGUAGES

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
    # Typer's --install-completion edits the user's shell start-up files (for zsh, a global
    # completion style too); `--show-completion SHELL` prints the script instead, and the
    # README says where to put it.
    add_completion=False,
)


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def show_completion(value: str | None) -> None:
    """Print the completion script for SHELL and exit (eager)."""
    if value is None:
        return
    if value not in SHELLS:
        raise UsageError(f"--show-completion: {value!r} is not one of: {', '.join(SHELLS)}")
    from poacal.cli.internals import completion_script

    script = completion_script(value)
    sys.stdout.write(script if script.endswith("\n") else script + "\n")
    raise typer.Exit(0)


def complete_cycle(ctx: typer.Context, incomplete: str) -> list[str]:
    """The cycles of the schedule (for --cycle)."""
    try:
        sched = load(ctx.params.get("schedule"))
    except PoacalError:
        return []
    return sorted({i.cycle for i in sched.items if i.cycle and i.cycle.startswith(incomplete)})


def complete_from(*values: str) -> Callable[[str], list[str]]:
    """Shell completion for an option with a fixed set of values."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


complete_kind = complete_from("meetings", "deadlines", "mandates")


AS_OF_HELP = (
    "Show the schedule as known on this date, with statuses relative to it: YYYY-MM-DD, "
    "'1 June 2021', 'today' (the default), 'tomorrow', or relative: +30d, -1y."
)


AsOf = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help=AS_OF_HELP)]


SchedulePaths = Annotated[
    list[Path] | None,
    typer.Option(
        "--schedule",
        "-s",
        metavar="FILE",
        dir_okay=True,
        readable=False,  # poacal checks the file itself, with its own exit codes
        help="Schedule file to read instead of the default; give it again to merge more "
        "files over it ('embedded' names the embedded schedule). Default: $POACAL_SCHEDULE "
        "(paths joined with ':'), else the embedded schedule with your own "
        "~/.config/poacal/schedule.toml merged over it, if you have one.",
    ),
]


def _for_the_run(option: str, module: str) -> Callable[[str | None], str | None]:
    """The callback of an option that holds for the whole run (--lang, --process): the
    choice is made while parsing, by `module`'s `choose`, so the renderers need not
    carry it; a value it refuses (a ValueError) is Click's usage error, exit 2."""

    def use(value: str | None) -> str | None:
        import importlib

        choose = importlib.import_module(module).choose
        if value is not None:
            text_arg(value, option)
        try:
            choose(value)
        except ValueError as e:
            raise typer.BadParameter(str(e).removeprefix(f"{option}: ")) from None
        return value

    return use


_use_language = _for_the_run("--lang", "poacal.languages")
_use_process = _for_the_run("--process", "poacal.processes")


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="ar|zh|en|fr|ru|es",
        callback=_use_language,
        autocompletion=complete_from(*LANGUAGES),
        help="Link documents in this official UN language: ar, zh, en, fr, ru or es. "
        "Default: $POACAL_LANG, else your locale's language if it is one of the six, else "
        "en. The interface stays English.",
    ),
]


def _complete_process(incomplete: str) -> list[str]:
    """Process names, also after a comma (poa,a<TAB> -> poa,att)."""
    from poacal.processes import NAMES

    done, _, last = incomplete.rpartition(",")
    head = f"{done}," if done else ""
    taken = set(done.split(","))
    words = [n for n in NAMES if n not in taken] + ([] if done else ["all"])
    return [head + w for w in words if w.startswith(last.lower())]


Processes = Annotated[
    str | None,
    typer.Option(
        "--process",
        metavar="NAMES",
        callback=_use_process,
        autocompletion=_complete_process,
        help="Which processes to show: poa (the Programme of Action and its ITI), att (the "
        "Arms Trade Treaty), several joined by commas, or all. Default: $POACAL_PROCESS, "
        "else `process = ...` in ~/.config/poacal/config.toml, else poa.",
    ),
]


Json = Annotated[
    bool, typer.Option("--json", help="Print JSON (its JSON Schema: poacal schema --help).")
]


Wide = Annotated[
    bool,
    typer.Option(
        "--wide", help="Show every column, laid out for 200 columns or the terminal if wider."
    ),
]


All = Annotated[
    bool, typer.Option("--all", help="Show all history back to 2001, not only the current cycle.")
]


Cycle = Annotated[
    list[str] | None,
    typer.Option(
        "--cycle",
        metavar="YYYY-YYYY",
        autocompletion=complete_cycle,
        help="Only this cycle, e.g. 2024-2030.",
    ),
]


def _complete_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and codes that start with what was typed (case-insensitively)."""
    try:
        sched = load(ctx.params.get("schedule"))
    except PoacalError:
        return []
    typed = incomplete.lower()
    out = [(i.id, i.code) for i in sched.items if i.id.startswith(typed)]
    out += [
        (_as_typed(i.code, incomplete), i.id)
        for i in sched.items
        if i.code.lower().startswith(typed)
    ]
    return out


def _as_typed(code: str, typed: str) -> str:
    """`code` in the case the user began it: shells offer only values that begin with the
    typed text, and poacal finds a code in any case (unc<TAB> gives unconf 2001)."""
    if code.startswith(typed):
        return code
    if typed.islower():
        return code.lower()
    return typed + code[len(typed) :]


ItemId = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        autocompletion=_complete_id,
        help="Item id or code, e.g. bms7, reports-2026 or 'NR 2026' (any case).",
    ),
]


Kinds = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        metavar="KIND",
        autocompletion=complete_kind,
        help="Only meetings, deadlines or mandates (repeatable).",
    ),
]
Ids = Annotated[
    bool, typer.Option("--ids", help="Show each item's id (what show, done and --id take).")
]
