"""Check mutmut's survivors again against the tests as they are now.

mutmut does not run a mutant again once it has a result, so a test written for a
survivor does not change its figures. This applies each survivor of the named modules
(`mutmut show NAME`, a unified diff) to the source, runs the given tests, and puts the
source back; it prints each survivor as killed or still alive, and the counts.

    python tests/mutation_recheck.py poacal.ical tests/test_ical.py tests/test_vtimezone.py

It edits the working tree while it runs (each file is restored, also on Ctrl-C): run it
on a clean tree, not while editing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def survivors(module: str) -> list[str]:
    out = subprocess.run(
        [str(BIN / "mutmut"), "results"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    return [
        line.split(":")[0].strip()
        for line in out.splitlines()
        if line.strip().startswith(module + ".") and line.rstrip().endswith("survived")
    ]


def alive(name: str, source: Path, tests: list[str]) -> bool | None:
    """Whether the tests pass with mutant `name` applied; None if it does not apply."""
    diff = subprocess.run(
        [str(BIN / "mutmut"), "show", name], capture_output=True, text=True, cwd=ROOT
    ).stdout
    patch = "".join(diff.splitlines(keepends=True)[1:])
    original = source.read_bytes()
    try:
        applied = subprocess.run(
            ["patch", "-s", "-p0", "--no-backup-if-mismatch", "-r", "-"],
            input=patch,
            text=True,
            cwd=ROOT,
            capture_output=True,
        )
        if applied.returncode != 0:
            return None
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
            cwd=ROOT,
            capture_output=True,
        )
        return run.returncode == 0
    finally:
        source.write_bytes(original)


def main(module: str, *tests: str) -> int:
    source = ROOT / (module.replace(".", "/") + ".py")
    names = survivors(module)
    left = []
    for name in names:
        state = alive(name, source, list(tests))
        word = {True: "alive", False: "killed", None: "does not apply"}[state]
        print(f"{word:15} {name}")
        if state is not False:
            left.append(name)
    killed = len(names) - len(left)
    print(f"{module}: {len(names)} survivors, {killed} killed now, {len(left)} left")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
