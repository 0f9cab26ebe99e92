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
TIMEOUT = 300  # seconds for the given tests on one mutant


def survivors(module: str) -> list[str]:
    out = subprocess.run(
        [str(BIN / "mutmut"), "results"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    return [
        line.split(":")[0].strip()
        for line in out.splitlines()
        if line.strip().startswith(module + ".") and line.rstrip().endswith("survived")
    ]


def _sides(diff: str) -> tuple[list[str], list[str]]:
    """The lines a unified diff takes away and puts in, each with its context. (Not
    `patch`: a hunk with less context after than before must match at a file's end.)"""
    old: list[str] = []
    new: list[str] = []
    for line in diff.splitlines()[1:]:
        if line.startswith(("---", "+++", "@@")):
            continue
        body = line[1:] + "\n"
        if line.startswith("-"):
            old.append(body)
        elif line.startswith("+"):
            new.append(body)
        else:
            old.append(body)
            new.append(body)
    return old, new


def _indent(lines: list[str]) -> str:
    return "".join("    " + line if line.strip() else line for line in lines)


def alive(name: str, source: Path, tests: list[str]) -> bool | None:
    """Whether the tests pass with mutant `name` applied; None if it does not apply."""
    diff = subprocess.run(
        [str(BIN / "mutmut"), "show", name], capture_output=True, text=True, cwd=ROOT
    ).stdout
    old_lines, new_lines = _sides(diff)
    original = source.read_bytes()
    try:
        text = original.decode()
        old, new = "".join(old_lines), "".join(new_lines)
        if text.count(old) != 1:
            # a method: mutmut shows it out of its class, four spaces to the left
            old, new = (_indent(lines) for lines in (old_lines, new_lines))
        if text.count(old) != 1:
            return None
        source.write_text(text.replace(old, new), encoding="utf-8")
        try:
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                capture_output=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return False  # a mutant that never ends is caught, as mutmut counts a timeout
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
