"""Kill rates per module from mutmut's results (`make mutate` prints this table).

A mutant counts as killed when a test failed on it (or it hung: a timeout is a kill, a
mutant that makes poacal loop for ever is caught); survived when every test passed or no
test reached it. Modules below the 90 % target are marked; tests/SURVIVORS.md says why
each survivor left is equivalent or harmless.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, -9, -11, 37}
SURVIVED = {0, 5, 33}
TARGET = 0.90


def main(folder: str = "mutants") -> int:
    rows = []
    for meta in sorted(Path(folder, "poacal").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        killed = sum(1 for c in codes if c in KILLED)
        survived = sum(1 for c in codes if c in SURVIVED)
        unchecked = sum(1 for c in codes if c is None)
        module = str(meta.relative_to(folder)).removesuffix(".meta")
        rows.append((module, len(codes), killed, survived, unchecked))
    if not rows:
        print("no mutmut results: run `make mutate` first")
        return 1
    print(f"{'module':<28} {'mutants':>7} {'killed':>7} {'survived':>8} {'unchecked':>9} rate")
    for module, total, killed, survived, unchecked in rows:
        checked = killed + survived
        if not checked:
            print(f"{module:<28} {total:>7} {'':>7} {'':>8} {unchecked:>9}   not run")
            continue
        rate = killed / checked
        mark = "" if rate >= TARGET else "  below 90 %"
        print(f"{module:<28} {total:>7} {killed:>7} {survived:>8} {unchecked:>9} {rate:6.1%}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
