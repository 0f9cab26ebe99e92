"""Shell completion as a user meets it: a real bash, zsh and fish in a terminal, the script
from `--show-completion`, a code typed in part and TAB, then the line run. Each shell that
is not installed is skipped (and says so)."""

import os
import pty
import re
import select
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "schedule.toml"
POACAL = Path(sys.executable).parent / "poacal"

# How each shell starts without the user's start-up files, and loads poacal's script.
SHELLS = {
    "bash": (
        ["bash", "--norc", "--noprofile", "-i"],
        'PS1="$ "; eval "$(poacal --show-completion bash)"',
    ),
    "zsh": (
        ["zsh", "-f", "-i"],
        'PS1="$ "; autoload -U compinit; compinit -u; eval "$(poacal --show-completion zsh)"',
    ),
    "fish": (["fish", "--no-config", "-i"], "poacal --show-completion fish | source"),
}
ARGS = re.compile(rb"\[\[([^\]]*)\]\]")


class Terminal:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.seen = b""

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait_for(self, pattern: re.Pattern[bytes], timeout: float = 20.0) -> re.Match[bytes]:
        """Read the terminal until `pattern` appears (no fixed sleeps)."""
        import time

        end = time.monotonic() + timeout
        while (found := pattern.search(self.seen)) is None:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"{pattern.pattern!r} not seen; terminal: {self.seen[-600:]!r}"
                )
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:  # the shell is gone
                    break
        if found is None:
            raise AssertionError(f"shell ended; terminal: {self.seen[-600:]!r}")
        return found


@contextmanager
def shell(name: str, home: Path, lang: str) -> Iterator[Terminal]:
    argv, setup = SHELLS[name]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{name} is not installed")
    env = {
        "PATH": f"{POACAL.parent}:{os.environ['PATH']}",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".data"),
        "TERM": "xterm",
        "LANG": lang,
        "LC_ALL": lang,
        "POACAL_SCHEDULE": str(FIXTURE),
    }
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the shell
        os.execvpe(argv[0], argv, env)
    term = Terminal(fd)
    try:
        # The marker is printed only once the setup has run: its typed form differs.
        term.send(f"{setup}; echo 'READ''Y'\r")
        term.wait_for(re.compile(rb"READY"))
        yield term
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def completed(name: str, typed: str, home: Path, lang: str = "C.UTF-8") -> list[str]:
    """The words a shell runs after `typed`, TAB, then Enter (seen through printf)."""
    with shell(name, home, lang) as term:
        term.seen = b""
        term.send(f"{typed}\t")
        # Go to the start of the line and let printf show each word the shell would pass.
        term.send("\x01printf '[[%s]]' \x05; echo 'DO''NE'\r")
        found = term.wait_for(re.compile(rb"((?:\[\[[^\]]*\]\])+)DONE"))
        return [w.decode() for w in ARGS.findall(found.group(1))]


@pytest.mark.parametrize("name", sorted(SHELLS))
@pytest.mark.parametrize(
    ("typed", "words"),
    [
        # Codes with a space, a slash, a section sign: one argument each.
        ("poacal show UNCO", ["UNCONF 2001"]),
        ("poacal show RPM\\ W", ["RPM W/C Africa"]),
        ("poacal show '74/60 §27", ["74/60 §27"]),
        ('poacal show "RPM E', ["RPM E/S Africa"]),
        # Begun in lower case: offered in lower case (the shells keep only values that
        # begin with what was typed); poacal finds a code in any case.
        ("poacal show unco", ["unconf 2001"]),
        # Ids are one word and stay as they are.
        ("poacal show views-d", ["views-diversion-2020"]),
    ],
)
def test_a_completed_code_is_one_argument(
    name: str, typed: str, words: list[str], tmp_path: Path
) -> None:
    assert completed(name, typed, tmp_path) == ["poacal", "show", *words]


def test_bash_in_a_non_utf8_locale_quotes_a_code_with_a_non_ascii_letter(tmp_path: Path) -> None:
    # printf %q writes the section sign as $'\302\247' there: the same bytes reach poacal.
    assert completed("bash", "poacal show 74/60\\ §27", tmp_path, lang="C") == [
        "poacal",
        "show",
        "74/60 §27",
    ]
