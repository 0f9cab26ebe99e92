"""change.py in process, at its edges: the lock's wait, the line ends and byte-order mark
kept, the limit and the read-back, a file that keeps changing, and each refusal word for
word with the caller's error (its exit code is the caller's, not change.py's)."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from poacal import change as change_module
from poacal.change import Layout, change, changing, decode_text, encode_text, locked
from poacal.errors import PoacalError, StateError, UsageError
from poacal.files import write_atomic


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """The lock of tmp_path/f.txt, held on another open file (flock locks conflict
    between open files, also in one process)."""
    path = tmp_path / "f.txt"
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield path, fd
    finally:
        os.close(fd)


# --- the lock ------------------------------------------------------------------------


def test_a_held_lock_is_waited_for_its_whole_timeout(held: tuple[Path, int]) -> None:
    path, _ = held
    start = time.monotonic()
    with pytest.raises(StateError) as caught, locked(path, StateError, timeout=0.3):
        pass
    assert time.monotonic() - start >= 0.3
    assert str(caught.value) == (
        f"{path}: locked by another poacal for 0.3 s; is a reminder job stuck?"
    )


def test_a_lock_released_while_waiting_is_taken(held: tuple[Path, int]) -> None:
    path, fd = held
    threading.Timer(0.2, fcntl.flock, (fd, fcntl.LOCK_UN)).start()
    with locked(path, StateError, timeout=10):
        taken = True
    assert taken


def test_change_under_a_held_lock_fails_with_the_callers_error(
    held: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = held
    path.write_bytes(b"old\n")
    monkeypatch.setenv("POACAL_LOCK_TIMEOUT", "0.1")
    with pytest.raises(UsageError, match="locked by another poacal"):
        change(path, lambda old: b"new\n", limit=100, error=UsageError, what="note file")
    assert path.read_bytes() == b"old\n"


# --- line ends and the byte-order mark --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text", "layout"),
    [
        (b"a\nb\n", "a\nb\n", Layout()),
        (b"a\r\nb\r\n", "a\nb\n", Layout(newline="\r\n")),
        # the first line decides, also when it is empty
        (b"\r\nabc", "\nabc", Layout(newline="\r\n")),
        (b"\nabc\r", "\nabc\r", Layout()),
        # a later CRLF in an LF file is the user's: kept as it is
        (b"a\nb\r\nc", "a\nb\r\nc", Layout()),
        (b"\xef\xbb\xbfa\r\n", "a\n", Layout(bom=True, newline="\r\n")),
        (b"no line end", "no line end", Layout()),
    ],
)
def test_a_files_line_ends_and_mark_are_read_and_written_back(
    raw: bytes, text: str, layout: Layout
) -> None:
    assert decode_text(raw, Path("f"), StateError) == (text, layout)
    assert encode_text(text, layout) == raw


def test_text_that_is_not_utf8_is_refused_by_name() -> None:
    with pytest.raises(StateError) as caught:
        decode_text(b"caf\xe9\n", Path("/x/notes.toml"), StateError)
    assert str(caught.value) == "/x/notes.toml: not UTF-8 text; poacal leaves it as it is"


# --- limits, the read-back, a file that keeps changing ---------------------------------


def test_new_content_past_the_limit_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old\n")
    with pytest.raises(StateError) as caught:
        change(path, lambda old: b"x" * 1001, limit=1000, error=StateError, what="state file")
    assert str(caught.value) == (
        f"{path}: would grow to 1,001 bytes, past the 1,000 that poacal reads in a "
        "state file; nothing was changed"
    )
    assert path.read_bytes() == b"old\n"
    # at the limit itself it is written
    assert change(path, lambda old: b"x" * 1000, limit=1000, error=StateError, what="s") == (
        b"x" * 1000
    )
    assert path.read_bytes() == b"x" * 1000


def test_a_file_already_past_the_limit_is_refused_before_the_edit(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 11)
    edits: list[bytes | None] = []

    def edit(old: bytes | None) -> bytes:
        edits.append(old)
        return b""

    with pytest.raises(UsageError) as caught:
        change(path, edit, limit=10, error=UsageError, what="own file")
    assert str(caught.value) == f"{path}: is larger than 10 bytes; is this the right own file?"
    assert edits == [] and path.read_bytes() == b"x" * 11


def test_what_is_read_back_is_checked_with_the_callers_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.txt"

    def garbled(target: Path, data: bytes, *, error: type[PoacalError]) -> None:
        write_atomic(target, data + b"!", error=error)

    monkeypatch.setattr(change_module, "write_atomic", garbled)
    with pytest.raises(UsageError) as caught:
        change(path, lambda old: b"new", limit=100, error=UsageError, what="own file")
    assert str(caught.value) == f"{path}: what was read back differs from what was written"
    # read back past the limit: the reader's refusal, with the caller's error and words
    with pytest.raises(UsageError) as caught:
        change(path, lambda old: b"x" * 100, limit=100, error=UsageError, what="own file")
    assert str(caught.value) == f"{path}: is larger than 100 bytes; is this the right own file?"


def test_a_file_that_keeps_changing_is_tried_three_times(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"0")
    seen: list[bytes | None] = []

    def edit(old: bytes | None) -> bytes:
        seen.append(old)
        path.write_bytes(b"s" * (len(seen) + 1))  # an editor saves meanwhile (a new size)
        return b"mine"

    with pytest.raises(StateError) as caught:
        change(path, edit, limit=100, error=StateError, what="state file")
    assert seen == [b"0", b"ss", b"sss"]
    assert str(caught.value) == (
        f"{path}: the file kept changing while poacal was writing it (an editor saving?); "
        "nothing was changed; try again"
    )
    assert path.read_bytes() == b"ssss"


def test_a_file_that_changed_once_gets_the_edit_made_again(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"0")
    seen: list[bytes | None] = []

    def edit(old: bytes | None) -> bytes:
        seen.append(old)
        if len(seen) == 1:
            path.write_bytes(b"saved")
        return (old or b"") + b"+mine"

    assert change(path, edit, limit=100, error=StateError, what="f") == b"saved+mine"
    assert seen == [b"0", b"saved"] and path.read_bytes() == b"saved+mine"


def test_changing_a_block_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"0")
    with (
        pytest.raises(StateError) as caught,
        changing(path, limit=100, error=StateError, what="f") as pending,
    ):
        assert pending.old == b"0"
        path.write_bytes(b"saved")
        pending.new = b"mine"
    assert str(caught.value) == (
        f"{path}: the file changed while poacal was writing it; nothing was changed; try again"
    )
    assert path.read_bytes() == b"saved"
