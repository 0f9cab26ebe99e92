"""`remind --exec`: a command run once per reminder, with the reminder's fields in its
environment (POACAL_ID, POACAL_CODE, POACAL_KIND, POACAL_DATE, POACAL_DAYS, POACAL_BAND,
POACAL_REASON, POACAL_SUMMARY, POACAL_URL).

The command is split like a shell would split it but run without one (no expansion, no
injection from the data), unless the user asks for a shell. It gets no input, its output
goes where poacal's goes, and a command that runs past the timeout is stopped (its whole
process group) and counts as failed.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from poacal.errors import UsageError
from poacal.languages import link
from poacal.model import Schedule
from poacal.remind import Reason, Reminder, line

TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Outcome:
    reminder: Reminder
    ok: bool
    why: str = ""


def command(text: str, shell: bool) -> list[str]:
    """The argv to run for `--exec TEXT`."""
    if shell:
        return ["/bin/sh", "-c", text]
    try:
        argv = shlex.split(text)
    except ValueError as e:
        raise UsageError(f"--exec: cannot split {text!r}: {e}") from None
    if not argv:
        raise UsageError("--exec: the command is empty")
    return argv


def environment(r: Reminder, schedule: Schedule) -> dict[str, str]:
    """The reminder's fields for the command (every value is one line of text)."""
    d = r.row.state.dates_from
    doc = schedule.documents.get(d.source) if d is not None else None
    return {
        "POACAL_ID": r.row.item.id,
        "POACAL_CODE": r.row.item.code,
        "POACAL_KIND": r.row.item.kind.value,
        "POACAL_DATE": r.due.isoformat(),
        "POACAL_DAYS": str(r.days),
        "POACAL_BAND": r.band if r.reason is not Reason.MOVED else "",
        "POACAL_REASON": r.reason,
        "POACAL_SUMMARY": line(r, schedule),
        "POACAL_URL": link(doc) if doc is not None else "",
    }


def run_each(
    found: Sequence[Reminder],
    schedule: Schedule,
    argv: list[str],
    timeout: float = TIMEOUT,
) -> list[Outcome]:
    """Run `argv` once per reminder, one after the other."""
    out = []
    for r in found:
        env = {**os.environ, **environment(r, schedule)}
        try:
            proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            out.append(Outcome(r, False, f"cannot run {argv[0]}: {e.strerror or e}"))
            continue
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            out.append(Outcome(r, False, f"stopped after {timeout:g} s"))
            continue
        except BaseException:
            _stop(proc)  # Ctrl-C: the command goes with poacal
            raise
        out.append(Outcome(r, code == 0, "" if code == 0 else f"exit {code}"))
    return out


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        try:
            proc.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            continue
