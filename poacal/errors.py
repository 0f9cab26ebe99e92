"""Errors a user can cause, and the exit codes poacal promises.

Every exit code poacal uses is defined here, once; `poacal --help`, the README and
docs/exit-codes.md list the same table (a test keeps them in step).
"""

from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_STATE = 4
EXIT_OUTPUT = 5
EXIT_NETWORK = 6
EXIT_DUE = 10
EXIT_OVERDUE = 11
EXIT_INTERRUPTED = 130

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (
        EXIT_OK,
        "success; `remind`: nothing to report; also a reader that stopped early (`| head`)",
    ),
    (
        EXIT_BUG,
        'internal error (a bug in poacal: please report it, see the README, "Reporting a bug")',
    ),
    (
        EXIT_USAGE,
        "bad command line: unknown option, bad date or window, unknown id or cycle",
    ),
    (
        EXIT_DATA,
        "bad schedule data: the file is missing, not a regular file, unreadable or invalid",
    ),
    (
        EXIT_STATE,
        "the state file cannot be read, is not a regular file, or cannot be locked or written",
    ),
    (
        EXIT_OUTPUT,
        "an output file, folder or stdout cannot be written (full, closed, read-only)",
    ),
    (
        EXIT_NETWORK,
        "`update`: the schedule could not be downloaded, or is not valid; nothing changed",
    ),
    (
        EXIT_DUE,
        "`remind`: something within a horizon, due, opening, in session or moved; "
        "`update --check`: an update exists",
    ),
    (
        EXIT_OVERDUE,
        "`remind`: something is overdue (past due and not done)",
    ),
    (
        EXIT_INTERRUPTED,
        "interrupted (Ctrl-C or SIGTERM); nothing half-written is left behind",
    ),
)


class Problem(NamedTuple):
    """One thing wrong with a schedule file, located as precisely as we can."""

    file: str
    line: int | None
    where: str
    message: str
    hint: str = ""
    # A first file without [schedule]: a user's own file, which `validate` then checks
    # merged over the embedded schedule.
    no_schedule_table: bool = False

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        text = (
            f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        )
        return f"{text} ({self.hint})" if self.hint else text


class PoacalError(Exception):
    """An error the user can fix; the CLI prints it as one line and exits with `code`."""

    code = EXIT_BUG

    def lines(self) -> list[str]:
        return [str(self)]


class UsageError(PoacalError):
    code = EXIT_USAGE


class OutputError(PoacalError):
    code = EXIT_OUTPUT


class StateError(PoacalError):
    code = EXIT_STATE


class ScheduleError(PoacalError):
    """A schedule file could not be loaded; carries every problem found."""

    code = EXIT_DATA

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(str(problems[0]) if problems else "invalid schedule")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
