"""The schedule format, declared once (vocabulary.py): the docs' tables and the JSON Schema
are made from it and kept in step; editors' TOML tool (taplo) accepts the embedded
schedule with that schema and refuses broken files."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal import formatdoc
from poacal.cli import app
from poacal.sources import embedded_path
from poacal.vocabulary import DECISION_KEYS, FACT_KEYS, FACTS, ITEM_KEYS, TABLES
from tests.test_load import CASES, MEETING

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "poacal" / "schemas" / "schedule.json"


def test_docs_tables_are_made_from_the_declaration() -> None:
    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert formatdoc.docs(page) == page, "run `make generate` and review the diff"
    for _, keys in TABLES:
        table = formatdoc.markdown(keys)
        assert table in page
        for key in keys:
            row = next(line for line in table.splitlines() if line.startswith(f"| `{key.name}` |"))
            cells = [c.strip() for c in row.strip("|").split("|")]
            assert cells[1] == key.type
            assert cells[2].startswith("yes" if key.required or key.needs else "no")
            assert cells[4] == key.about


def test_schema_file_is_made_from_the_declaration() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == formatdoc.schema_text(), "run `make generate`"


def test_output_schemas_are_made_from_one_source() -> None:
    made = formatdoc.output_schemas()
    assert sorted(made) == sorted(p.stem for p in SCHEMA.parent.glob("*.json") if p != SCHEMA)
    for name, text in made.items():
        shipped = (SCHEMA.parent / f"{name}.json").read_text(encoding="utf-8")
        assert shipped == text, f"{name}.json is stale: run `make generate`"


def test_every_fact_is_a_decision_key() -> None:
    names = [k.name for k in DECISION_KEYS]
    assert all(k in names for k in FACT_KEYS)
    assert [f.name for f in FACTS] == [k for k in FACT_KEYS if not k.endswith("_role")]
    assert len({k.name for k in ITEM_KEYS}) == len(ITEM_KEYS)


def test_poacal_schema_schedule_prints_it() -> None:
    result = CliRunner().invoke(app, ["schema", "schedule"])
    assert result.exit_code == 0
    assert result.stdout == SCHEMA.read_text(encoding="utf-8")
    listed = CliRunner().invoke(app, ["schema"]).stdout.split()
    assert "schedule" in listed


TAPLO = shutil.which("taplo", path=str(Path(__import__("sys").executable).parent))


def taplo(path: Path) -> tuple[int, str]:
    if TAPLO is None:
        pytest.skip("taplo is not installed (it is in the dev extra: pip install -e '.[dev]')")
    done = subprocess.run(
        [TAPLO, "check", "--schema", SCHEMA.as_uri(), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"RUST_LOG": "error", "PATH": "/usr/bin:/bin"},
    )
    return done.returncode, done.stdout + done.stderr


def test_taplo_accepts_the_embedded_schedule() -> None:
    code, out = taplo(embedded_path())
    assert code == 0, out


def test_taplo_accepts_an_own_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[deadline]]\nid = "cabinet"\nname = "Cabinet paper"\ndue = 2027-03-01\n'
        '[[meeting]]\nid = "inter-ministerial"\nname = "Review"\n'
        "start = 2027-04-01\nend = 2027-04-02\n",
        encoding="utf-8",
    )
    assert taplo(path)[0] == 0


# The corpus cases a schema can say (types, names, allowed values, limits); the others
# (end before start, a missing end, references; a date written in quotes, which is a
# string that looks like a date to a schema) only `poacal validate` checks.
SCHEMA_LEVEL = [
    n
    for n, (extra, _) in enumerate(CASES)
    if any(w in extra for w in ("strat", "month = 13", "fulfilled", "paragraph = 7"))
    or "T10:00" in extra
]
MORE = [
    'code = "A\tB"',  # a literal TAB in a one-line key
    'code = "' + "x" * 501 + '"',
    'cycle = "2024"',
    'type = "summit"',
    'id = "BMS8"',
]


def test_schema_level_cases_are_known() -> None:
    assert len(SCHEMA_LEVEL) == 5


@pytest.mark.parametrize("n", SCHEMA_LEVEL)
def test_taplo_refuses_broken_decisions(write: Callable[..., Path], n: int) -> None:
    code, out = taplo(write(MEETING + "  " + CASES[n][0]))
    assert code != 0, out


@pytest.mark.parametrize("line", MORE)
def test_taplo_refuses_broken_items(write: Callable[..., Path], line: str) -> None:
    key = line.split(" ")[0]
    body = "\n".join(line if row.startswith(f"{key} =") else row for row in MEETING.splitlines())
    if not any(row.startswith(f"{key} =") for row in MEETING.splitlines()):
        body = MEETING.replace('name = "', line + '\nname = "', 1)
    path = write(body)
    assert line.split(" = ")[1] in path.read_text()
    code, out = taplo(path)
    assert code != 0, out
    # and poacal itself refuses it too
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 3, result.output


def test_a_well_formed_test_file_is_valid_for_taplo(write: Callable[..., Path]) -> None:
    assert taplo(write(MEETING))[0] == 0
