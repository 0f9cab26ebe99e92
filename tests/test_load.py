"""The loader: every problem reported at once, each with file, line and a hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from poacal.errors import ScheduleError
from poacal.load import load_schedule
from poacal.model import Precision

MEETING = """
[[meeting]]
id = "bms8"
type = "biennial-meeting"
code = "BMS8"
name = "Eighth Biennial Meeting of States"

  [[meeting.decision]]
  taken = 2019-12-12
  source = "A/RES/1"
  confidence = "confirmed"
"""


def problems(write: Callable[..., Path], body: str, header: bool = True) -> list[str]:
    path = write(body, header=header)
    with pytest.raises(ScheduleError) as info:
        load_schedule(path)
    return [line.replace(str(path), "FILE") for line in info.value.lines()]


# (TOML added after the standard header and MEETING, expected lines exactly)
CASES = [
    (
        "start = 2022-06-27\n  end = 2022-06-20\n",
        ['FILE:21: meeting "bms8", decision 1: end 2022-06-20 is before start 2022-06-27'],
    ),
    (
        'start = "2022-06-27"\n  end = 2022-07-01\n',
        [
            'FILE:20: meeting "bms8", decision 1: start: expected date, got string "2022-06-27" '
            "(write the date without quotes: start = 2022-06-27)"
        ],
    ),
    (
        "strat = 2022-06-27\n",
        ['FILE:20: meeting "bms8", decision 1: unknown key "strat" (did you mean "start"?)'],
    ),
    (
        "year = 2024\n  month = 13\n",
        ['FILE:21: meeting "bms8", decision 1: month: 13 is not 1 to 12'],
    ),
    (
        "month = 6\n",
        ['FILE:20: meeting "bms8", decision 1: month: needs "year" (for example year = 2028)'],
    ),
    (
        "year = 2024\n  start = 2024-01-01\n  end = 2024-01-02\n",
        [
            'FILE:20: meeting "bms8", decision 1: year: conflicts with start (exact dates and a '
            "year/month/early are two precisions; keep one)"
        ],
    ),
    (
        "start = 2022-06-27\n",
        [
            'FILE:20: meeting "bms8", decision 1: missing key "end" '
            "(a meeting with exact dates needs both start and end)"
        ],
    ),
    (
        "due = 2022-06-27\n",
        ['FILE:20: meeting "bms8", decision 1: due: meetings have start and end, not due'],
    ),
    (
        'status = "fulfilled"\n',
        [
            'FILE:20: meeting "bms8", decision 1: status: "fulfilled" is not a meeting status '
            "(use one of: cancelled, held, postponed, scheduled)"
        ],
    ),
    (
        'due_at = "bms8"\n',
        [
            'FILE:20: meeting "bms8", decision 1: due_at: a meeting cannot be '
            "tied to another meeting"
        ],
    ),
    (
        'also = ["A/RES/2"]\n',
        [
            'FILE:20: meeting "bms8", decision 1: also: "A/RES/2" is not in '
            'the document register (did you mean "A/RES/1"?)'
        ],
    ),
    (
        "year = 2024\n  early = false\n",
        ['FILE:21: meeting "bms8", decision 1: early: false says nothing (leave it out instead)'],
    ),
    (
        "paragraph = 7\n",
        [
            'FILE:20: meeting "bms8", decision 1: paragraph: expected string, got '
            'number 7 (quote it: paragraph = "7")'
        ],
    ),
    (
        "start = 2022-06-27T10:00:00\n  end = 2022-07-01\n",
        [
            'FILE:20: meeting "bms8", decision 1: start: expected date, got date-time '
            "2022-06-27T10:00:00 (give a date without a time of day)"
        ],
    ),
]


@pytest.mark.parametrize(("extra", "expected"), CASES)
def test_broken_decision(write: Callable[..., Path], extra: str, expected: list[str]) -> None:
    assert problems(write, MEETING + "  " + extra) == expected


def test_every_problem_is_reported_at_once(write: Callable[..., Path]) -> None:
    body = (
        MEETING
        + """  start = 2022-06-27
  end = 2022-06-20

[[meeting]]
id = "bms8"
type = "biennial-meting"
code = "X"
name = "Y"

  [[meeting.decision]]
  taken = "2019-12-12"
  source = "A/RES/2"
  confidence = "sure"

[[deadline]]
id = "r"
type = "national-report"
code = "R"
name = "R"
serves = "bms9"

  [[deadline.decision]]
  source = "A/RES/1"
  confidence = "confirmed"
  due_at = "bms9"
"""
    )
    assert problems(write, body) == [
        'FILE:21: meeting "bms8", decision 1: end 2022-06-20 is before start 2022-06-27',
        'FILE:24: meeting "bms8": duplicate id (first used at line 11) (each id must be unique)',
        'FILE:25: meeting "bms8": type: "biennial-meting" is not one of: conference, '
        "review-conference, biennial-meeting, preparatory-committee, technical-expert-group, "
        "governmental-experts, regional-meeting, general-assembly, "
        "conference-of-states-parties, working-group, preparatory-meeting, internal",
        'FILE:30: meeting "bms8", decision 1: taken: expected date, got string "2019-12-12" '
        "(write the date without quotes: taken = 2019-12-12)",
        'FILE:31: meeting "bms8", decision 1: source: "A/RES/2" is not in the document register '
        '(did you mean "A/RES/1"?)',
        'FILE:32: meeting "bms8", decision 1: confidence: "sure" is not one of: confirmed, '
        "reported, unconfirmed, own",
        'FILE:39: deadline "r": serves: "bms9" is not an item id (did you mean "bms8"?)',
        'FILE:44: deadline "r", decision 1: due_at: "bms9" is not a meeting id '
        '(did you mean "bms8"?)',
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[schedule]\nrevision = 2021-02-30\n",
            "FILE:2: TOML syntax error: Invalid date or datetime (column 12) "
            "(see https://toml.io for the syntax)",
        ),
        (
            "[schedule\n",
            "FILE:1: TOML syntax error: Expected ']' at the end of a table "
            "declaration (column 10) (see https://toml.io for the syntax)",
        ),
        (
            "",
            "FILE: [schedule]: missing table (add [schedule] with revision = YYYY-MM-DD, "
            "the date the data was last checked)",
        ),
        (
            "meeting = 3\n[schedule]\nrevision = 2026-01-01\n",
            "FILE: meeting: expected an array of tables (write each entry under its own "
            "[[meeting]] header)",
        ),
        (
            "[schedule]\nrevision = 2026-01-01\n[extra]\n",
            'FILE: top level: unknown key "extra" (known keys: deadline, document, mandate, '
            "meeting, schedule)",
        ),
    ],
)
def test_broken_files(write: Callable[..., Path], text: str, expected: str) -> None:
    assert problems(write, text, header=False) == [expected]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError) as info:
        load_schedule(tmp_path / "nope.toml")
    assert info.value.lines() == [
        f"{tmp_path / 'nope.toml'}: no such file (check the path, "
        "or unset POACAL_SCHEDULE to use the embedded one)"
    ]
    with pytest.raises(ScheduleError) as info:
        load_schedule(tmp_path)
    assert info.value.lines() == [
        f"{tmp_path}: is a folder, not a schedule file (give the path of a .toml file)"
    ]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[schedule]\nrevision = 2026-01-01\ntitle = "caf\xe9"\n')
    with pytest.raises(ScheduleError) as info:
        load_schedule(path)
    assert info.value.lines() == [f"{path}:3: not UTF-8 text (byte 0xe9) (save the file as UTF-8)"]


def test_bom_and_windows_line_endings_are_accepted(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    text = write(MEETING + "  year = 2022\n").read_text()
    path = tmp_path / "crlf.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert load_schedule(path).get("bms8") is not None


def test_precision_is_read_from_the_keys(build: Callable[[str], object]) -> None:
    sched = build(MEETING + '  year = 2024\n  early = true\n  length = "five days"\n')
    when = sched.get("bms8").decisions[0].when  # type: ignore[attr-defined]
    assert when.precision is Precision.EARLY
    assert when.label() == "early 2024 (five days)"


def test_user_file_merges_and_clashing_ids_need_override(write: Callable[..., Path]) -> None:
    base = write(MEETING + "  year = 2022\n", name="base.toml")
    clash = write(
        MEETING.replace('"BMS8"', '"B8"') + "  year = 2023\n", name="user.toml", header=False
    )
    with pytest.raises(ScheduleError) as info:
        load_schedule(base, clash)
    assert info.value.lines() == [
        f'{clash}:2: meeting "bms8": id already used in {base}:10 (rename it, or add '
        "override = true to replace that item)",
    ]
    override = write(
        "[schedule]\nrevision = 2026-02-01\n"
        + MEETING.replace('code = "BMS8"', 'code = "B8"\noverride = true')
        + "  year = 2023\n",
        name="override.toml",
        header=False,
    )
    merged = load_schedule(base, override)
    assert merged.get("bms8").code == "B8"  # type: ignore[union-attr]
    assert merged.revision.isoformat() == "2026-02-01"
