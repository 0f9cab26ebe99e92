"""files.py in process, at its edges: where a write lands through a symlink, a file
already holding the data, writing through what is not a regular file, the rewrite in
place of a hard-linked file, the folder writer (nested names, modes, what it carries
over, symlinks kept, leftovers), the atomic exchange of two folders and its fallback,
and each refusal word for word."""

from __future__ import annotations

import fnmatch
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from poacal import files
from poacal.errors import OutputError, StateError
from poacal.files import (
    TMP_MARK,
    _alive,
    _exchange,
    _same,
    _swap,
    target_of,
    write_atomic,
    write_folder,
)

MARK = "poacal.ics"


def umasked(mode: int) -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


# --- where a write lands -------------------------------------------------------------


def test_a_symlink_to_a_file_or_to_nothing_is_followed_and_any_other_kept(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real.txt"
    real.write_text("x")
    plain = tmp_path / "plain.txt"
    to_file, to_nothing, to_device = (tmp_path / n for n in ("a", "b", "c"))
    to_file.symlink_to(real)
    to_nothing.symlink_to(tmp_path / "later.txt")
    to_device.symlink_to(os.devnull)
    assert target_of(plain) == plain
    assert target_of(to_file) == real
    assert target_of(to_nothing) == tmp_path / "later.txt"
    assert target_of(to_device) == to_device


def test_a_write_through_a_symlink_replaces_its_target_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert write_atomic(link, b"new") is True
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_file_is_the_same_only_when_it_holds_exactly_the_data(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert _same(path, 3, b"abc")
    assert not _same(path, 3, b"abd")
    assert not _same(path, 3, b"ab")  # another size: not read at all
    # what cannot be read is never "the same" (here a folder, of its own size)
    assert not _same(tmp_path, tmp_path.stat().st_size, b"x" * tmp_path.stat().st_size)


def test_writing_the_same_bytes_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f"
    assert write_atomic(path, b"abc") is True
    before = path.stat()
    assert write_atomic(path, b"abc") is False
    assert path.stat().st_ino == before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_folder_in_the_files_place_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(StateError) as caught:
        write_atomic(tmp_path, b"y", error=StateError)
    assert str(caught.value) == f"{tmp_path}: is a folder; give a file name"


def test_a_device_that_refuses_the_write_is_an_error_by_name() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with pytest.raises(OutputError) as caught:
        write_atomic(Path("/dev/full"), b"x")
    assert str(caught.value) == "/dev/full: cannot write: No space left on device"


def test_a_path_through_a_file_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateError) as caught:
        write_atomic(tmp_path / "file" / "x", b"y", error=StateError)
    assert str(caught.value) == f"{tmp_path}/file/x: cannot write: Not a directory"


# --- what is not a regular file --------------------------------------------------------


def test_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputError) as caught:
        write_atomic(fifo, b"x")
    assert str(caught.value) == f"{fifo}: cannot write: No such device or address"


def test_a_fifo_with_a_slow_reader_gets_everything(tmp_path: Path) -> None:
    """More than a pipe holds: the writer blocks (it opened without blocking only to
    find out whether anyone reads) until the reader has taken it all."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = bytes(range(256)) * 4096  # 1 MiB, sixteen times a pipe's buffer
    got: list[bytes] = []
    opened = threading.Event()

    def read() -> None:
        with open(fifo, "rb") as fh:
            opened.set()
            got.append(fh.read())

    reader = threading.Thread(target=read)
    reader.start()
    # the reader's open blocks until a writer opens: open one meanwhile to let it through
    keep = os.open(fifo, os.O_WRONLY)
    assert opened.wait(10)
    try:
        assert write_atomic(fifo, data) is True
    finally:
        os.close(keep)
    reader.join(10)
    assert got == [data]


# --- a file with other names -----------------------------------------------------------


def test_a_hard_linked_file_is_rewritten_in_place_whatever_each_write_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old content, longer than the new")
    other = tmp_path / "other-name"
    os.link(path, other)
    real = os.pwrite

    def three_bytes_at_a_time(fd: int, data: bytes | memoryview, at: int) -> int:
        return real(fd, bytes(data[:3]), at)

    monkeypatch.setattr(os, "pwrite", three_bytes_at_a_time)
    assert write_atomic(path, b"new content") is True
    assert other.read_bytes() == b"new content" and path.stat().st_nlink == 2


# --- leftovers of a killed writer --------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_live_process_is_asked_without_a_signal(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert _alive(child.pid) is True
    finally:
        child.terminate()
        child.wait()
    # it ended by our SIGTERM, not by a signal sent while asking (a pending SIGHUP, say,
    # would be taken first)
    assert child.returncode == -signal.SIGTERM
    assert _alive(child.pid) is False
    assert _alive(os.getpid()) is True


def test_someone_elses_process_counts_as_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(pid: int, sig: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "kill", refused)
    assert _alive(1) is True


def test_a_folder_write_removes_a_dead_writers_leftovers_beside_it(tmp_path: Path) -> None:
    pid = dead_pid()
    left = tmp_path / f".site{TMP_MARK}{pid}.abc"
    left.mkdir()
    (left / "index.html").write_text("half")
    write_folder(tmp_path / "site", {"index.html": b"x", MARK: b"y"}, MARK)
    assert not left.exists()


@pytest.mark.parametrize(
    ("maker", "name", "pattern"),
    [
        # the folder `write_folder` builds beside the old one
        ("mkdtemp", "site", f".site{TMP_MARK}{os.getpid()}.*"),
        # the file `write_atomic` writes beside the one it replaces
        ("mkstemp", "feed.ics", f".feed.ics{TMP_MARK}{os.getpid()}.*.tmp"),
    ],
)
def test_a_temporary_is_beside_its_target_and_named_for_the_cleanup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, maker: str, name: str, pattern: str
) -> None:
    made: list[Path] = []
    real = getattr(tempfile, maker)

    def spy(*args: object, **kw: object) -> object:
        result = real(*args, **kw)
        made.append(Path(result if isinstance(result, str) else result[1]))
        return result

    monkeypatch.setattr(tempfile, maker, spy)
    if maker == "mkdtemp":
        write_folder(tmp_path / name, {MARK: b"y"}, MARK)
    else:
        write_atomic(tmp_path / name, b"x")
    [tmp] = made
    assert tmp.parent == tmp_path
    assert fnmatch.fnmatchcase(tmp.name, pattern)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# --- the folder writer ---------------------------------------------------------------


def test_a_new_folder_gets_nested_names_and_the_usual_modes(tmp_path: Path) -> None:
    site = tmp_path / "a" / "b" / "site"
    changed = write_folder(site, {"x/y/z.ics": b"1", MARK: b"2"}, MARK)
    assert changed == [MARK, "x/y/z.ics"]
    assert (site / "x" / "y" / "z.ics").read_bytes() == b"1"
    assert stat.S_IMODE(site.stat().st_mode) == umasked(0o777)
    assert stat.S_IMODE((site / MARK).stat().st_mode) == umasked(0o666)


def test_a_folder_that_cannot_be_made_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError) as caught:
        write_folder(tmp_path / "file" / "sub" / "site", {MARK: b"y"}, MARK)
    assert str(caught.value) == f"{tmp_path}/file/sub: cannot create the folder: Not a directory"


def test_a_file_in_the_folders_place_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("x")
    with pytest.raises(OutputError) as caught:
        write_folder(tmp_path / "site", {MARK: b"y"}, MARK)
    assert str(caught.value) == f"{tmp_path}/site: exists and is not a folder"


def test_a_folder_of_other_files_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "thesis.docx").write_text("x")
    with pytest.raises(OutputError) as caught:
        write_folder(tmp_path / "site", {MARK: b"y"}, MARK)
    assert str(caught.value) == (
        f"{tmp_path}/site: holds other files and no {MARK}; give a new or empty folder, "
        "or one that poacal wrote before"
    )
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["thesis.docx"]


def test_a_rewrite_carries_over_other_entries_and_symlinks_as_symlinks(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    write_folder(site, {MARK: b"1", "a/b/old.ics": b"old", "index.html": b"i"}, MARK)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "f").write_text("kept")
    (site / "CNAME").write_text("example.org")
    (site / "docs").symlink_to(elsewhere)
    (site / "cname-link").symlink_to("CNAME")
    (site / "extra").mkdir()
    (site / "extra" / "inner").symlink_to(elsewhere / "f")

    changed = write_folder(site, {MARK: b"2", "a/b/new.ics": b"new", "index.html": b"i"}, MARK)

    assert changed == ["a/b/new.ics", MARK]
    # a folder holding our files is ours, rebuilt whole: the old event is gone
    assert sorted(p.name for p in (site / "a" / "b").iterdir()) == ["new.ics"]
    assert (site / "CNAME").read_text() == "example.org"
    assert (site / "docs").is_symlink() and os.readlink(site / "docs") == str(elsewhere)
    assert (site / "cname-link").is_symlink() and os.readlink(site / "cname-link") == "CNAME"
    assert (site / "extra" / "inner").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "site"]


def test_a_symlinked_folder_is_written_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "www"
    write_folder(real, {MARK: b"1"}, MARK)
    link = tmp_path / "site"
    link.symlink_to(real)
    assert write_folder(link, {MARK: b"2"}, MARK) == [MARK]
    assert link.is_symlink() and (real / MARK).read_bytes() == b"2"


def test_a_folder_that_cannot_be_swapped_gets_its_files_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write_folder(site, {MARK: b"1"}, MARK)
    inode = site.stat().st_ino
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == site)
    changed = write_folder(site, {MARK: b"2", "x/y/z.ics": b"z"}, MARK)
    assert changed == [MARK, "x/y/z.ics"]
    assert site.stat().st_ino == inode  # the same folder, not a new one swapped in
    assert (site / "x" / "y" / "z.ics").read_bytes() == b"z"


# --- exchanging two folders -------------------------------------------------------------


def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        (folder / "name").write_text(folder.name)
    return a, b


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_two_folders_are_exchanged_in_one_step(tmp_path: Path) -> None:
    a, b = two_folders(tmp_path)
    assert _exchange(a, b) is True
    assert (a / "name").read_text() == "b" and (b / "name").read_text() == "a"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_two_folders_named_from_the_working_folder_are_exchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_folders(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _exchange(Path("a"), Path("b")) is True
    assert (tmp_path / "a" / "name").read_text() == "b"


def test_without_the_exchange_two_renames_do_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    new, folder = two_folders(tmp_path)
    _swap(new, folder)
    assert (folder / "name").read_text() == "a" and (new / "name").read_text() == "b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_a_failed_second_rename_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    new, folder = two_folders(tmp_path)
    real = os.rename
    calls: list[tuple[str, str]] = []

    def second_fails(src: Path, dst: Path) -> None:
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "rename", second_fails)
    with pytest.raises(OSError):
        _swap(new, folder)
    assert calls == [("b", "a.old"), ("a", "b"), ("a.old", "b")]
    assert (folder / "name").read_text() == "b" and (new / "name").read_text() == "a"


# --- clean_stale ------------------------------------------------------------------------


def test_leftovers_of_dead_writers_go_and_everything_else_stays(tmp_path: Path) -> None:
    from poacal.files import clean_stale

    pid = dead_pid()
    for n in range(20):
        (tmp_path / f"file-{n}.txt").write_text("mine")
    (tmp_path / f".feed.ics{TMP_MARK}{pid}.abc.tmp").write_text("half")
    (tmp_path / f"{TMP_MARK}{pid}.tmp").write_text("half")  # the mark first
    (tmp_path / f".site{TMP_MARK}{pid}.xyz").mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    (tmp_path / f".link{TMP_MARK}{pid}.tmp").symlink_to(target)
    (tmp_path / f".x{TMP_MARK}abc.tmp").write_text("no pid")  # not a process id
    (tmp_path / f".x{TMP_MARK}{os.getpid()}.tmp").write_text("ours, running")
    clean_stale(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        [f"file-{n}.txt" for n in range(20)]
        + ["elsewhere", f".x{TMP_MARK}abc.tmp", f".x{TMP_MARK}{os.getpid()}.tmp"]
    )
    assert (target / "keep.txt").read_text() == "keep"  # a link is removed, not followed


# --- reading: read_regular --------------------------------------------------------------


def test_a_file_is_read_whole_up_to_its_limit_and_refused_past_it(tmp_path: Path) -> None:
    path = tmp_path / "f"
    data = bytes(range(256)) * 8192  # 2 MiB: more than one of its 1 MiB reads
    path.write_bytes(data)
    assert files.read_regular(path, len(data)) == data
    with pytest.raises(files.Unreadable) as caught:
        files.read_regular(path, len(data) - 1)
    assert (
        str(caught.value)
        == f"{path}: is larger than {len(data) - 1:,} bytes; is this the right file?"
    )
    assert files.read_regular(tmp_path / "missing", 10) is None


@pytest.mark.parametrize("what", ["file", "schedule file"])
def test_what_is_not_a_regular_file_is_named(tmp_path: Path, what: str) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    cases = {
        tmp_path: "is a folder",
        Path("/dev/null"): "is a special file (a FIFO, device or socket)",
        fifo: "is a special file (a FIFO, device or socket)",
        tmp_path / "f" / "x": "cannot read the",
    }
    (tmp_path / "f").write_text("")
    for path, words in cases.items():
        with pytest.raises(ValueError) as caught:
            files.read_regular(path, 10, ValueError, what)
        shown = str(caught.value)
        if words == "cannot read the":
            assert shown == f"{path}: cannot read the {what}: Not a directory"
        else:
            assert shown == f"{path}: {words}, not a {what}"


def test_a_fifo_nobody_writes_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[str] = []

    def read() -> None:
        try:
            files.read_regular(fifo, 10)
        except files.Unreadable as e:
            got.append(str(e))

    t = threading.Thread(target=read, daemon=True)  # a blocked open would hold it for ever
    t.start()
    t.join(10)
    assert not t.is_alive() and got == [
        f"{fifo}: is a special file (a FIFO, device or socket), not a file"
    ]


def test_a_file_one_byte_over_a_limit_that_ends_a_read_is_refused(tmp_path: Path) -> None:
    """The first read stops exactly at the limit: one more byte must still be looked for."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * ((1 << 20) + 1))
    with pytest.raises(files.Unreadable):
        files.read_regular(path, 1 << 20)
    path.write_bytes(b"x" * (1 << 20))
    assert files.read_regular(path, 1 << 20) == b"x" * (1 << 20)
