"""The parse cache for large schedules: a stand-in for parsing, never for checking."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from poacal.errors import ScheduleError
from poacal.load import load_schedule
from poacal.parsecache import CACHE_MIN

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import schedule


@pytest.fixture
def big(tmp_path: Path) -> Path:
    path = tmp_path / "big.toml"
    path.write_text(schedule(800))
    assert path.stat().st_size >= CACHE_MIN
    return path


def cached(tmp_path: Path) -> list[Path]:
    import os

    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "poacal" / "parsed").glob("*.pickle"))


def test_second_load_does_not_parse(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_schedule(big)
    assert len(cached(tmp_path)) == 1
    import tomli

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomli, "loads", no_parsing)
    assert load_schedule(big) == first


def test_a_changed_file_is_parsed_again(big: Path, tmp_path: Path) -> None:
    load_schedule(big)
    big.write_text(big.read_text().replace('name = "Synthetic meeting 0,', 'name = "Renamed,'))
    assert load_schedule(big).get("m0").name.startswith("Renamed")  # type: ignore[union-attr]
    assert len(cached(tmp_path)) == 2


def test_checks_still_run_on_a_cached_document(big: Path, tmp_path: Path) -> None:
    broken = big.read_text().replace('source = "A/RES/3"', 'source = "A/RES/99"', 1)
    big.write_text(broken)
    for _ in range(2):
        with pytest.raises(ScheduleError, match="A/RES/99"):
            load_schedule(big)
    assert len(cached(tmp_path)) == 1


def test_a_damaged_cache_is_ignored(big: Path, tmp_path: Path) -> None:
    expected = load_schedule(big)
    (entry,) = cached(tmp_path)
    entry.write_bytes(b"not a pickle")
    assert load_schedule(big) == expected


def test_small_files_and_opt_out_are_not_cached(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_schedule()
    assert cached(tmp_path) == []
    monkeypatch.setenv("POACAL_NO_CACHE", "1")
    load_schedule(big)
    assert cached(tmp_path) == []
