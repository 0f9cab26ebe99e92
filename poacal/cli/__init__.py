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

from poacal.errors import (
    EXIT_BUG,
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    PoacalError,
    UsageError,
)
from poacal.languages import LANGUAGES

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from poacal.model import Kind, Schedule
    from poacal.queries import Personal

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
    # Typer's --install-completion edits the user's shell start-up files (for zsh, a global
    # completion style too); `--show-completion SHELL` prints the script instead, and the
    # README says where to put it.
    add_completion=False,
)
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")

if "_POACAL_COMPLETE" in os.environ:
    # zsh and fish completion pass each value's help through Typer's Rich-based markup
    # stripping, which imports Rich (about as much again as the rest of completion).
    # poacal's help texts have no markup (rich_markup_mode=None), so plain text will do.
    # With add_completion=False, Typer leaves registering its shells to us.
    try:
        from typer import _completion_classes

        _completion_classes.completion_init()
        _completion_classes._sanitize_help_text = lambda text: text
    except (ImportError, AttributeError):  # pragma: no cover - another Typer
        pass


def show_completion(value: str | None) -> None:
    """Print the completion script for SHELL and exit (eager)."""
    if value is None:
        return
    if value not in SHELLS:
        raise UsageError(f"--show-completion: {value!r} is not one of: {', '.join(SHELLS)}")
    from typer._completion_shared import get_completion_script

    script = get_completion_script(prog_name="poacal", complete_var="_POACAL_COMPLETE", shell=value)
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


def _use_language(value: str | None) -> str | None:
    """--lang: the language of every document link this run shows (set while parsing,
    so the renderers need not carry it)."""
    from poacal.languages import UnknownLanguage, choose

    if value is not None:
        text_arg(value, "--lang")
    try:
        choose(value)
    except UnknownLanguage as e:
        # Click's own error, as for any bad option value: exit 2 with a usage hint
        raise typer.BadParameter(str(e).removeprefix("--lang: ")) from None
    return value


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


def boundary(fn: F) -> F:
    """The one place where a PoacalError becomes one line on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PoacalError as e:
            for line in e.lines():
                say(f"poacal: error: {line}")
            raise typer.Exit(e.code) from None
        except KeyboardInterrupt:
            say("poacal: interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(EXIT_OK) from None
        except OSError as e:
            if not _is_stdout_error(e):
                raise
            silence_stdout()
            say(f"poacal: error: cannot write the output: {e.strerror or e}")
            raise typer.Exit(EXIT_OUTPUT) from None

    return wrapper  # type: ignore[return-value]


def _is_stdout_error(e: OSError) -> bool:
    import errno

    return e.errno in (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG)


def say(line: str) -> None:
    """One line on stderr, escaped for the terminal; silent if stderr is gone."""
    from poacal.text import terminal

    try:
        sys.stderr.write(terminal(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def silence_stdout() -> None:
    """After the reader of a pipe went away (`poacal deadlines | head -1`), or the disk
    filled, end quietly: what is still buffered goes nowhere instead of failing at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def parse_as_of(text: str | None, option: str = "--as-of") -> date:
    """A date option: YYYY-MM-DD, 'today', '+30d', '1 June 2021' (windows.read_day)."""
    if text is None:
        return date.today()
    from poacal.windows import DateError, read_day

    try:
        return read_day(text, date.today())
    except DateError as e:
        raise UsageError(f"{option}: {e}") from None


def text_arg(value: str, option: str) -> str:
    """A text option as typed: valid UTF-8 with no control characters, or a usage error
    (bytes that are not UTF-8 arrive as lone surrogates and could not be written)."""
    from poacal.text import control_chars, terminal

    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{option}: {terminal(value)!r} is not valid UTF-8 text") from None
    bad = control_chars(value)
    if bad is not None:
        raise UsageError(f"{option}: contains a control character ({bad})")
    return value


def load(paths: list[Path] | None, *, public: bool = False) -> "Schedule":
    """The schedule of `--schedule` files, else the default one. `public` (feeds, the
    site, the server) leaves out the user's own schedule file unless named."""
    from poacal.load import load_schedule
    from poacal.sources import default_paths, resolve, without_own

    files = resolve(paths) if paths else default_paths(personal=not public)
    if public:
        files, dropped = without_own(files)
        for p in dropped:
            say(
                f"poacal: note: {p} is your own schedule file; it is published only with --personal"
            )
    return load_schedule(*files)


def personal() -> "Personal":
    """Your done marks and notes, for the views. A state file that cannot be read is an
    error (exit 4): a view never shows done items as not done."""
    from poacal.paths import absent, state_path

    path = state_path()
    if absent(path):
        from poacal.queries import Personal

        return Personal()  # the common case; no need to load the state module
    from poacal import state

    return state.read(path).personal()


def console(**kwargs: Any) -> "Console":
    """A Rich console whose output never carries control characters from the data."""
    from poacal.render import SafeConsole

    return SafeConsole(highlight=False, emoji=False, **kwargs)


WIDE_WIDTH = 200  # --wide lays tables out for at least this many columns


def emit(build: "Callable[[int], RenderableType]", wide: bool = False) -> None:
    """Print what `build(width)` makes for this terminal's width (with `wide`, for at
    least WIDE_WIDTH columns, every column shown). On a terminal Rich writes as usual;
    piped or redirected, lines carry no trailing spaces."""
    con = console()
    width = max(con.width, WIDE_WIDTH) if wide else con.width
    if wide:
        con.width = width
    if con.is_terminal:
        con.print(build(width))
        return
    with con.capture() as captured:
        con.print(build(width))
    sys.stdout.write("\n".join(line.rstrip() for line in captured.get().split("\n")))
    sys.stdout.flush()


def emit_json(data: Any) -> None:
    """JSON on stdout, always UTF-8 (RFC 8259): a non-UTF-8 locale would otherwise turn
    a '§' from the data into a backslash escape that is not JSON."""
    from poacal.jsonout import write

    out = sys.stdout
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    buffer = getattr(out, "buffer", None)
    if encoding == "utf8" or buffer is None:
        write(data, out)
        out.flush()
        return
    import io

    out.flush()
    utf8 = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        write(data, utf8)
        utf8.flush()
    finally:
        utf8.detach()


def _complete_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and codes that start with what was typed (case-insensitively)."""
    try:
        sched = load(ctx.params.get("schedule"))
    except PoacalError:
        return []
    typed = incomplete.lower()
    out = [(i.id, i.code) for i in sched.items if i.id.startswith(typed)]
    out += [(i.code, i.id) for i in sched.items if i.code.lower().startswith(typed)]
    return out


ItemId = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        autocompletion=_complete_id,
        help="Item id or code, e.g. bms7, reports-2026 or 'NR 2026' (any case).",
    ),
]


def find(sched: "Schedule", wanted: str) -> str:
    """The id of the item named by `wanted`: its id or its code, in any case."""
    if sched.get(wanted) is not None:
        return wanted
    key = " ".join(wanted.lower().split())
    by_id = [i.id for i in sched.items if i.id.lower() == key]
    by_code = [i.id for i in sched.items if " ".join(i.code.lower().split()) == key]
    found = by_id or by_code
    if len(found) == 1:
        return found[0]
    from poacal.text import terminal

    if len(found) > 1:
        raise UsageError(
            f"{terminal(wanted)!r} is the code of several items: {', '.join(found)}; "
            "give one of these ids"
        )
    import difflib

    names = [i.id for i in sched.items] + [i.code for i in sched.items]
    close = difflib.get_close_matches(wanted, names, n=3)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; `poacal status --ids` lists every id and code"
    )
    raise UsageError(f"no item with id or code {terminal(wanted)!r}{hint}")


def check_cycles(sched: "Schedule", cycles: list[str] | None) -> list[str]:
    """The --cycle values, each one a cycle of the schedule, or a usage error that lists
    them: an unknown cycle must not give an empty listing or an empty feed."""
    known = sorted({i.cycle for i in sched.items if i.cycle})
    for c in cycles or ():
        if c not in known:
            from poacal.text import terminal

            raise UsageError(
                f"--cycle: no cycle {terminal(c)!r} in the schedule; use one of: "
                + ", ".join(known)
            )
    return list(cycles or ())


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
        "--kind",
        metavar="KIND",
        autocompletion=complete_kind,
        help="Only meetings, deadlines or mandates (repeatable).",
    ),
]


def main() -> None:
    """Run the app in poacal's own terms: usage errors as `poacal: error:` lines (exit 2),
    a reader that went away as a quiet end, and a failure to flush stdout at exit as an
    output error (exit 5), never Python's exit 120 or Click's exit 1."""
    code: int | str | None = EXIT_OK
    try:
        result = command_tree()(standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
    except SystemExit as e:
        code = e.code
        if code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            code = EXIT_OK  # Click's answer to a closed pipe while printing help
    except KeyboardInterrupt:
        say("poacal: interrupted")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
    except PoacalError as e:  # from an eager option's callback, outside any command
        for line in e.lines():
            say(f"poacal: error: {line}")
        code = e.code
    except OSError as e:  # --help, --version or completion onto a closed or full stdout
        if not _is_stdout_error(e):
            code = _internal_error(e)
        else:
            silence_stdout()
            say(f"poacal: error: cannot write the output: {e.strerror or e}")
            code = EXIT_OUTPUT
    except Exception as e:
        code = _click_error(e)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as e:
        silence_stdout()
        say(f"poacal: error: cannot write the output: {e.strerror or e}")
        code = EXIT_OUTPUT
    _settle_stderr()
    sys.exit(code)


def _settle_stderr() -> None:
    """Flush stderr now; if it cannot take what is left (2> /dev/full, closed), drop
    it, so that Python's own flush at exit does not turn the exit code into 120."""
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass


def command_tree() -> Any:
    """The app as a Click group that builds only the command a run invokes.

    Typer builds every command's parameters on every start (about 0.7 ms a command, for
    22 commands), although one runs. Here the root is built with its own options only;
    each command is built the first time Click asks for it: the invoked one, or all of
    them for `--help` and for completing a command's name. The help, the completion and
    every option stay exactly Typer's. Uses typer.main's builders, the one place poacal
    relies on them (tests/test_cli.py checks they still exist).
    """
    import inspect
    from functools import partial

    import typer.main as tm

    commands, groups = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        root = tm.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    builders: dict[str, Callable[[], Any]] = {}
    for info in commands:
        assert info.callback is not None
        name = info.name or tm.get_command_name(info.callback.__name__)
        builders[name] = partial(
            tm.get_command_from_info, info, pretty_exceptions_short=short, rich_markup_mode=markup
        )
    group_options: dict[str, Any] = {"pretty_exceptions_short": short, "rich_markup_mode": markup}
    if "suggest_commands" in inspect.signature(tm.get_group_from_info).parameters:
        group_options["suggest_commands"] = getattr(app, "suggest_commands", True)
    for group in groups:
        group_name = tm.solve_typer_info_defaults(group).name
        assert group_name
        builders[group_name] = partial(tm.get_group_from_info, group, **group_options)

    class LazyGroup(type(root)):  # type: ignore[misc]
        def list_commands(self, ctx: Any) -> list[str]:
            return list(builders)

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            if cmd_name not in self.commands and cmd_name in builders:
                self.commands[cmd_name] = builders[cmd_name]()
            return self.commands.get(cmd_name)

    root.__class__ = LazyGroup
    return root


def _internal_error(e: Exception) -> int:
    """A bug: one line that says so and what to report; the traceback with POACAL_DEBUG=1."""
    if os.environ.get("POACAL_DEBUG"):
        import traceback

        traceback.print_exception(e)
    from poacal import __version__

    say(
        f"poacal: internal error (a bug in poacal {__version__}): {type(e).__name__}: {e}. "
        "Please report it with the command you ran; POACAL_DEBUG=1 shows the traceback."
    )
    return EXIT_BUG


def _click_error(e: Exception) -> int:
    """Click's exceptions (bad option, missing argument, Ctrl-C at a prompt) as one
    `poacal: error:` line and a hint; anything else is a bug and is raised."""
    if type(e).__name__ == "Abort":
        say("poacal: interrupted")
        return EXIT_INTERRUPTED
    if type(e).__name__ == "NoArgsIsHelpError":
        # `poacal export` alone: its help as help (a command is missing: exit 2)
        ctx = getattr(e, "ctx", None)
        sys.stdout.write(ctx.get_help() + "\n" if ctx is not None else "")
        return int(getattr(e, "exit_code", 2))
    message = getattr(e, "format_message", None)
    if message is None or not isinstance(getattr(e, "exit_code", None), int):
        return _internal_error(e)
    say(f"poacal: error: {message()}")
    ctx = getattr(e, "ctx", None)
    path = ctx.command_path if ctx is not None else "poacal"
    say(f"Try '{path} --help' for the options.")
    code: int = e.exit_code  # type: ignore[attr-defined]
    return code


# Register the commands, in the order `--help` lists them.
from poacal.cli import views, feeds, tracking, currency  # noqa: E402, F401, I001
