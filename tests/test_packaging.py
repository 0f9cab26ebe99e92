"""The wheel is what users install (`pipx install .`): it carries the data, the JSON
Schemas and the LICENSE, and an installed poacal needs no checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REVISION

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no package index?): {build.stderr[-300:]}")
    return next(out.glob("poacal-*.whl"))


def test_the_wheel_carries_data_schemas_and_license(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "poacal/schedule.toml" in names and "poacal/att.toml" in names
    assert {
        f"poacal/schemas/{n}.json"
        for n in ("listing", "status", "show", "changes", "dashboard", "remind", "schedule")
    } <= set(names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in meta and "Classifier:" in meta and "Keywords:" in meta


@pytest.mark.slow
def test_an_installed_poacal_needs_no_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "POACAL_SCHEDULE": ""}

    def run(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "poacal", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout

    version = run("--version")
    assert version.startswith("poacal 0.1.0\n") and str(target) in version
    assert f"revision {REVISION}" in version and "Typer" in version
    assert json.loads(run("schema", "listing"))["$id"] == "poacal:listing"
    assert "--json" in run("deadlines", "--help") and "docs/json.md" not in run(
        "deadlines", "--help"
    )
