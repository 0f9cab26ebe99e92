"""What every command does the same way: the one error boundary, messages on stderr,
--as-of, loading the schedule, the user's marks, printing a table or JSON, finding an
item by id or code."""

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from poacal.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    PoacalError,
    UsageError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from rich.console import Console, RenderableType

    from poacal.model import Kind, Schedule
    from poacal.queries import Done, Note, Personal

F = TypeVar("F", bound=Callable[..., Any])


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
            if not is_stdout_error(e):
                raise
            silence_stdout()
            say(f"poacal: error: cannot write the output: {e.strerror or e}")
            raise typer.Exit(EXIT_OUTPUT) from None

    return wrapper  # type: ignore[return-value]


def is_stdout_error(e: OSError) -> bool:
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
    from poacal.processes import only

    return only(load_schedule(*files))


def update_hint() -> str:
    """What to run when the data may be stale: `poacal update` alone fails for want of
    an address where none was given or remembered, so then say what it needs."""
    from poacal.update import has_source

    if has_source():
        return "Run `poacal update`, or upgrade poacal."
    return (
        "Run `poacal update --from URL` with the address of a feed site (README: "
        '"Keeping the data current"), or upgrade poacal.'
    )


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


def marks() -> "tuple[Mapping[str, Done], Mapping[str, Sequence[Note]]]":
    """Your done marks and notes, as queries.rows takes them."""
    mine = personal()
    return mine.done, mine.notes


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
    # crop=False: a URL is printed whole on its line, never cut at the width (a terminal
    # wraps it; a pipe keeps it whole for grep and for copying)
    if con.is_terminal:
        con.print(build(width), crop=False)
        return
    with con.capture() as captured:
        con.print(build(width), crop=False)
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
