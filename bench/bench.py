"""poacal's start-up and scale benchmark: `make bench`.

Runs everything in one go, side by side, on this machine: the import floors poacal
cannot go below, poacal's own commands, generated schedules of 100, 1,000 and 10,000
items, and the icalendar library's own cost of building the same 10,000 events. Prints
medians, ratios against the floors and whether each budget is met. It reports; it never
fails a build (a timed test would be flaky on a shared two-core machine).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
POACAL = str(Path(PY).with_name("poacal"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MiB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 10, 11):
        sys.exit(f"benchmark command failed with exit {code}: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def interleaved(
    cases: list[tuple[str, list[str], dict[str, str]]], runs: int
) -> dict[str, tuple[float, float]]:
    """Median time and peak memory of each case, running the cases round-robin so that
    a noisy moment of a shared machine falls on all of them alike, not on one."""
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    peaks: dict[str, float] = dict.fromkeys(times, 0.0)
    for _ in range(runs):
        for name, cmd, env in cases:
            elapsed, peak = once(cmd, env)
            times[name].append(elapsed)
            peaks[name] = max(peaks[name], peak)
    return {name: (statistics.median(times[name]), peaks[name]) for name in times}


def reference_events(path: Path) -> str:
    """Every event's property values as poacal computes them, for ical_reference.py."""
    from datetime import date

    from poacal.ical import FeedOptions, event
    from poacal.load import load_schedule
    from poacal.queries import rows

    sched = load_schedule(path)
    out = []
    for row in rows(sched, date.today()):
        ev = event(row, sched, FeedOptions())
        if ev is None:
            continue
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        out.append(
            {
                "uid": str(ev["uid"]),
                "dtstamp": ev.decoded("dtstamp").isoformat()[:19],
                "sequence": int(ev["sequence"]),
                "summary": str(ev["summary"]),
                "dtstart": start.isoformat(),
                "days": (end - start).days,
                "transp": str(ev["transp"]),
                "status": str(ev["status"]),
                "description": str(ev["description"]),
                "location": str(ev.get("location", "")),
                "url": str(ev["url"]),
                "categories": [str(c) for c in ev["categories"].cats],
            }
        )
    return json.dumps(out)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="poacal-bench-"))
    # Measure what a user runs: compiled modules. With PYTHONDONTWRITEBYTECODE set, an
    # edited module would otherwise be compiled again on every run and skew the figures.
    import compileall

    import poacal

    compileall.compile_dir(str(Path(poacal.__file__).parent), quiet=1)
    # The reference events are built in this process: its cache is the run's too, not
    # the user's (a cache file of a generated schedule would stay in ~/.cache).
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp / "data"),
        "POACAL_SCHEDULE": "",
        "POACAL_STATE": str(tmp / "state.json"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "COLUMNS": "100",
        "NO_COLOR": "1",
    }
    results: dict[str, tuple[float, float]] = {}

    def show(name: str) -> None:
        ms, mib = results[name]
        print(f"  {name:<44} {ms * 1000:8.1f} ms {mib:7.1f} MiB", flush=True)

    def run(name: str, cmd: list[str], runs: int, extra: dict[str, str] | None = None) -> None:
        results.update(interleaved([(name, cmd, {**env, **(extra or {})})], runs))
        show(name)

    # The cache of checked schedules (poacal/cache.py) is on, as for a user: the first
    # run of a case writes it, the median is of runs that use it. The "cache off" lines
    # are a first run on a new or edited file (and the figures of the rounds before).
    off = {"POACAL_CACHE": "off"}

    print(
        f"poacal benchmark: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, median of {RUNS} runs, start-up cases interleaved\n"
    )
    complete = {
        "_POACAL_COMPLETE": "complete_bash",
        "COMP_WORDS": "poacal show b",
        "COMP_CWORD": "2",
    }
    app = str(HERE / "floor_app.py")
    floors = [
        ("python -c pass", [PY, "-c", "pass"]),
        ("one-command Typer app: a line", [PY, app, "--what", "line"]),
        ("one-command Typer app: a 10-row Rich table", [PY, app, "--what", "table"]),
        ("one-command Typer app: icalendar, one event", [PY, app, "--what", "ical"]),
        ("import typer", [PY, "-c", "import typer"]),
        (
            "import typer, rich.console, rich.table",
            [PY, "-c", "import typer, rich.console, rich.table"],
        ),
        ("import typer, icalendar", [PY, "-c", "import typer, icalendar"]),
        # Not a floor but the decomposition that explains the ratios: Typer builds every
        # command's parameters from its signature on each run, before any command runs.
        (
            "typer: build poacal's commands, run none",
            [PY, "-c", "import typer.main, poacal.cli; typer.main.get_command(poacal.cli.app)"],
        ),
    ]
    commands = [
        ("poacal --help", [POACAL, "--help"]),
        ("poacal (dashboard)", [POACAL]),
        ("poacal deadlines", [POACAL, "deadlines"]),
        ("poacal meetings", [POACAL, "meetings"]),
        ("poacal status", [POACAL, "status"]),
        ("poacal deadlines --json", [POACAL, "deadlines", "--json"]),
        ("poacal remind --format json", [POACAL, "remind", "--format", "json"]),
        ("poacal export ics", [POACAL, "export", "ics"]),
        ("completion: poacal show b<TAB>", [POACAL]),
        ("poacal deadlines --json, cache off", [POACAL, "deadlines", "--json"]),
    ]
    cases = [
        (
            n,
            c,
            {
                **env,
                **(complete if n.startswith("completion") else {}),
                **(off if n.endswith("cache off") else {}),
            },
        )
        for n, c in floors + commands
    ]
    results.update(interleaved(cases, RUNS))
    print("floors")
    for name, _ in floors:
        show(name)
    print("poacal, embedded schedule")
    for name, _ in commands:
        show(name)
    print("scale (generated schedules)")
    sys.path.insert(0, str(HERE))
    from generate import schedule

    for n in (100, 1000, 10000):
        path = tmp / f"s{n}.toml"
        path.write_text(schedule(n), encoding="utf-8")
        runs = max(3, RUNS // (1 if n < 10000 else 3))
        run(f"{n:>5} items: validate (load + validate)", [POACAL, "validate", str(path)], runs)
        status = [POACAL, "status", "--json", "--schedule", str(path)]
        run(f"{n:>5} items: status --json", status, runs)
        run(f"{n:>5} items: export ics", [POACAL, "export", "ics", "--schedule", str(path)], runs)
    path = tmp / "s10000.toml"
    run("10000 items: validate, cache off", [POACAL, "validate", str(path)], 3, off)
    run(
        "10000 items: status --json, cache off",
        [POACAL, "status", "--json", "--schedule", str(path)],
        3,
        off,
    )
    events = tmp / "events10000.json"
    events.write_text(reference_events(tmp / "s10000.toml"), encoding="utf-8")
    run(
        "icalendar itself: the same 10000 events",
        [PY, str(HERE / "ical_reference.py"), str(events)],
        max(3, RUNS // 3),
    )

    def ms(name: str) -> float:
        return results[name][0]

    # The floors of issue 18: a one-command Typer app doing the same kind of work.
    line_f, table_f, ical_f = (
        ms("one-command Typer app: a line"),
        ms("one-command Typer app: a 10-row Rich table"),
        ms("one-command Typer app: icalendar, one event"),
    )
    budgets = []
    for name in ("poacal (dashboard)", "poacal deadlines", "poacal meetings", "poacal status"):
        budgets.append((f"{name} / Rich-table app", ms(name) / table_f, 1.25, "x"))
    for name in (
        "poacal deadlines --json",
        "poacal remind --format json",
        "completion: poacal show b<TAB>",
    ):
        budgets.append((f"{name} / one-line app", ms(name) / line_f, 1.25, "x"))
    budgets.append(
        ("poacal export ics / icalendar app", ms("poacal export ics") / ical_f, 1.25, "x")
    )
    budgets.append(
        (
            "10000 items: validate (s)",
            ms("10000 items: validate (load + validate)"),
            0.4,
            "s",
        )
    )
    budgets.append(("10000 items: status --json (s)", ms("10000 items: status --json"), 0.5, "s"))
    budgets.append(
        (
            "10000 items: export ics / icalendar itself",
            ms("10000 items: export ics") / ms("icalendar itself: the same 10000 events"),
            1.15,
            "x",
        )
    )
    budgets.append(
        (
            "growth 1000 -> 10000 items, status --json",
            ms("10000 items: status --json") / ms(" 1000 items: status --json"),
            10,
            "x",
        )
    )
    peak = max(
        results["10000 items: validate (load + validate)"][1],
        results["10000 items: status --json"][1],
    )
    budgets.append(("peak memory at 10000 items, load + status (MiB)", peak, 120, "MiB"))
    budgets.append(
        (
            "peak memory at 10000 items, export ics (MiB)",
            results["10000 items: export ics"][1],
            120,
            "MiB",
        )
    )
    print("\nbudgets")
    for name, value, limit, unit in budgets:
        verdict = "met" if value <= limit else "MISSED"
        print(f"  {name:<52} {value:7.2f} {unit:<3} (budget {limit} {unit}): {verdict}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cores": os.cpu_count(),
                "runs": RUNS,
                "results": {
                    k: {"ms": round(v[0] * 1000, 1), "peak_mib": round(v[1], 1)}
                    for k, v in results.items()
                },
                "budgets": [
                    {"name": n, "value": round(v, 3), "limit": lim, "unit": u}
                    for n, v, lim, u in budgets
                ],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\n(written to {out / 'results.json'})")


if __name__ == "__main__":
    main()
