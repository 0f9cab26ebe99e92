"""A `remind` run as a job: with `--once`, lock the state, read it, compute what is due,
deliver it, and record only what was delivered, so that a failed delivery is reported
again next run; without it, compute and deliver from the state as it is."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from poacal.errors import OutputError
from poacal.paths import absent
from poacal.remind import Reminder
from poacal.state import State

# (the state, ids to leave out) -> (reminders, the state with them recorded)
Compute = Callable[[State, frozenset[str]], tuple[list[Reminder], State | None]]
# (reminders, a set to add the ids whose delivery failed to); raises OSError if the
# output itself fails
Deliver = Callable[[list[Reminder], set[str]], None]


def run(path: Path, compute: Compute, deliver: Deliver, *, record: bool) -> list[Reminder]:
    """Compute and deliver the reminders; with `record` (remind --once), under the state
    file's lock, and write the state with only what was delivered. Raises OutputError
    when delivery failed (nothing, or only what was delivered, is recorded)."""
    from poacal import state

    failed: set[str] = set()
    if record:
        with state.locked(path):
            before = state.read(path)
            found, new = compute(before, frozenset())
            try:
                deliver(found, failed)
            except OSError as e:
                # Not delivered (closed pipe, full disk): record nothing, so the next
                # run reports the same again.
                why = "the reader closed the pipe" if isinstance(e, BrokenPipeError) else e
                raise OutputError(
                    f"cannot write the reminders ({why}); nothing was recorded"
                ) from None
            if failed:  # record only what was delivered: the rest is reported again
                _, new = compute(before, frozenset(failed))
            assert new is not None
            state.write(path, new)
    else:
        found, _ = compute(State() if absent(path) else state.read(path), frozenset())
        # The reader may stop reading (`| head -1`): what it read was delivered, and a
        # script still needs the exit code that says what was due.
        with contextlib.suppress(BrokenPipeError):
            deliver(found, failed)
    if failed:
        raise OutputError(
            f"--exec failed for {len(failed)} of the reminders; "
            + ("they were not recorded and come again next run" if record else "see above")
        )
    return found
