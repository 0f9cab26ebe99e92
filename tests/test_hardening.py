"""Bad input, failures mid-write and hostile text: never a traceback, never lost data."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_DATA, EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_STATE, ScheduleError
from tests.conftest import HEADER
from tests.test_load import MEETING

# The same well-formed meeting the loader tests start from.
ITEM = MEETING


def item(extra: str) -> bytes:
    return (HEADER + ITEM + extra).encode()


# name -> (file content, a fragment the message must contain)
CORPUS: dict[str, tuple[bytes, str]] = {
    # TOML syntax, every kind
    "unclosed table header": (b"[schedule\n", "Expected ']'"),
    "unclosed array table": (b"[[meeting]\n", "TOML syntax error"),
    "unclosed string": (b'[schedule]\ntitle = "abc\n', "TOML syntax error"),
    "unclosed multiline string": (b'[schedule]\ntitle = """abc\n', "TOML syntax error"),
    "missing value": (b"[schedule]\nrevision =\n", "TOML syntax error"),
    "key without equals": (b"[schedule]\nrevision\n", "TOML syntax error"),
    "duplicate key": (
        b"[schedule]\nrevision = 2026-01-01\nrevision = 2026-01-02\n",
        "TOML syntax error",
    ),
    "redefined table": (b"[schedule]\n[schedule]\n", "TOML syntax error"),
    "invalid escape": (b'[schedule]\ntitle = "a\\qb"\n', "TOML syntax error"),
    "unterminated array": (b"[schedule]\nx = [1, 2\n", "TOML syntax error"),
    "unterminated inline table": (b"[schedule]\nx = {a = 1\n", "TOML syntax error"),
    "invalid number": (b"[schedule]\nx = 1_000_\n", "TOML syntax error"),
    "json instead of toml": (b'{"schedule": {}}\n', "TOML syntax error"),
    "impossible date": (b"[schedule]\nrevision = 2021-02-30\n", "Invalid date"),
    "impossible month": (b"[schedule]\nrevision = 2021-13-01\n", "TOML syntax error"),
    "control character": (b'[schedule]\ntitle = "a\x01b"\n', "Illegal character"),
    "nul byte": (b"[schedule]\nrevision = 2026-01-01\x00\n", "TOML syntax error"),
    "deep nesting": (b"[schedule]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    # the schedule's own rules
    "empty file": (b"", "[schedule]: missing table"),
    "only comments": (b"# nothing here\n", "[schedule]: missing table"),
    "schedule not a table": (b"schedule = 3\n", "expected a table [schedule]"),
    "missing revision": (b'[schedule]\ntitle = "x"\n', 'missing key "revision"'),
    "revision as string": (b'[schedule]\nrevision = "2026-01-01"\n', "without quotes"),
    "unsupported schema": (
        b"[schedule]\nrevision = 2026-01-01\nschema = 2\n",
        "schema: number 2 is not supported",
    ),
    "unknown top-level key": (HEADER.encode() + b"[meetings]\n", 'unknown key "meetings"'),
    "meetings not an array": (b"meeting = 1\n" + HEADER.encode(), "expected an array of tables"),
    "unknown item key": (item('colour = "red"\n'), 'unknown key "colour"'),
    "unknown decision key": (item("  strat = 2022-06-27\n"), 'did you mean "start"?'),
    "missing item keys": (HEADER.encode() + b'[[meeting]]\nid = "x"\n', 'missing key "type"'),
    "missing decision keys": (
        item("").replace(b'  confidence = "confirmed"\n', b""),
        'missing key "confidence"',
    ),
    "no decisions": (
        HEADER.encode() + b'[[meeting]]\nid = "x"\ntype = "conference"\n'
        b'code = "X"\nname = "X"\ndecision = []\n',
        "no decisions",
    ),
    "wrong type: name": (
        item("").replace(b'name = "Eighth Biennial Meeting of States"', b"name = 8"),
        "name: expected string, got number 8",
    ),
    "wrong type: year": (item('  year = "2024"\n'), "year: expected integer, got string"),
    "wrong type: also": (item('  also = "A/RES/1"\n'), "also: expected array of strings"),
    "boolean as integer": (item("  year = true\n"), "year: expected integer, got boolean"),
    "date as string": (item('  start = "2022-06-27"\n  end = 2022-07-01\n'), "without quotes"),
    "date-time for date": (
        item("  start = 2022-06-27T09:00:00\n  end = 2022-07-01\n"),
        "date-time",
    ),
    "end before start": (
        item("  start = 2022-06-27\n  end = 2022-06-20\n"),
        "end 2022-06-20 is before start 2022-06-27",
    ),
    "month out of range": (item("  year = 2024\n  month = 0\n"), "month: 0 is not 1 to 12"),
    "year out of range": (item("  year = 3024\n"), "year: 3024 is out of range"),
    "two precisions": (
        item("  year = 2024\n  start = 2024-01-01\n  end = 2024-01-05\n"),
        "two precisions",
    ),
    "early with month": (
        item("  year = 2024\n  early = true\n  month = 2\n"),
        "early: conflicts with month",
    ),
    "due on a meeting": (item("  due = 2024-01-01\n"), "meetings have start and end"),
    "bad status": (item('  status = "done"\n'), '"done" is not one of'),
    "status of another kind": (item('  status = "fulfilled"\n'), "not a meeting status"),
    "bad confidence": (item("").replace(b'"confirmed"', b'"sure"'), '"sure" is not one of'),
    "bad type": (item("").replace(b'"biennial-meeting"', b'"summit"'), '"summit" is not one of'),
    "bad id": (item("").replace(b'id = "bms8"', b'id = "BMS 8!"'), "id: expected lower-case"),
    "bad cycle": (
        item("").replace(b'code = "BMS8"', b'code = "BMS8"\ncycle = "2024"'),
        'cycle: expected "YYYY-YYYY"',
    ),
    "duplicate ids": (HEADER.encode() + (ITEM * 2).encode(), "duplicate id"),
    "unknown source": (
        item("").replace(b'source = "A/RES/1"', b'source = "A/RES/9"'),
        "is not in the document register",
    ),
    "unknown meeting": (
        HEADER.encode() + b'[[deadline]]\nid = "r"\ntype = "views"\n'
        b'code = "R"\nname = "R"\nserves = "bms99"\n\n  [[deadline.decision]]\n'
        b'  source = "A/RES/1"\n  confidence = "confirmed"\n  due = 2024-01-01\n',
        'serves: "bms99" is not an item id',
    ),
    "decisions out of order": (
        item(
            "\n  [[meeting.decision]]\n  taken = 2019-01-01\n"
            '  source = "A/RES/1"\n  confidence = "confirmed"\n'
        ),
        "not in date order",
    ),
    "document without url": (
        b'[schedule]\nrevision = 2026-01-01\n[[document]]\nid = "d"\ntitle = "D"\n',
        'missing key "url"',
    ),
    "document url not a link": (
        HEADER.encode().replace(b"https://undocs.org/A/RES/1", b"undocs"),
        "expected a link",
    ),
    "not utf-8": (b'[schedule]\nrevision = 2026-01-01\ntitle = "caf\xe9"\n', "not UTF-8"),
    "utf-16": ("[schedule]\nrevision = 2026-01-01\n".encode("utf-16"), "not UTF-8"),
}


def field(key: str, value: str) -> bytes:
    """The sample meeting with one more key on the item."""
    return (HEADER + ITEM.replace('code = "BMS8"\n', f'code = "BMS8"\n{key} = {value}\n')).encode()


def dated(line: str) -> bytes:
    """The sample meeting with one more line in its decision."""
    return item(f"  {line}\n")


CONTROL = "contains a control character"
# Round two (issue 12): control bytes, bidi overrides, lengths, non-ASCII digits, edge
# dates, loose types and odd zones.
for _n, (_escape, _shown) in enumerate(
    [
        ("\\u001b[31m", "\\x1b"),
        ("\\u001b]52;c;ZXZpbA==\\u0007", "\\x1b"),
        ("\\u0007", "\\x07"),
        ("\\u0000", "\\x00"),
        ("\\u000b", "\\x0b"),
        ("\\u000c", "\\x0c"),
        ("\\r", "\\x0d"),
        ("\\n", "\\x0a"),
        ("\\t", "\\x09"),
        ("\\u007f", "\\x7f"),
        ("\\u0085", "\\x85"),
        ("\\u009b", "\\x9b"),
        ("\\u202e", "\\u202e"),
        ("\\u2066", "\\u2066"),
        ("\\b", "\\x08"),
    ]
):
    CORPUS[f"control in name #{_n}"] = (
        (HEADER + ITEM.replace("Eighth", f"Eighth{_escape}")).encode(),
        f"name: {CONTROL} ({_shown})",
    )
for _key in ("code", "title", "venue", "chair"):
    _where = {"code": "item", "title": "document", "venue": "decision", "chair": "decision"}
    if _key == "code":
        _content = (HEADER + ITEM.replace('"BMS8"', '"BMS\\u001b8"')).encode()
    elif _key == "title":
        _content = (HEADER.replace('"A resolution"', '"A\\u0007 resolution"') + ITEM).encode()
    else:
        _content = dated(f'{_key} = "x\\u001by"')
    CORPUS[f"control in {_key}"] = (_content, f"{_key}: {CONTROL}")
CORPUS.update(
    {
        "control in url": (
            HEADER.replace("https://undocs.org/A/RES/1", "https://x/\\r\\nSet-Cookie").encode(),
            f"url: {CONTROL}",
        ),
        "control in symbol": (
            HEADER.replace('symbol = "A/RES/1"', 'symbol = "A/RES/\\u001b1"').encode(),
            f"symbol: {CONTROL}",
        ),
        "CR in schedule title": (
            b'[schedule]\nrevision = 2026-01-01\ntitle = "a\\rb"\n',
            f"title: {CONTROL}",
        ),
        "newline in title via multi-line string": (
            b'[schedule]\nrevision = 2026-01-01\ntitle = """a\nb"""\n',
            f"title: {CONTROL}",
        ),
        "escape in a note": (dated('note = "a\\u001b[2Jb"'), f"note: {CONTROL}"),
        "name of 10,000 characters": (
            (HEADER + ITEM.replace("Eighth", "x" * 10_000)).encode(),
            "characters is too long",
        ),
        "note of 20,000 characters": (dated('note = "' + "y" * 20_000 + '"'), "too long"),
        "superscript cycle": (field("cycle", '"²²²²-2030"'), "cycle: expected"),
        "arabic-indic cycle": (field("cycle", '"٢٠٢٤-٢٠٣٠"'), "cycle: expected"),
        "fullwidth cycle": (field("cycle", '"２０２４-２０３０"'), "cycle: expected"),
        "year 9999": (dated("start = 9999-12-30\n  end = 9999-12-31"), "out of range"),
        "year 1": (dated("start = 0001-01-01\n  end = 0001-01-02"), "out of range"),
        "taken in year 1": (
            item("").replace(b"taken = 2019-12-12", b"taken = 0001-01-01"),
            "out of range",
        ),
        "revision in 9999": (b"[schedule]\nrevision = 9999-12-31\n", "out of range"),
        "adopted in year 1": (
            HEADER.replace('title = "A resolution"', 'title = "A"\nadopted = 0001-01-01').encode()
            + ITEM.encode(),
            "adopted: 0001-01-01 is out of range",
        ),
        "schema true": (
            b"[schedule]\nrevision = 2026-01-01\nschema = true\n",
            "schema: expected integer",
        ),
        "schema float": (
            b"[schedule]\nrevision = 2026-01-01\nschema = 1.0\n",
            "schema: expected integer",
        ),
        "title a number": (b"[schedule]\nrevision = 2026-01-01\ntitle = 5\n", "title: expected"),
        "lone length": (dated('length = "five days"'), "length: says how long"),
        "timezone a folder": (
            dated(
                "start = 2022-06-27\n  end = 2022-07-01\n  opens = 10:00:00\n"
                '  closes = 18:00:00\n  timezone = "America"'
            ),
            "is not a known time zone",
        ),
        "timezone Factory": (
            dated(
                "start = 2022-06-27\n  end = 2022-07-01\n  opens = 10:00:00\n"
                '  closes = 18:00:00\n  timezone = "Factory"'
            ),
            "is not a known time zone",
        ),
        "timezone right/UTC": (
            dated(
                "start = 2022-06-27\n  end = 2022-07-01\n  opens = 10:00:00\n"
                '  closes = 18:00:00\n  timezone = "right/UTC"'
            ),
            "is not a known time zone",
        ),
        "timezone too long": (
            dated(
                "start = 2022-06-27\n  end = 2022-07-01\n  opens = 10:00:00\n"
                '  closes = 18:00:00\n  timezone = "' + "A/" * 200 + 'B"'
            ),
            "is not a known time zone",
        ),
    }
)

LOCATED = re.compile(r"^poacal: error: (?P<file>[^:]+)(:(?P<line>\d+))?: (?P<rest>.+)$")


def check_errors(err: str, path: Path) -> None:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines
    for ln in lines:
        m = LOCATED.match(ln)
        assert m, ln
        assert m["file"] == str(path)
        # Either a line number, or a key path such as `meeting "x"` or `[schedule]`.
        assert m["line"] or re.match(
            r"^(\[schedule\]|schedule|top level|meeting|deadline|"
            r"mandate|document|not UTF-8|file is|is a folder|is a special|is larger|no such|"
            r"TOML is nested)",
            m["rest"],
        ), ln


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_broken_input(tmp_path: Path, name: str) -> None:
    content, fragment = CORPUS[name]
    path = tmp_path / "broken.toml"
    path.write_bytes(content)
    checks = [["validate", str(path)], ["deadlines", "--schedule", str(path)]]
    if name in ("empty file", "only comments"):
        checks = checks[1:]  # `validate` takes it as an (empty) overlay of your own: valid
    for args in checks:
        result = CliRunner().invoke(app, args, env={"POACAL_SCHEDULE": ""})
        assert result.exit_code == EXIT_DATA, (args, result.stderr, result.exception)
        assert result.stdout == ""
        check_errors(result.stderr, path)
        assert fragment in result.stderr, result.stderr


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 98  # 58 from the first round, 40 more from the second


@pytest.mark.parametrize("kind", ["missing", "directory", "too large"])
def test_files_that_are_not_schedules(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "s.toml"
    if kind == "directory":
        path.mkdir()
    elif kind == "too large":
        with path.open("wb") as fh:
            fh.write(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == EXIT_DATA
    check_errors(result.stderr, path)


@pytest.mark.parametrize("variant", ["bom", "crlf", "long strings"])
def test_odd_but_valid_files_load(tmp_path: Path, variant: str) -> None:
    text = HEADER + ITEM + "  year = 2022\n"
    if variant == "long strings":
        text = text.replace("Eighth Biennial Meeting of States", "x" * 500)
    data = text.replace("\n", "\r\n").encode() if variant == "crlf" else text.encode()
    if variant == "bom":
        data = b"\xef\xbb\xbf" + data
    path = tmp_path / "s.toml"
    path.write_bytes(data)
    result = CliRunner().invoke(app, ["meetings", "--all", "--json", "--schedule", str(path)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["items"][0]["id"] == "bms8"


# ---------------------------------------------------------------- writes ----------


def export(tmp_path: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["export", "ics", "-o", str(out)], env={"POACAL_SCHEDULE": ""})
    return result.exit_code, result.stderr


@pytest.mark.parametrize("failure", ["fsync", "replace", "write"])
def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    out = tmp_path / "feed.ics"
    out.write_bytes(b"yesterday's feed")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failure == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh: object) -> None:
                self.fh = fh

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> int:
                self.fh.write(data[:100])  # type: ignore[attr-defined]
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(os, failure, disk_full)
    code, err = export(tmp_path, out)
    assert code == EXIT_OUTPUT
    assert err == f"poacal: error: {out}: cannot write: No space left on device\n"
    assert out.read_bytes() == b"yesterday's feed"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.ics"]


def test_exception_in_the_middle_of_writing_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"POACAL_SCHEDULE": "", "POACAL_STATE": str(tmp_path / "state.json")}
    assert CliRunner().invoke(app, ["done", "reports-2026"], env=env).exit_code == 0
    before = (tmp_path / "state.json").read_bytes()

    monkeypatch.setattr(
        os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "Input/output error"))
    )
    result = CliRunner().invoke(app, ["done", "reports-2028"], env=env)
    assert result.exit_code == EXIT_STATE
    assert (tmp_path / "state.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json", "state.json.lock"]


def test_site_export_into_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    result = CliRunner().invoke(app, ["export", "site", str(tmp_path)], env={"POACAL_SCHEDULE": ""})
    assert result.exit_code == EXIT_OUTPUT
    assert result.stderr.startswith("poacal: error: ")
    assert "Permission denied" in result.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- processes -------


def poacal(*args: str, env: dict[str, str] | None = None, **kw: Any) -> subprocess.Popen[bytes]:
    proc: subprocess.Popen[bytes] = subprocess.Popen(
        [sys.executable, "-m", "poacal", *args],
        env={**os.environ, "POACAL_SCHEDULE": "", **(env or {})},
        **kw,
    )
    return proc


def test_stale_lock_from_a_killed_process_does_not_block(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import sys, time
from pathlib import Path
from poacal.state import locked
with locked(Path({str(state)!r})):
    print("locked", flush=True)
    time.sleep(60)
""",
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    start = time.monotonic()
    proc = poacal("done", "reports-2026", env={"POACAL_STATE": str(state)}, stderr=subprocess.PIPE)
    assert proc.wait(timeout=30) == 0
    assert time.monotonic() - start < 10
    assert "reports-2026" in json.loads(state.read_text())["done"]


@pytest.mark.parametrize(
    "args", [["deadlines", "--all"], ["status", "--json"], ["meetings", "--all"], ["export", "ics"]]
)
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    proc = poacal(*args, "--as-of", "2026-11-28", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=30) == 0
    assert proc.stderr.read() == b""


def test_remind_keeps_its_exit_code_when_the_reader_goes(tmp_path: Path) -> None:
    proc = poacal(
        "remind",
        "--as-of",
        "2026-05-08",
        env={"POACAL_STATE": str(tmp_path / "s")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    assert proc.wait(timeout=30) == 10
    assert b"Traceback" not in proc.stderr.read()


def test_ctrl_c_during_a_long_export(tmp_path: Path) -> None:
    """Ctrl-C in the middle of building the events: exit 130, the file there before is
    untouched and nothing is left beside it. Not timed: the child sends itself SIGINT
    when it builds its 100th event."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import schedule

    big = tmp_path / "big.toml"
    big.write_text(schedule(500))
    out = tmp_path / "out" / "feed.ics"
    out.parent.mkdir()
    out.write_bytes(b"previous")
    script = (
        "import os, signal, sys\n"
        "import poacal.ical as ical\n"
        "real, built = ical.event, []\n"
        "def event(*args, **kwargs):\n"
        "    built.append(1)\n"
        "    if len(built) == 100:\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(*args, **kwargs)\n"
        "ical.event = event\n"
        f"sys.argv = ['poacal', 'export', 'ics', '--schedule', {str(big)!r}, '-o', {str(out)!r}]\n"
        "import poacal; poacal.main()\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        env={**os.environ, "POACAL_SCHEDULE": ""},
        timeout=120,
    )
    assert p.returncode == EXIT_INTERRUPTED, p.stderr
    assert p.stderr.decode() == "poacal: interrupted\n"
    assert out.read_bytes() == b"previous"
    assert [p.name for p in out.parent.iterdir()] == ["feed.ics"]


# ---------------------------------------------------------------- hostile text ----

HOSTILE = (
    "Comma, semi; back\\\\slash \\\\n tab\\t cr\\r nl\\n"
    "END:VEVENT\\nBEGIN:VEVENT\\nUID:evil "
    "[bold]markup[/bold] <script>alert(1)</script> "
    "برنامج العمل 行动纲领 Programme of Action Programme d'action "
    "Программа действий Programa de Acción 🙂"
)


def hostile_deadline(text: str) -> str:
    return f'''
[[deadline]]
id = "x"
type = "internal"
code = "X"
name = "{text}"

  [[deadline.decision]]
  taken = 2026-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  due = 2026-03-01
  venue = "{text}"
  note = "{text}"
'''


def test_hostile_text_everywhere(tmp_path: Path, write: Callable[..., Path]) -> None:
    from icalendar import Calendar

    path = write(hostile_deadline(HOSTILE))
    from poacal.load import load_schedule

    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    # one-line fields refuse control characters, with file and line; a note may have them
    one_line = "(remove it; this field is one line of plain text)"
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:14: deadline "x": name: contains a control character (\\x09) {one_line}',
        f'{path}:21: deadline "x", decision 1: venue: contains a control character (\\x09) '
        + one_line,
        f'{path}:22: deadline "x", decision 1: note: contains a control character (\\x0d) '
        "(remove it)",
    ]
    plain = HOSTILE.replace("\\\\", "/").replace("\\t", " ").replace("\\r", " ").replace("\\n", " ")
    path = write(hostile_deadline(plain))
    name = load_schedule(path).get("x").name  # type: ignore[union-attr]
    assert "🙂" in name and "<script>" in name
    env = {"POACAL_SCHEDULE": str(path), "COLUMNS": "200", "POACAL_STATE": str(tmp_path / "s")}
    args = ["--as-of", "2026-02-01"]
    out = CliRunner().invoke(app, ["deadlines", "--json", *args], env=env).stdout
    assert json.loads(out)["items"][0]["name"] == name
    table = CliRunner().invoke(app, ["show", "x", *args], env=env).stdout
    assert "[bold]markup[/bold]" in table and "行动纲领" in table
    ics = CliRunner().invoke(app, ["export", "ics", *args], env=env).stdout_bytes
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["summary"]) == f"X: {name}"
    assert str(events[0]["location"]) == name
    for raw_line in ics.split(b"\r\n"):
        assert b"\r" not in raw_line and b"\n" not in raw_line
        assert not raw_line.startswith((b"UID:evil", b"BEGIN:VEVENT\\"))
    site = tmp_path / "site"
    site.mkdir()
    result = CliRunner().invoke(app, ["export", "site", str(site), *args], env=env)
    assert result.exit_code == 0
    assert "<script>" not in (site / "index.html").read_text()


def test_today_is_not_needed_for_queries() -> None:
    """Queries take the date as an argument: a sanity check that nothing reads the clock."""
    from poacal.load import load_schedule
    from poacal.queries import rows

    sched = load_schedule()
    early, late = rows(sched, date(2020, 1, 1)), rows(sched, date(2026, 1, 1))
    assert early == rows(sched, date(2020, 1, 1))  # the same date, the same answer
    standing = {r.item.id: r.standing for r in early}
    assert standing != {r.item.id: r.standing for r in late}  # and the date is what counts
    assert {r.as_of for r in early} == {date(2020, 1, 1)}
