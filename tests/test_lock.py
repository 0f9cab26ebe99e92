"""The lock, tested without races: a helper process holds it for as long as the test says
(it waits on its stdin, not on a clock), and the second poacal must wait, then give up
with the documented exit code and change nothing; once the helper lets go, it succeeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from poacal.errors import EXIT_OK, EXIT_OUTPUT, EXIT_STATE

HOLD = """
import sys
from pathlib import Path
from poacal.change import locked
from poacal.errors import StateError
with locked(Path(sys.argv[1]), StateError):
    print("locked", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


@contextmanager
def held(path: Path) -> Iterator[None]:
    """`path`'s lock, held by another process until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == b"locked\n"
        yield
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0


def poacal(*args: str, **env: str) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "poacal", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "POACAL_SCHEDULE": "", "POACAL_LOCK_TIMEOUT": "1", **env},
    )
    return done.returncode, done.stderr, time.monotonic() - started


def test_done_waits_for_the_state_lock_then_fails_with_exit_4(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with held(state):
        code, err, took = poacal("done", "reports-2026", POACAL_STATE=str(state))
        assert code == EXIT_STATE, err
        assert (
            err
            == (
                f"poacal: error: {state}: locked by another poacal for 1 s; "
                "try again when it has finished\n"
            )
            or "locked by another poacal for 1 s" in err
        )
        assert took >= 1.0  # it waited for the lock
        assert not state.exists()  # and changed nothing
    code, err, _ = poacal("done", "reports-2026", POACAL_STATE=str(state))
    assert code == EXIT_OK, err
    assert "reports-2026" in json.loads(state.read_text())["done"]


def test_remind_once_waits_for_the_state_lock_and_records_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    args = ("remind", "--once", "--state", str(state), "--as-of", "2026-05-08")
    with held(state):
        code, err, took = poacal(*args)
        assert code == EXIT_STATE and "locked by another poacal" in err and took >= 1.0
        assert not state.exists()
    code, _, _ = poacal(*args)
    assert code != EXIT_STATE and state.exists()


def test_add_waits_for_the_lock_of_the_users_file(tmp_path: Path) -> None:
    config = tmp_path / "config"
    own = config / "poacal" / "schedule.toml"
    env = {"XDG_CONFIG_HOME": str(config)}
    with held(own):
        code, err, took = poacal("add", "deadline", "Brief", "2027-01-10", **env)
        assert code == EXIT_OUTPUT and "locked by another poacal" in err and took >= 1.0
        assert not own.exists()
    assert poacal("add", "deadline", "Brief", "2027-01-10", **env)[0] == EXIT_OK
    assert 'name = "Brief"' in own.read_text()


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0", 0.1), ("-5", 0.1), ("0.1", 0.1), ("0.2", 0.2), ("2.5", 2.5), ("nonsense", 30), ("", 30)],
)
def test_lock_timeout_values(monkeypatch: pytest.MonkeyPatch, value: str, seconds: float) -> None:
    from poacal.change import LOCK_TIMEOUT, lock_timeout

    assert LOCK_TIMEOUT == 30
    monkeypatch.setenv("POACAL_LOCK_TIMEOUT", value)
    assert lock_timeout() == seconds
    monkeypatch.delenv("POACAL_LOCK_TIMEOUT")
    assert lock_timeout() == LOCK_TIMEOUT
