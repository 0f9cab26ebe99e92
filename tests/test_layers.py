"""The architecture in the file list: every module in its layer, imports flowing one way
(a module imports only modules of its own layer or below), no import circle, and no
module over about 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "poacal"

# Lowest first. A module may import its own layer and the ones below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    # the vocabulary: the model and the words for it, with no I/O
    (
        "version",
        "errors",
        "model",
        "text",
        "paths",
        "languages",
        "processes",
        "vocabulary",
        "windows",
    ),
    # files: reading and writing them safely; which schedule files there are
    ("files", "change", "installed", "sources", "tomlread", "vtimezone"),
    # loading: checks, the model built, files merged
    ("checkdates", "check", "yearly", "checkitem", "merge", "cache", "load"),
    # questions asked of a schedule on a date; the user's own marks
    ("fold", "queries", "history", "overview", "state"),
    # renderers: terminal, JSON, iCalendar, SVG, TOML, the feed site, reminders' words
    (
        "layout",
        "render",
        "detail",
        "chart",
        "jsonout",
        "ical",
        "svg",
        "tomlout",
        "site",
        "remind",
        "outschema",
        "formatdoc",
    ),
    # jobs that act: a reminder run, hooks, own items, update, the preview server
    ("remindjob", "hooks", "own", "fetch", "packupdate", "update", "serve"),
    # the command line
    (
        "cli.options",
        "cli.common",
        "cli.internals",
        "cli.views",
        "cli.listings",
        "cli.items",
        "cli.feeds",
        "cli.tracking",
        "cli.ownitems",
        "cli.currency",
        "cli",
    ),
    # the entry point
    ("", "__main__"),
)
LAYER = {name: n for n, names in enumerate(LAYERS) for name in names}
MAX_LINES = 420


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        out[name] = path
    return out


def imports(path: Path, known: set[str]) -> set[str]:
    """The poacal modules `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "poacal" or node.module.startswith("poacal."):
                base = node.module.removeprefix("poacal").removeprefix(".")
                for alias in node.names:
                    sub = f"{base}.{alias.name}".lstrip(".")
                    found.add(sub if sub in known else base)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("poacal"):
                    found.add(alias.name.removeprefix("poacal").removeprefix("."))
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(path, set(mods)) - {name} for name, path in mods.items()}


def test_every_module_has_a_layer() -> None:
    assert sorted(set(modules()) - set(LAYER)) == []
    assert sorted(set(LAYER) - set(modules())) == []


@pytest.mark.slow
def test_imports_flow_one_way() -> None:
    upward = [
        f"{m} imports {d}"
        for m, deps in graph().items()
        for d in deps
        if LAYER[d] > LAYER[m] and not (m == "" and d.startswith("cli"))
    ]
    assert upward == []


@pytest.mark.slow
def test_no_import_circle() -> None:
    edges = graph()
    state: dict[str, int] = {}
    circles: list[str] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(edges.get(m, ())):
            if state.get(d) == 1:
                circles.append(" -> ".join([*path[path.index(d) :], d]))
            elif d not in state:
                visit(d, [*path, d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert circles == []


def test_no_module_is_a_room_nobody_would_live_in() -> None:
    big = {n: len(p.read_text().splitlines()) for n, p in modules().items()}
    assert {n: lines for n, lines in big.items() if lines > MAX_LINES} == {}
