"""poacal: the UN Programme of Action on small arms (PoA/ITI) meeting cycle, offline."""

from __future__ import annotations

import contextlib

__version__ = "0.1.0"


def main() -> None:
    """The console script. Signals and streams are set up before anything heavy is
    imported, so Ctrl-C or SIGTERM at any moment ends with exit 130 and no traceback,
    and a closed or non-UTF-8 stdout never raises."""
    import signal
    import sys

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Signals wait while the modules load (an interrupt inside an import surfaces as a
    # RuntimeError from deep in the standard library); they arrive just after.
    stop = {signal.SIGINT, signal.SIGTERM}
    blocked = hasattr(signal, "pthread_sigmask")
    try:
        signal.signal(signal.SIGTERM, interrupted)
        if blocked:
            signal.pthread_sigmask(signal.SIG_BLOCK, stop)
        _streams()
        from poacal.cli import main as run

        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stop)
    except KeyboardInterrupt:
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
