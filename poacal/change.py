"""The one way poacal changes a user's file (their schedule file, the state file): lock
it (every name of the file shares one lock), read it under the reader's size limit,
edit and check the new content in context, refuse content past the limit with nothing
changed, write it atomically, and redo the edit if the file changed meanwhile. A BOM
and CRLF line ends are kept."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from poacal.errors import PoacalError
from poacal.files import read_regular, target_of, why, write_atomic

LOCK_TIMEOUT = 30.0  # seconds a second poacal waits for a file's lock


def lock_timeout() -> float:
    """LOCK_TIMEOUT, or $POACAL_LOCK_TIMEOUT seconds (a script that would rather fail
    fast than wait; at least 0.1)."""
    try:
        return max(0.1, float(os.environ["POACAL_LOCK_TIMEOUT"]))
    except (KeyError, ValueError):  # not set, or not a number
        return LOCK_TIMEOUT


BOM = b"\xef\xbb\xbf"


@contextlib.contextmanager
def locked(path: Path, error: type[PoacalError], timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of `path` (an OS lock on PATH.lock beside the file it
    names, released by the kernel when a process dies); waits up to `timeout` seconds
    (default: lock_timeout())."""
    timeout = lock_timeout() if timeout is None else timeout
    path = target_of(Path(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as e:
        raise error(f"{path}: cannot create the lock file: {why(e)}") from None
    try:
        _acquire(fd, path, timeout, error)
        yield
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, timeout: float, error: type[PoacalError]) -> None:
    import sys
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise error(
                    f"{path}: locked by another poacal for {timeout:g} s; is a reminder job stuck?"
                ) from None
            time.sleep(0.02)


@dataclass(frozen=True, slots=True)
class Layout:
    """How a user's text file is stored (a byte-order mark, CRLF line ends), so that
    poacal writes it back the same way."""

    bom: bool = False
    newline: str = "\n"


def decode_text(raw: bytes, path: Path, error: type[PoacalError]) -> tuple[str, Layout]:
    """A user's text file as text with LF line ends, and how it was stored."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path}: not UTF-8 text; poacal leaves it as it is") from None
    end = text.find("\n")
    newline = "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"
    if newline != "\n":
        text = text.replace("\r\n", "\n")
    return text, Layout(bom=raw.startswith(BOM), newline=newline)


def encode_text(text: str, layout: Layout) -> bytes:
    if layout.newline != "\n":
        text = text.replace("\n", layout.newline)
    return (BOM if layout.bom else b"") + text.encode("utf-8")


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class _Moved(Exception):
    """The file changed between reading and writing."""


def check_limit(
    path: Path, data: bytes, *, limit: int, error: type[PoacalError], what: str
) -> None:
    """Refuse to write what the reader would refuse to read back."""
    if len(data) > limit:
        raise error(
            f"{path}: would grow to {len(data):,} bytes, past the {limit:,} that poacal "
            f"reads in a {what}; nothing was changed"
        )


def _commit(
    target: Path,
    new: bytes,
    before: tuple[int, int, int] | None,
    *,
    limit: int,
    error: type[PoacalError],
    what: str,
) -> None:
    check_limit(target, new, limit=limit, error=error, what=what)
    if _signature(target) != before:
        raise _Moved
    write_atomic(target, new, error=error)
    if read_regular(target, limit, error, what) != new:
        raise error(f"{target}: what was read back differs from what was written")


@dataclass(slots=True)
class Pending:
    """A change being made by `changing`: the bytes read (None: no file yet) and the
    bytes to write (None: write nothing)."""

    old: bytes | None
    new: bytes | None = None


@contextlib.contextmanager
def changing(path: Path, *, limit: int, error: type[PoacalError], what: str) -> Iterator[Pending]:
    """`change` for a block of code: the block reads `.old` and sets `.new`."""
    target = target_of(Path(path))
    with locked(target, error):
        before = _signature(target)
        pending = Pending(read_regular(target, limit, error, what))
        yield pending
        if pending.new is None or pending.new == pending.old:
            return
        try:
            _commit(target, pending.new, before, limit=limit, error=error, what=what)
        except _Moved:
            raise error(
                f"{path}: the file changed while poacal was writing it; nothing was "
                "changed; try again"
            ) from None


def change(
    path: Path,
    edit: Callable[[bytes | None], bytes],
    *,
    limit: int,
    error: type[PoacalError],
    what: str,
    attempts: int = 3,
) -> bytes:
    """The one way poacal changes a user's file (own schedule, state): under the file's
    lock, read it (None if it does not exist yet), let `edit` make the new content (and
    check it in context, raising to change nothing), refuse content the reader would
    refuse (over `limit`), write it atomically (symlinks, hard links, modes kept) and
    read it back. If the file changed between reading and writing (an editor saved it,
    which no lock can stop), the change is made again on the new content."""
    target = target_of(Path(path))
    with locked(target, error):
        for _ in range(attempts):
            before = _signature(target)
            new = edit(read_regular(target, limit, error, what))
            try:
                _commit(target, new, before, limit=limit, error=error, what=what)
            except _Moved:
                continue
            return new
    raise error(
        f"{path}: the file kept changing while poacal was writing it (an editor saving?); "
        "nothing was changed; try again"
    )
