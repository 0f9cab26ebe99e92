"""The one way poacal reads and writes files.

Writing: a regular file is replaced atomically (a temporary file in the same folder,
fsync, rename), through symlinks to their target, keeping the existing file's mode; a
file the user made read-only is refused unless `force`. Anything that is not a regular
file (a device such as /dev/null, a FIFO, a socket, /dev/stdout) is opened and written
directly, never replaced. A folder is replaced whole (`write_folder`): built beside the
old one and swapped in, so a reader never sees a mix of old and new files.

Reading: schedule and state files must be regular files, read with a size cap and never
blocking (a FIFO or a device is refused, not waited on).

Temporary files and folders carry TMP_MARK and the writer's process id in their names;
a later write in the same folder removes those whose process is gone (killed by
SIGKILL, say), so nothing accumulates."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from poacal.errors import OutputError, PoacalError

TMP_MARK = ".poacal-tmp-"


def why(e: OSError) -> str:
    return e.strerror or str(e)


class Unreadable(Exception):
    """A file that `read_regular` refuses; its text is one line for the user."""


def read_regular(
    path: Path, limit: int, error: type[Exception] = Unreadable, what: str = "file"
) -> bytes | None:
    """The bytes of `path`, a regular file of at most `limit` bytes; None if it does not
    exist. A FIFO, device, socket or folder is an `error`, raised before anything blocks."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what}") from None
    except OSError as e:
        raise error(f"{path}: cannot read the {what}: {why(e)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "folder" if stat.S_ISDIR(mode) else "special file (a FIFO, device or socket)"
            raise error(f"{path}: is a {kind}, not a {what}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise error(f"{path}: cannot read the {what}: {why(e)}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise error(f"{path}: is larger than {limit:,} bytes; is this the right {what}?")
    return data


def target_of(path: Path) -> Path:
    """Where a write to `path` lands: a symlink to a regular file (or to nothing yet) is
    followed to its target, which is then replaced; a symlink to anything else
    (/dev/stdout -> /proc/self/fd/1 -> a pipe) is kept, to be opened and written."""
    if not os.path.islink(path):
        return path
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return path
    except OSError:
        pass
    return Path(os.path.realpath(path))


def _same(path: Path, size: int, data: bytes) -> bool:
    """Whether the regular file at `path` (of `size` bytes) already holds `data`; a file
    of another size is never read."""
    if size != len(data):
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its files alone
    return True


def clean_stale(folder: Path) -> None:
    """Remove temporary files and folders left in `folder` by a poacal that was killed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    import shutil

    for name in names:
        at = name.find(TMP_MARK)
        if at < 0:
            continue
        pid_text = name[at + len(TMP_MARK) :].split(".", 1)[0]
        if not (pid_text.isascii() and pid_text.isdigit()) or _alive(int(pid_text)):
            continue
        stale = folder / name
        with contextlib.suppress(OSError):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale)
            else:
                stale.unlink()


def _tmp_prefix(name: str) -> str:
    return f".{name}{TMP_MARK}{os.getpid()}."


def _write_through(path: Path, data: bytes, error: type[PoacalError]) -> None:
    """Write to something that is not a regular file: open it and write, never replace.
    O_NONBLOCK on open, so a FIFO nobody reads is an error rather than a hang."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise error(f"{path}: cannot write: {why(e)}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as e:
        raise error(f"{path}: cannot write: {why(e)}") from None
    finally:
        os.close(fd)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    error: type[PoacalError] = OutputError,
    force: bool = False,
) -> bool:
    """Write `data` to `path`. Returns False if the file already held it.

    A regular file is replaced atomically; anything else is written directly (see the
    module's docstring). On any failure the previous file is left as it was.
    """
    path = target_of(Path(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise error(f"{path}: cannot write: {why(e)}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise error(f"{path}: is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(path, data, error)
        return True
    folder = path.parent  # Path("name").parent is Path(".")
    clean_stale(folder)
    if st is not None and _same(path, st.st_size, data):
        return False
    if st is not None and not force and not st.st_mode & stat.S_IWUSR:
        raise error(f"{path}: the file is read-only; make it writable or use --force")
    if not folder.is_dir():
        raise error(f"{path}: folder {folder} does not exist")
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(path.name), suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else _default_mode())
        if st is not None and st.st_nlink > 1:
            # A file with other names (hard links): a rename would split it from them, so
            # its content is rewritten in place, once the full copy beside it proved that
            # the disk has room for it.
            _rewrite_in_place(path, data)
        else:
            os.replace(tmp, path)
            tmp = None
    except OSError as e:
        raise error(f"{path}: cannot write: {why(e)}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return True


def _rewrite_in_place(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        view = memoryview(data)
        at = 0
        while at < len(data):
            at += os.pwrite(fd, view[at:], at)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def _default_mode(folder: bool = False) -> int:
    """0666 (0777 for a folder) less the umask, as `open()` or `mkdir()` would give."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def write_folder(folder: Path, files: dict[str, bytes], marker: str) -> list[str]:
    """Make `folder` hold `files` ({relative name: bytes}) in one step; returns the names
    whose content changed. The new folder is built beside the old one and swapped in.
    An existing folder must be empty or hold `marker` (a file this writer wrote before),
    so a mistyped path is never swapped away; other entries of a folder written before
    (a CNAME, .htaccess) are carried over."""
    given = Path(folder)
    # A symlinked folder (a web root elsewhere) is written where it points; the link
    # itself stays.
    folder = Path(os.path.realpath(given)) if os.path.islink(given) else given
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{parent}: cannot create the folder: {why(e)}") from None
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    old = folder if folder.is_dir() else None
    if old is not None and any(True for _ in os.scandir(old)) and not (old / marker).is_file():
        raise OutputError(
            f"{folder}: holds other files and no {marker}; give a new or empty folder, "
            "or one that poacal wrote before"
        )
    changed = []
    for name, data in sorted(files.items()):
        current = folder / name
        try:
            same = current.is_file() and _same(current, current.stat().st_size, data)
        except OSError:
            same = False
        if not same:
            changed.append(name)
    if old is not None and not changed:
        return []
    if old is not None and (os.path.ismount(old) or not os.access(parent, os.W_OK)):
        # A mount point cannot be swapped, nor a folder whose parent is not ours to
        # write (a web root): its files are replaced one by one instead, each atomically.
        for name in changed:
            (old / name).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(old / name, files[name])
        return changed
    clean_stale(parent)
    import shutil
    import tempfile

    new = None
    try:
        new = Path(tempfile.mkdtemp(prefix=_tmp_prefix(folder.name), dir=parent))
        if old is not None:
            _copy_others(old, new, set(files))
            os.chmod(new, stat.S_IMODE(old.stat().st_mode))
        else:
            os.chmod(new, _default_mode(folder=True))
        for name, data in files.items():
            dest = new / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(dest, _default_mode())
        if old is None:
            os.rename(new, folder)
        else:
            _swap(new, folder)
            shutil.rmtree(new, ignore_errors=True)
        new = None
    except OSError as e:
        raise OutputError(f"{folder}: cannot write: {why(e)}") from None
    finally:
        if new is not None:
            shutil.rmtree(new, ignore_errors=True)
    return changed


def _copy_others(old: Path, new: Path, ours: set[str]) -> None:
    import shutil

    # A folder that holds any of our files (the site's events/) is ours: rebuilt whole.
    ours = ours | {name.split("/", 1)[0] for name in ours}
    for entry in os.scandir(old):
        if entry.name in ours or TMP_MARK in entry.name:
            continue
        dest = new / entry.name
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, dest, symlinks=True)
        else:
            shutil.copy2(entry.path, dest, follow_symlinks=False)


def _swap(new: Path, folder: Path) -> None:
    """Exchange two folders: atomically where the kernel can (Linux renameat2), else by
    two renames, so at worst the folder is missing for an instant, never mixed."""
    if _exchange(new, folder):
        return
    aside = new.with_name(new.name + ".old")
    os.rename(folder, aside)
    try:
        os.rename(new, folder)
    except OSError:
        os.rename(aside, folder)
        raise
    os.rename(aside, new)


def _exchange(a: Path, b: Path) -> bool:
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(rc == 0)
