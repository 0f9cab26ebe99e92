"""The cache of checked schedules (poacal/cache.py): a hit gives the very schedule the
checks build, a changed file or poacal is checked again, a schedule with problems is never
kept, and a planted, foreign or broken cache file is ignored, never followed or trusted."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from poacal import cache, checkitem
from poacal.cli import app
from poacal.errors import ScheduleError
from poacal.load import load_schedule
from poacal.model import Schedule
from poacal.sources import embedded_pack

FIXTURE = Path(__file__).parent / "fixtures" / "schedule.toml"


def folder() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "poacal"


def kept() -> list[Path]:
    return sorted(folder().glob("*.json")) if folder().is_dir() else []


def fresh(*paths: Path) -> Schedule:
    """The schedule as the checks build it, the cache left out."""
    os.environ["POACAL_CACHE"] = "off"
    try:
        return load_schedule(*paths)
    finally:
        del os.environ["POACAL_CACHE"]


@pytest.fixture
def checks_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the checks ran on, in order."""
    calls: list[str] = []
    real = checkitem.check_file

    def counting(parsed: object, *args: object, **kwargs: object) -> None:
        calls.append(getattr(parsed, "name", "?"))
        real(parsed, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checkitem, "check_file", counting)
    return calls


def same(a: Schedule, b: Schedule) -> None:
    assert a == b
    assert a.revisions == b.revisions  # not part of ==
    assert a.by_id == b.by_id
    for x, y in zip(a.items, b.items, strict=True):
        for d, e in zip(x.decisions, y.decisions, strict=True):
            assert [type(v) for v in d] == [type(v) for v in e]
        assert [type(v) for v in x] == [type(v) for v in y]
    for doc in a.documents:
        assert [type(v) for v in a.documents[doc]] == [type(v) for v in b.documents[doc]]


@pytest.mark.parametrize(
    "paths",
    [
        [embedded_pack("schedule")],
        [embedded_pack("schedule"), embedded_pack("att")],
        [FIXTURE],
    ],
    ids=["embedded", "with-att", "fixture"],
)
def test_a_hit_is_the_schedule_the_checks_build(
    paths: list[Path], checks_counted: list[str]
) -> None:
    first = load_schedule(*paths)
    assert len(checks_counted) == len(paths)
    assert len(kept()) == 1
    second = load_schedule(*paths)
    assert len(checks_counted) == len(paths)  # no check ran: it came from the cache
    same(second, first)
    same(second, fresh(*paths))


def test_a_generated_schedule_round_trips(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import schedule

    path = tmp_path / "big.toml"
    path.write_text(schedule(300), encoding="utf-8")
    first = load_schedule(path)
    same(load_schedule(path), first)


def test_cli_output_is_the_same_from_the_cache(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--as-of", "2024-01-10"]
    commands = [
        ["deadlines", "--json", *args],
        ["status", "--json", *args],
        ["export", "ics", "-o", "-"],
        ["show", "BMS8"],
    ]
    os.environ["POACAL_CACHE"] = "off"
    try:
        expected = [runner.invoke(app, c).output for c in commands]
    finally:
        del os.environ["POACAL_CACHE"]
    assert not kept()
    cold = [runner.invoke(app, c).output for c in commands]
    assert kept()
    warm = [runner.invoke(app, c).output for c in commands]
    assert cold == expected
    assert warm == expected


def test_an_edited_file_is_checked_again(tmp_path: Path, checks_counted: list[str]) -> None:
    path = tmp_path / "s.toml"
    text = FIXTURE.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    load_schedule(path)
    load_schedule(path)
    assert len(checks_counted) == 1
    path.write_text(text.replace('title = "', 'title = "X', 1), encoding="utf-8")
    assert load_schedule(path).title.startswith("X")
    assert len(checks_counted) == 2
    assert len(kept()) == 1  # one file per list of schedule files, replaced


def test_another_file_name_or_poacal_is_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    one = cache.key([("a.toml", text)])
    assert cache.key([("a.toml", text)]) == one
    assert cache.key([("b.toml", text)])[1] != one[1]
    assert cache.key([("b.toml", text)])[0] != one[0]
    assert cache.key([("a.toml", text + " ")])[1] != one[1]
    assert cache.key([("a.toml", text + " ")])[0] == one[0]
    # the boundary between name and text is part of the key
    assert cache.key([("a", "b" + text)])[1] != cache.key([("ab", text)])[1]
    monkeypatch.setattr(cache, "_code", lambda: b"another poacal")
    assert cache.key([("a.toml", text)])[1] != one[1]


def test_poacal_edited_is_a_new_key(tmp_path: Path) -> None:
    """The code fingerprint follows the modules' size and time: a changed module there
    (an upgrade, an edited checkout) changes it."""
    before = cache._code()
    assert b"load.py:" in before and b"checkitem.py:" in before
    assert before == cache._code()


def test_a_schedule_with_problems_is_never_kept(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + "\n[[meeting]]\nid = 3\n")
    for _ in range(2):
        with pytest.raises(ScheduleError):
            load_schedule(path)
    assert not kept()


def test_given_text_is_checked_never_cached(tmp_path: Path, checks_counted: list[str]) -> None:
    """`add` and `update` check content before writing it: always by the checks."""
    text = FIXTURE.read_text(encoding="utf-8")
    for _ in range(2):
        load_schedule(FIXTURE, texts={FIXTURE: text})
    assert len(checks_counted) == 2
    assert not kept()


def test_off_keeps_nothing(monkeypatch: pytest.MonkeyPatch, checks_counted: list[str]) -> None:
    monkeypatch.setenv("POACAL_CACHE", "OFF")
    load_schedule(FIXTURE)
    load_schedule(FIXTURE)
    assert len(checks_counted) == 2
    assert not kept()
    monkeypatch.setenv("POACAL_CACHE", "on")
    load_schedule(FIXTURE)
    assert kept()


def test_only_the_user_can_read_it() -> None:
    load_schedule(FIXTURE)
    (path,) = kept()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder().stat().st_mode) == 0o700


def _planted(checks_counted: list[str]) -> Schedule:
    """Load with a cache file in place: it must be ignored, the file checked afresh."""
    before = len(checks_counted)
    got = load_schedule(FIXTURE)
    assert len(checks_counted) == before + 1
    return got


def _cache_file() -> Path:
    name, _ = cache.key([(str(FIXTURE), FIXTURE.read_text(encoding="utf-8"))])
    return folder() / name


def test_a_symlink_is_neither_read_nor_written_through(
    tmp_path: Path, checks_counted: list[str]
) -> None:
    load_schedule(FIXTURE)
    path = _cache_file()
    real = tmp_path / "elsewhere.json"
    real.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(real)
    target = tmp_path / "victim"
    target.write_text("keep me")
    expected = fresh(FIXTURE)
    same(_planted(checks_counted), expected)
    path.unlink()
    path.symlink_to(target)
    _planted(checks_counted)
    assert target.read_text() == "keep me"
    assert path.is_symlink()


def test_a_fifo_is_not_waited_on(checks_counted: list[str]) -> None:
    folder().mkdir(parents=True, mode=0o700)
    os.mkfifo(_cache_file())
    _planted(checks_counted)
    assert stat.S_ISFIFO(os.lstat(_cache_file()).st_mode)


@pytest.mark.parametrize("mode", [0o620, 0o602])
def test_a_file_others_could_write_is_ignored(mode: int, checks_counted: list[str]) -> None:
    load_schedule(FIXTURE)
    os.chmod(_cache_file(), mode)
    _planted(checks_counted)
    assert stat.S_IMODE(os.lstat(_cache_file()).st_mode) == mode  # and not rewritten
    os.chmod(_cache_file(), 0o644)  # readable by others is no risk
    load_schedule(FIXTURE)
    assert len(checks_counted) == 2


@pytest.mark.parametrize("mode", [0o770, 0o707])
def test_a_folder_others_could_write_is_ignored(mode: int, checks_counted: list[str]) -> None:
    load_schedule(FIXTURE)
    os.chmod(folder(), mode)
    _planted(checks_counted)
    os.chmod(folder(), 0o755)
    load_schedule(FIXTURE)
    assert len(checks_counted) == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_another_users_file_is_ignored(checks_counted: list[str]) -> None:
    load_schedule(FIXTURE)
    os.chown(_cache_file(), 65534, 65534)
    _planted(checks_counted)
    assert os.lstat(_cache_file()).st_uid == 65534  # not written over either
    os.chown(_cache_file(), 0, 0)
    os.chown(folder(), 65534, 65534)
    _planted(checks_counted)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: b"\xff" + raw,  # not UTF-8
        lambda raw: b"[]",
        lambda raw: raw.replace(b'"format":"', b'"format":"x', 1),
        lambda raw: raw.replace(b'"key":"', b'"key":"0', 1),
        lambda raw: raw.replace(b'"items":[[', b'"items":[[1],[', 1),  # a short record
        lambda raw: raw.replace(b'"confirmed"', b'"certain"', 1),  # not a Confidence
        lambda raw: raw.replace(b'"revision":"', b'"revision":"x', 1),
        lambda raw: raw.replace(b'"revisions":[', b'"revisions":[5', 1),
    ],
    ids=["cut", "bytes", "list", "format", "key", "short", "enum", "date", "revisions"],
)
def test_a_broken_file_is_ignored_and_made_again(damage: object, checks_counted: list[str]) -> None:
    expected = fresh(FIXTURE)
    checks_counted.clear()
    load_schedule(FIXTURE)
    path = _cache_file()
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    same(_planted(checks_counted), expected)
    load_schedule(FIXTURE)
    assert len(checks_counted) == 2  # made again by the load that ignored it


def test_a_file_over_the_limit_is_ignored(
    monkeypatch: pytest.MonkeyPatch, checks_counted: list[str]
) -> None:
    load_schedule(FIXTURE)
    size = _cache_file().stat().st_size
    monkeypatch.setattr(cache, "MAX_BYTES", size)
    load_schedule(FIXTURE)
    assert len(checks_counted) == 1
    monkeypatch.setattr(cache, "MAX_BYTES", size - 1)
    _planted(checks_counted)
    _cache_file().unlink()
    load_schedule(FIXTURE)
    assert not kept()  # and a bigger one is not written


@pytest.mark.parametrize("where", ["file", "home"])
def test_no_place_to_keep_it_is_no_error(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks_counted: list[str]
) -> None:
    if where == "file":
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    else:
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.delenv("HOME")
        monkeypatch.setattr(Path, "home", lambda: (_ for _ in ()).throw(RuntimeError("no home")))
    same(load_schedule(FIXTURE), load_schedule(FIXTURE))
    assert len(checks_counted) == 2


@pytest.mark.parametrize("bad", [False, True])
def test_the_collector_is_back_after_a_load(bad: bool, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("oops" if bad else FIXTURE.read_text(encoding="utf-8"))
    assert gc.isenabled()
    try:
        load_schedule(path)
    except ScheduleError:
        assert bad
    assert gc.isenabled()
    gc.disable()
    try:
        with contextlib.suppress(ScheduleError):
            load_schedule(path)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_the_format_is_json(tmp_path: Path) -> None:
    load_schedule(FIXTURE)
    data = json.loads(kept()[0].read_bytes())
    assert data["format"] == cache.FORMAT
    assert set(data) == {"format", "key", "schedule"}


def test_each_installed_poacal_keeps_its_own_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two virtual environments sharing a home do not replace each other's cache file."""
    text = FIXTURE.read_text(encoding="utf-8")
    here = cache.key([("a.toml", text)])[0]
    code = cache._code()
    monkeypatch.setattr(cache, "_code", lambda: code)
    assert cache.key([("a.toml", text)])[0] == here
    monkeypatch.setattr(cache, "__file__", "/elsewhere/poacal/cache.py")
    assert cache.key([("a.toml", text)])[0] != here


def test_only_the_latest_files_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One file per list of schedule files: validating many files does not pile them up.
    The oldest go first; files that are not poacal's, and symlinks, are left alone."""
    monkeypatch.setattr(cache, "KEEP", 3)
    folder().mkdir(parents=True, mode=0o700)
    other = folder() / "notes.json"
    other.write_text("mine")
    link = folder() / ("a" * 32 + ".json")
    link.symlink_to(other)
    text = FIXTURE.read_text(encoding="utf-8")
    for n in range(5):
        path = tmp_path / f"s{n}.toml"
        path.write_text(text, encoding="utf-8")
        load_schedule(path)
        os.utime(_name_of(path), ns=(n, n))  # s0 the oldest
    names = {p.name for p in kept()}
    assert {_name_of(tmp_path / f"s{n}.toml").name for n in (2, 3, 4)} <= names
    assert not {_name_of(tmp_path / f"s{n}.toml").name for n in (0, 1)} & names
    assert other.read_text() == "mine" and link.is_symlink()


def _name_of(path: Path) -> Path:
    return folder() / cache.key([(str(path), path.read_text(encoding="utf-8"))])[0]
