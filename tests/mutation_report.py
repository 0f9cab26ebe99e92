"""Kill rates per module from mutmut's results (`make mutate` prints this table).

A mutant counts as killed when a test failed on it (or it hung: a timeout is a kill, a
mutant that makes poacal loop for ever is caught); survived when every test passed or no
test reached it. A survivor that tests/mutation_recheck.py ran again and saw killed (its
function unchanged since) counts as killed, in the "rechecked" column. Modules below the
90 % target are marked; tests/SURVIVORS.md says why each survivor left is equivalent or
harmless.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, -9, -11, 37}
SURVIVED = {0, 5, 33}
TARGET = 0.90


def rechecked(folder: str) -> dict[tuple[str, str], str]:
    """{(mutant, function hash): "killed" or "alive"} from mutation_recheck.py."""
    try:
        got = json.loads(Path(folder, "rechecked.json").read_text())
    except (OSError, ValueError):
        return {}
    return {(name, v["hash"]): v["verdict"] for name, v in got.items()}


def main(folder: str = "mutants") -> int:
    rows = []
    verdicts = rechecked(folder)
    for meta in sorted(Path(folder, "poacal").rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        module = str(meta.relative_to(folder)).removesuffix(".meta")
        dotted = module.removesuffix(".py").replace("/", ".")
        hashes = data.get("hash_by_function_name", {})
        codes = data["exit_code_by_key"]

        def verdict(key: str, dotted: str = dotted, hashes: dict[str, str] = hashes) -> str | None:
            function = key.removeprefix(dotted + ".").rsplit("__mutmut_", 1)[0]
            return verdicts.get((key, hashes.get(function, "")))

        killed = sum(1 for c in codes.values() if c in KILLED)
        survivors = [verdict(k) for k, c in codes.items() if c in SURVIVED]
        fresh = [verdict(k) for k, c in codes.items() if c is None]
        again = survivors.count("killed") + fresh.count("killed")
        survived = len(survivors) - survivors.count("killed") + fresh.count("alive")
        rows.append((module, len(codes), killed, again, survived, fresh.count(None)))
    if not rows:
        print("no mutmut results: run `make mutate` first")
        return 1
    print(
        f"{'module':<28} {'mutants':>7} {'killed':>7} {'rechecked':>9} {'survived':>8} "
        f"{'unchecked':>9} rate"
    )
    for module, total, killed, again, survived, unchecked in rows:
        checked = killed + again + survived
        if not checked:
            print(f"{module:<28} {total:>7} {'':>7} {'':>9} {'':>8} {unchecked:>9}   not run")
            continue
        rate = (killed + again) / checked
        mark = "" if rate >= TARGET else "  below 90 %"
        print(
            f"{module:<28} {total:>7} {killed:>7} {again:>9} {survived:>8} {unchecked:>9} "
            f"{rate:6.1%}{mark}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
