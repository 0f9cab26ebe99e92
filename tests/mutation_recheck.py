"""Check mutmut's survivors again against the tests as they are now.

mutmut does not always run a mutant again once it has a result, so a test written for a
survivor may not change its figures. This runs each survivor of the named modules the
way mutmut does (in `mutants/`, with MUTANT_UNDER_TEST naming it, the current tests
copied in) on the given tests, prints it as killed or still alive, and records each
verdict in mutants/rechecked.json with the hash of the function it mutates, so that
`tests/mutation_report.py` counts a rechecked kill (until that function changes).

    python tests/mutation_recheck.py poacal.ical tests/test_ical.py tests/test_vtimezone.py

`--unchecked` runs the mutants mutmut has not run yet instead (a module whose every
function the whole suite reaches, such as the loader's checks, takes mutmut hours: a
survivor runs every test). Their verdicts count in the report like mutmut's own; a
mutant alive on the given tests counts as a survivor, so a narrow choice of tests can
only make a rate read low. `--again` runs those it recorded alive once more (after new
tests), `--resume` leaves out those with a verdict already (after an interrupted run).
`-j N` runs N mutants at a time; several rechecks may run at once (each verdict
is merged into mutants/rechecked.json under a lock).

It never edits poacal/: it can run while you work, and beside `mutmut run`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
RECHECKED = MUTANTS / "rechecked.json"
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


def unchecked(module: str) -> list[str]:
    """The mutants of `module` that mutmut has no result for."""
    meta = MUTANTS / (module.replace(".", "/") + ".py.meta")
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    return [name for name, code in codes.items() if code is None]


def function_hash(name: str) -> str | None:
    """The hash mutmut recorded for the function that mutant `name` changes."""
    module, _, mutant = name.rpartition(".")
    meta = MUTANTS / (module.replace(".", "/") + ".py.meta")
    try:
        hashes: dict[str, str] = json.loads(meta.read_text())["hash_by_function_name"]
    except (OSError, ValueError, KeyError):
        return None
    return hashes.get(mutant.rsplit("__mutmut_", 1)[0])


def alive(name: str, tests: list[str]) -> bool:
    """Whether the tests pass with mutant `name` switched on."""
    env = {**os.environ, "MUTANT_UNDER_TEST": name}
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
            cwd=MUTANTS,
            env=env,
            capture_output=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return False  # a mutant that never ends is caught, as mutmut counts a timeout
    return run.returncode == 0


def load() -> dict[str, dict[str, str]]:
    try:
        got: dict[str, dict[str, str]] = json.loads(RECHECKED.read_text())
        return got
    except (OSError, ValueError):
        return {}


def sync_tests() -> None:
    """Copy the tests that changed into mutants/tests, each replaced in one step: another
    recheck's pytest may be reading them (a half-written file would read as a kill)."""
    for src in (ROOT / "tests").rglob("*"):
        if not src.is_file() or "__pycache__" in src.parts:
            continue
        dst = MUTANTS / "tests" / src.relative_to(ROOT / "tests")
        data = src.read_bytes()
        if dst.is_file() and dst.read_bytes() == data:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(dst.name + ".recheck-tmp")
        tmp.write_bytes(data)
        shutil.copymode(src, tmp)
        tmp.replace(dst)


def record(name: str, verdict: dict[str, str]) -> None:
    """Merge one verdict into mutants/rechecked.json, under a lock, written atomically."""
    import fcntl

    with open(MUTANTS / "rechecked.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        verdicts = load()
        verdicts[name] = verdict
        tmp = RECHECKED.with_suffix(".tmp")
        tmp.write_text(json.dumps(verdicts, indent=1, sort_keys=True))
        tmp.replace(RECHECKED)


def main(*args: str) -> int:
    words = list(args)
    jobs = 1
    if "-j" in words:
        at = words.index("-j")
        jobs = int(words[at + 1])
        del words[at : at + 2]
    fresh = "--unchecked" in words
    again = "--again" in words
    resume = "--resume" in words
    words = [w for w in words if w not in ("--unchecked", "--again", "--resume")]
    module, *tests = words
    if not (MUTANTS / "poacal").is_dir():
        print("no mutants/ folder: run `make mutate` first")
        return 1
    sync_tests()  # the tests as they are now (mutmut copied them when its run began)
    verdicts = load()
    if again:
        names = [
            n for n, v in verdicts.items() if n.startswith(module + ".") and v["verdict"] == "alive"
        ]
    else:
        names = unchecked(module) if fresh else survivors(module)
    if resume:  # leave out those already rechecked (their function unchanged)
        names = [n for n in names if verdicts.get(n, {}).get("hash") != function_hash(n)]
    left = []

    def one(name: str) -> tuple[str, bool]:
        return name, alive(name, tests)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, state in pool.map(one, names):
            print(f"{'alive' if state else 'killed':8} {name}", flush=True)
            verdict = "alive" if state else "killed"
            record(name, {"verdict": verdict, "hash": function_hash(name) or ""})
            if state:
                left.append(name)
    what = "not yet run" if fresh else "survivors"
    print(f"{module}: {len(names)} {what}, {len(names) - len(left)} killed, {len(left)} alive")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
