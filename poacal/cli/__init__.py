"""The Typer app: parse -> load -> query -> render -> print. Commands stay thin.

This module runs the app (`main`: exit codes, errors no command caught). `options` holds
the app and the options its commands share; `common` the one error boundary and what
every command does alike; `internals` the command tree built on demand and every other
use of Typer's internals. The commands live in `views`, `listings` and `items` (what a
person reads), `feeds` (calendar export and the preview server), `tracking` (reminders
and done marks), `ownitems` (your own items) and `currency` (update, schema). Heavy
modules (Rich, icalendar, the renderers) are imported inside the commands that need
them, so `--json`, `remind` and shell completion start as fast as Typer allows."""

import os
import sys
from typing import TYPE_CHECKING

from poacal.cli.common import is_stdout_error, say, silence_stdout
from poacal.cli.internals import (
    ABORT,
    NO_ARGS_IS_HELP,
    PACIFY_FLUSH,
    command_tree,
    is_click,
    plain_completion_help,
)
from poacal.cli.options import app as _app
from poacal.errors import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    PoacalError,
)

if TYPE_CHECKING:
    from typer import Typer

if "_POACAL_COMPLETE" in os.environ:
    plain_completion_help()


def main() -> None:
    """Run the app in poacal's own terms: usage errors as `poacal: error:` lines (exit 2),
    a reader that went away as a quiet end, and a failure to flush stdout at exit as an
    output error (exit 5), never Python's exit 120 or Click's exit 1."""
    code: int | str | None = EXIT_OK
    try:
        result = command_tree(_app, COMMANDS)(standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
    except SystemExit as e:
        code = e.code
        if code == 1 and is_click(sys.stdout, PACIFY_FLUSH):
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
        if not is_stdout_error(e):
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


def _internal_error(e: Exception) -> int:
    """A bug: one line that says so and what to report; the traceback with POACAL_DEBUG=1."""
    if os.environ.get("POACAL_DEBUG"):
        import traceback

        traceback.print_exception(e)
    from poacal.version import __version__

    say(
        f"poacal: internal error (a bug in poacal {__version__}): {type(e).__name__}: {e}. "
        'Please report it with the command you ran (the README says where: "Reporting a '
        'bug"); POACAL_DEBUG=1 shows the traceback.'
    )
    return EXIT_BUG


def _click_error(e: Exception) -> int:
    """Click's exceptions (bad option, missing argument, Ctrl-C at a prompt) as one
    `poacal: error:` line and a hint; anything else is a bug and is raised."""
    if is_click(e, ABORT):
        say("poacal: interrupted")
        return EXIT_INTERRUPTED
    if is_click(e, NO_ARGS_IS_HELP):
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


# Which module defines each command, in the order `--help` lists them: a run imports only
# the module of its command (all of them for `--help` and for completing a command's
# name). views defines the dashboard, the app's own callback, so it is always imported.
# tests/test_cli.py checks this table against the commands the modules define.
_PACKAGE = "poacal.cli."
COMMANDS = {
    name: _PACKAGE + module
    for module, names in (
        ("listings", ("meetings", "deadlines", "mandates", "agenda", "calendar")),
        ("items", ("status", "show", "changes", "timeline", "validate")),
        ("feeds", ("serve",)),
        ("tracking", ("remind", "done", "note", "undo")),
        ("ownitems", ("edit", "remove")),
        ("currency", ("update", "schema")),
        ("feeds", ("export",)),
        ("ownitems", ("add",)),
    )
    for name in names
}


def __getattr__(name: str) -> "Typer":
    """`poacal.cli.app`: the whole Typer app, every command registered (for tests and
    `typer` tools); a run of poacal itself never asks for it."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(module)
    return _app


from poacal.cli import views  # noqa: E402, F401  (the dashboard: the app's callback)
