"""poacal: the UN Programme of Action on small arms (PoA/ITI) meeting cycle, offline."""

from __future__ import annotations

from poacal.version import __version__ as __version__


def main() -> None:
    """The console script. Signals and streams are set up before anything heavy is
    imported, so Ctrl-C or SIGTERM at any moment ends with exit 130 and no traceback,
    and a closed or non-UTF-8 stdout never raises."""
    # Signals wait while the modules load (an interrupt inside an import surfaces as a
    # RuntimeError or a traceback from deep in the standard library); they arrive just
    # after. _signal is built into the interpreter: blocking needs no import that could
    # itself be interrupted, so this is the first thing poacal does.
    import _signal  # type: ignore[import-not-found]  # no stub; the module behind signal

    stop = {_signal.SIGINT, _signal.SIGTERM}
    blocked = hasattr(_signal, "pthread_sigmask")
    if blocked:
        _signal.pthread_sigmask(_signal.SIG_BLOCK, stop)
    import sys

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        _signal.signal(_signal.SIGTERM, interrupted)
        _streams()
        from poacal.cli import main as run

        if blocked:
            _signal.pthread_sigmask(_signal.SIG_UNBLOCK, stop)
    except KeyboardInterrupt:
        import contextlib

        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write("poacal: interrupted\n")
        sys.exit(130)
    run()


class _Closed:
    """Stands in for a standard stream that was closed (`poacal >&-`): writing to it is
    an error the CLI reports, not an AttributeError."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("closed")

    @property
    def buffer(self) -> _Closed:
        return self


def _streams() -> None:
    """Text that the terminal's encoding cannot show is escaped, never a crash."""
    import sys

    if sys.stdout is None:
        sys.stdout = _Closed()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="backslashreplace")
