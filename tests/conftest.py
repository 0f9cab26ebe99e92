"""Shared builders: small schedules written as TOML text, and the golden-file helper."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from poacal import processes
from poacal.load import load_schedule
from poacal.model import Schedule
from poacal.sources import embedded_path, file_revision

GOLDEN = Path(__file__).parent / "golden"
# The embedded data's revision as its own file states it: tests about the revision (not
# about its value) follow a data update without edits.
# (read from the file's first lines: `make mutate` needs conftest to import without
# calling the mutated loader)
REVISION = file_revision(embedded_path()).isoformat()

# A shell starts background jobs with SIGINT ignored, and a child inherits that: the
# tests that stop `poacal serve` or an export with Ctrl-C (SIGINT) would then wait for
# nothing. Handled here, children start with SIGINT at its default, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# A frozen copy of the data (revision 2026-12-03) for the golden files about views, so an
# edit of schedule.toml rewrites only the tests about the embedded data.
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "schedule.toml"

HEADER = """\
[schedule]
revision = 2026-01-01

[[document]]
id = "A/RES/1"
symbol = "A/RES/1"
title = "A resolution"
url = "https://undocs.org/A/RES/1"
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutate` (mutmut sets MUTANT_UNDER_TEST), the fastest tests run first,
    by the durations mutmut recorded, so a mutant is caught by its quickest test (the
    run stops at the first failure); its clean run is ordered the same way, so a test
    that depends on the order fails there first. In a mutant's own run (MUTANT_UNDER_TEST
    names it), the tests marked slow are left out: those seconds-long sweeps would run
    for every mutant that survives the rest. A mutant only they would kill is counted a
    survivor, so the kill rates can only read low, never high. `make test` runs them all
    in the usual order."""
    mutant = os.environ.get("MUTANT_UNDER_TEST")
    if mutant is None:
        return
    if "__mutmut_" in mutant:
        slow = [item for item in items if item.get_closest_marker("slow") is not None]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if item.get_closest_marker("slow") is None]
    stats = Path("mutmut-stats.json")
    if stats.is_file():
        import json

        took = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
        items.sort(key=lambda item: took.get(item.nodeid, 0.0))


@pytest.fixture(autouse=True)
def fresh_vobject_zones() -> None:
    """vobject keeps the first VTIMEZONE it read for a TZID for the whole process, and
    reads later feeds' times by it: each test reads its own feed's zones."""
    icalendar = sys.modules.get("vobject.icalendar")
    if icalendar is not None:
        zones = vars(icalendar)["__tzidMap"]
        for tzid in [z for z in zones if z != "UTC"]:
            del zones[tzid]


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's own state, config, cache or schedule."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("POACAL_UPDATE_URL", raising=False)
    monkeypatch.delenv("POACAL_STATE", raising=False)
    monkeypatch.delenv("POACAL_SCHEDULE", raising=False)
    monkeypatch.delenv("POACAL_PROCESS", raising=False)
    processes.choose(None)  # a run chooses its processes once; tests start from the default
    # English links whatever this machine's locale; tests of the default unset it
    monkeypatch.setenv("POACAL_LANG", "en")


def own_schedule(text: str) -> Path:
    """Write the user's own schedule file where poacal looks for it (in the test's home)."""
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "poacal" / "schedule.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    """Compare output with tests/golden/NAME byte for byte."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str | bytes) -> None:
        data = actual.encode() if isinstance(actual, str) else actual
        path = GOLDEN / name
        if update:
            path.write_bytes(data)
        assert path.exists(), f"missing golden file {path}; run `make golden` and review it"
        assert data == path.read_bytes(), f"{name} differs from its golden file"

    return check


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write TOML text (dedented, the standard header prepended) and return its path."""

    def _write(body: str, name: str = "s.toml", header: bool = True) -> Path:
        path = tmp_path / name
        path.write_text((HEADER if header else "") + textwrap.dedent(body), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def build(write: Callable[..., Path]) -> Callable[[str], Schedule]:
    def _build(body: str) -> Schedule:
        return load_schedule(write(body))

    return _build


@pytest.fixture(scope="session")
def embedded() -> Schedule:
    return load_schedule()


@contextlib.contextmanager
def serving(*args: str) -> Iterator[str]:
    """`poacal serve ARGS` on a free loopback port, as a real process; yields its URL and
    stops it with Ctrl-C (SIGINT) at the end."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "poacal", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POACAL_SCHEDULE": ""},
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith("Serving http://127.0.0.1:"), line
        yield line.split()[1]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
