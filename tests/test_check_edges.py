"""The table checks (check.py) at their edges, each problem word for word at its line:
how a wrong value is named (a long string cut at 40 characters, an array, a table),
which hint a wrong type gets, an unknown key's suggestion (its own table's keys, or a
decision's when it is an item key that belongs there), control characters in an array's
elements, and the one-line limit against the block limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from poacal.errors import ScheduleError
from poacal.load import load_schedule
from poacal.model import Confidence, Precision, Process, Schedule, When
from poacal.vocabulary import MAX_LINE

# After the eight-line standard header: the item's table at line 10, its keys from line
# 13 (a key given in {item} is line 14), the decision's table at line 16, its keys from
# 17 (a key given in {dec} is line 22).
MEETING = """
[[meeting]]
id = "m"
type = "conference"
code = "M"
{item}name = "A meeting"

  [[meeting.decision]]
  taken = 2020-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  start = 2024-06-10
  end = 2024-06-14
{dec}"""
M, DEC = 'meeting "m"', 'meeting "m", decision 1'


def meeting(item: str = "", dec: str = "") -> str:
    return MEETING.replace("{item}", item).replace("{dec}", dec)


def problems(write: Callable[..., Path], text: str, header: bool = True) -> list[str]:
    """The problems of `text`, after the standard header unless `header` is False."""
    path = write(text, header=header)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    return [str(p).replace(str(path), "F", 1) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("dec", "problem"),
    [
        (f'  year = "{"x" * 40}"\n', f'year: expected integer, got string "{"x" * 40}"'),
        (f'  year = "{"y" * 41}"\n', f'year: expected integer, got string "{"y" * 37}..."'),
        ("  year = [1]\n", "year: expected integer, got array"),
        ("  year = {a = 1}\n", "year: expected integer, got table"),
        ('  also = ["A/RES/1", 3]\n', "also: expected array of strings, got array"),
        # a wrong type with no hint of its own has none
        ("  note = 8\n", "note: expected string, got number 8"),
        (
            '  opens = "10:00"\n  closes = 12:00:00\n',
            "opens: expected time, got string "
            '"10:00" (write a local time without quotes or date: opens = 10:00:00)',
        ),
        (
            "  paragraph = 12\n",
            'paragraph: expected string, got number 12 (quote it: paragraph = "12")',
        ),
        # only a whole number is a paragraph to quote: not a boolean, not a fraction
        ("  paragraph = true\n", "paragraph: expected string, got boolean true"),
        ("  paragraph = 1.5\n", "paragraph: expected string, got number 1.5"),
    ],
)
def test_a_wrong_value_is_named_and_hinted(
    write: Callable[..., Path], dec: str, problem: str
) -> None:
    assert problems(write, meeting(dec=dec)) == [f"F:22: {DEC}: {problem}"]


def test_a_date_of_another_type_gets_no_time_of_day_hint(write: Callable[..., Path]) -> None:
    text = meeting().replace("taken = 2020-01-01", "taken = 5")
    assert problems(write, text) == [f"F:17: {DEC}: taken: expected date, got number 5"]
    text = meeting().replace('name = "A meeting"', "name = 2024-01-01T10:00:00")
    assert problems(write, text) == [
        f"F:14: {M}: name: expected string, got date-time 2024-01-01T10:00:00"
    ]


@pytest.mark.parametrize(
    ("item", "hint"),
    [
        ("opns = 1\n", 'did you mean "opens"?'),
        ("takn = 1\n", 'did you mean "taken"? It belongs in a decision, under [[... .decision]]'),
        ("sorce = 1\n", 'did you mean "source"? It belongs in a decision, under [[... .decision]]'),
    ],
)
def test_an_unknown_item_key_suggests_its_own_or_a_decisions(
    write: Callable[..., Path], item: str, hint: str
) -> None:
    key = item.split(" ")[0]
    assert problems(write, meeting(item=item)) == [f'F:14: {M}: unknown key "{key}" ({hint})']


def test_an_unknown_key_elsewhere_lists_its_tables_keys(write: Callable[..., Path]) -> None:
    """Only an item's key may belong in a decision: a document's "sorce" is not sent there."""
    text = meeting()
    header_doc = 'id = "A/RES/1"\n'
    path = write(text)
    path.write_text(path.read_text().replace(header_doc, header_doc + "sorce = 1\n", 1))
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:6: document "A/RES/1": unknown key "sorce" (known keys: adopted, '
        "confidence, id, languages, note, publisher, symbol, title, url)"
    ]


def test_a_control_character_in_an_arrays_element_is_refused(
    write: Callable[..., Path],
) -> None:
    found = problems(write, meeting(dec='  also = ["A/RES/1\\u0007"]\n'))
    assert found[0] == (
        f"F:22: {DEC}: also: contains a control character (\\x07) "
        "(remove it; this field is one line of plain text)"
    )


def test_one_line_fields_stop_at_the_line_limit_and_blocks_go_on(
    write: Callable[..., Path], build: Callable[[str], Schedule]
) -> None:
    at = meeting().replace('code = "M"', f'code = "{"c" * MAX_LINE}"')
    assert build(at).by_id["m"].code == "c" * MAX_LINE
    past = meeting().replace('code = "M"', f'code = "{"c" * (MAX_LINE + 1)}"')
    assert problems(write, past) == [
        f"F:13: {M}: code: {MAX_LINE + 1:,} characters is too long "
        f"(at most {MAX_LINE:,} characters)"
    ]
    long = "d" * (MAX_LINE + 1)
    block = build(meeting(item=f'description = "{long}"\n'))
    assert block.by_id["m"].description == long


def test_a_good_array_passes_the_full_check_too(write: Callable[..., Path]) -> None:
    """An unknown key sends the table through the full check: a good array of strings
    beside it is not reported."""
    dec = '  also = ["A/RES/1"]\n  strat2 = 1\n'
    assert problems(write, meeting(dec=dec)) == [
        f'F:23: {DEC}: unknown key "strat2" (did you mean "start"?)'
    ]


def test_every_element_of_an_array_is_checked_after_a_wrong_one(
    write: Callable[..., Path],
) -> None:
    found = problems(write, meeting(dec='  also = [1, "A/RES/1\\u0007"]\n'))
    assert found[:2] == [
        f"F:22: {DEC}: also: expected array of strings, got array",
        f"F:22: {DEC}: also: contains a control character (\\x07) "
        "(remove it; this field is one line of plain text)",
    ]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("", False),
        ("a", True),
        ("a" * 64, True),
        ("a" * 65, False),
        (".a", False),
        ("-a", False),
        ("a.-", True),
        ("Xa", False),
        # every allowed character at once: the allowed set, not a part of it
        ("abcdefghijklmnopqrstuvwxyz0123456789.-", True),
        ("abc_", False),
    ],
)
def test_an_id_is_at_most_64_allowed_characters(text: str, ok: bool) -> None:
    from poacal.check import valid_id

    assert valid_id(text) is ok


DOC = """
[[document]]
id = "A/RES/1"
symbol = "A/RES/1"
title = "A resolution"
url = "https://undocs.org/A/RES/1"
"""


def own_problems(write: Callable[..., Path], text: str) -> list[str]:
    """The problems of `text` as the whole file (no standard header)."""
    return problems(write, text, header=False)


def test_a_schedule_that_is_not_a_table_is_named(write: Callable[..., Path]) -> None:
    assert own_problems(write, "schedule = 5\n" + DOC + meeting()) == [
        "F: schedule: expected a table [schedule]"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            'revision = "2026-01-01"',
            [
                'F:2: [schedule]: revision: expected date, got string "2026-01-01" '
                "(write the date without quotes: revision = 2026-01-01)"
            ],
        ),
        (
            "revision = 1900-01-01",
            [
                "F:2: [schedule]: revision: 1900-01-01 is out of range "
                "(expected a date from 1945 to 2100)"
            ],
        ),
        (
            "revison = 2026-01-01",
            [
                'F:1: [schedule]: missing key "revision" (expected date)',
                'F:2: [schedule]: unknown key "revison" (did you mean "revision"?)',
            ],
        ),
    ],
)
def test_the_schedule_tables_problems_name_it_at_its_line(
    write: Callable[..., Path], line: str, expected: list[str]
) -> None:
    assert own_problems(write, "[schedule]\n" + line + "\n" + DOC + meeting()) == expected


SCHEDULE = "[schedule]\nrevision = 2026-01-01\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SCHEDULE + "schema = 2\n" + DOC + meeting(),
            ["F:3: [schedule]: schema: number 2 is not supported (this poacal reads schema 1)"],
        ),
        (
            SCHEDULE + 'process = "foo"\n' + DOC + meeting(),
            ['F:3: [schedule]: process: "foo" is not one of: poa, att'],
        ),
        (
            "document = 5\n\n" + SCHEDULE + meeting().replace('"A/RES/1"', '"x"'),
            [
                "F: document: expected an array of tables "
                "(write each entry under its own [[document]] header)",
                'F:14: meeting "m", decision 1: source: "x" is not in the document register '
                "(add it as a [[document]])",
            ],
        ),
        # a document out of range is not checked further (its url here would be refused)
        (
            SCHEDULE
            + DOC.replace("https://undocs.org/A/RES/1", "ftp://x").replace(
                'title = "A resolution"', 'title = "A resolution"\nadopted = 1900-01-01'
            )
            + meeting(),
            [
                'F:8: document "A/RES/1": adopted: 1900-01-01 is out of range '
                "(expected a date from 1945 to 2100)"
            ],
        ),
    ],
    ids=["schema", "process", "document-not-tables", "document-out-of-range"],
)
def test_schedule_and_document_problems_word_for_word(
    write: Callable[..., Path], text: str, expected: list[str]
) -> None:
    assert own_problems(write, text) == expected


@pytest.mark.parametrize(
    ("revision", "ok"),
    [("1944-12-31", False), ("1945-01-01", True), ("2100-12-31", True), ("2101-01-01", False)],
)
def test_a_revision_is_within_the_years_poacal_counts(
    write: Callable[..., Path], revision: str, ok: bool
) -> None:
    text = f"[schedule]\nrevision = {revision}\n" + DOC + meeting()
    if ok:
        assert load_schedule(write(text, header=False)).revision.isoformat() == revision
    else:
        assert own_problems(write, text) == [
            f"F:2: [schedule]: revision: {revision} is out of range "
            "(expected a date from 1945 to 2100)"
        ]


AGAIN = """
[[document]]
id = "A/RES/1"
symbol = "A/RES/1"
title = "Again"
url = "https://undocs.org/A/RES/1"
"""


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        # a document without a usable id is named by its place
        (
            DOC + '\n[[document]]\nid = 5\ntitle = "T"\nurl = "https://x"\n',
            ["F:11: document #2: id: expected string, got number 5"],
        ),
        (
            DOC + AGAIN,
            ['F:11: document "A/RES/1": duplicate document id (each document id must be unique)'],
        ),
        # a wrong confidence stops the document's checks: its url is not looked at
        (
            DOC.replace(
                'title = "A resolution"', 'title = "A resolution"\nconfidence = "sure"'
            ).replace("https://undocs.org/A/RES/1", "ftp://x"),
            [
                'F:8: document "A/RES/1": confidence: "sure" is not one of: '
                "confirmed, reported, unconfirmed, own"
            ],
        ),
        (
            DOC.replace("https://undocs.org/A/RES/1", "ftp://x"),
            [
                'F:8: document "A/RES/1": url: expected a link, got "ftp://x" '
                "(use https://undocs.org/SYMBOL for UN documents, or internal: for a note)"
            ],
        ),
    ],
    ids=["no-id", "duplicate", "confidence", "url"],
)
def test_a_documents_problems_word_for_word(
    write: Callable[..., Path], docs: str, expected: list[str]
) -> None:
    assert own_problems(write, SCHEDULE + docs + meeting()) == expected


@pytest.mark.parametrize(
    "url", ["https://x.org/a", "http://x.org/a", "file:///tmp/a.pdf", "internal:note"]
)
def test_a_documents_link_may_be_a_web_page_a_file_or_internal(
    write: Callable[..., Path], url: str
) -> None:
    text = SCHEDULE + DOC.replace("https://undocs.org/A/RES/1", url) + meeting()
    assert load_schedule(write(text, header=False)).documents["A/RES/1"].url == url


def with_doc_keys(keys: str) -> str:
    return SCHEDULE + DOC.replace('title = "A resolution"', 'title = "A resolution"\n' + keys)


@pytest.mark.parametrize(
    ("keys", "listed"),
    [('languages = ["xx", "en", "yy"]', "'xx', 'yy'"), ("languages = []", "empty")],
)
def test_a_documents_languages_are_un_language_codes(
    write: Callable[..., Path], keys: str, listed: str
) -> None:
    assert own_problems(write, with_doc_keys(keys) + meeting()) == [
        f'F:8: document "A/RES/1": languages: {listed} is not a list of UN language codes '
        "(use some of: ar, zh, en, fr, ru, es)"
    ]


def test_a_document_keeps_every_key_it_was_given(write: Callable[..., Path]) -> None:
    keys = 'publisher = "UNODA"\nnote = "A note"\nconfidence = "reported"\nlanguages = ["fr", "en"]'
    doc = load_schedule(write(with_doc_keys(keys) + meeting(), header=False)).documents["A/RES/1"]
    assert (doc.publisher, doc.note, doc.confidence, doc.languages) == (
        "UNODA",
        "A note",
        Confidence.REPORTED,
        ("en", "fr"),  # in the UN's order of its languages
    )


# Items (checkitem.py): how one is named, a duplicate id, an id's characters.
INLINE = (
    '{id = "a", type = "conference", code = "A", name = "A", '
    'decision = [{source = "A/RES/1", confidence = "confirmed", year = 2030}]}'
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SCHEDULE + DOC + meeting() + meeting().replace('id = "m"', "id = 5", 1),
            ["F:24: meeting #2: id: expected string, got number 5"],
        ),
        (
            SCHEDULE + DOC + meeting() + meeting(),
            ['F:24: meeting "m": duplicate id (first used at line 11) (each id must be unique)'],
        ),
        # items written as inline tables have no line to point at
        (
            f"meeting = [{INLINE}, {INLINE}]\n" + SCHEDULE + DOC,
            ['F: meeting "a": duplicate id (each id must be unique)'],
        ),
        (
            SCHEDULE + DOC + meeting().replace('id = "m"', 'id = "BMS7"', 1),
            [
                "F:11: meeting \"BMS7\": id: expected lower-case letters, digits, '-' or '.' "
                '(for example "bms7" or "reports-2026")'
            ],
        ),
    ],
    ids=["no-id", "duplicate", "duplicate-inline", "upper-case"],
)
def test_an_items_id_problems_word_for_word(
    write: Callable[..., Path], text: str, expected: list[str]
) -> None:
    assert own_problems(write, text) == expected


HOURS = (
    "session hours on the item need its start and end on the item too "
    "(in a decision, give them with that decision's start and end)"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the long form with dates on the item too: not both
        (
            meeting(item="start = 2024-06-10\nend = 2024-06-14\n"),
            [
                'F:14: meeting "m": start: give the dates on the item or in decisions, not both '
                "(the short form (due = ... on the item) is for your own items)"
            ],
        ),
        (
            '\n[[meeting]]\nid = "o"\nname = "Own"\nstart = 2024-06-10\nopens = 10:00:00\n',
            [f'F:14: meeting "o": opens: {HOURS}'],
        ),
        (
            '\n[[meeting]]\nid = "o"\nname = "Own"\nend = 2024-06-10\nopens = 10:00:00\n',
            [f'F:14: meeting "o": opens: {HOURS}'],
        ),
    ],
    ids=["long-and-short", "hours-without-end", "hours-without-start"],
)
def test_an_items_own_dates_word_for_word(
    write: Callable[..., Path], body: str, expected: list[str]
) -> None:
    assert own_problems(write, SCHEDULE + DOC + body) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            'cycle = "2024"\n',
            [
                'F:14: meeting "m": cycle: expected "YYYY-YYYY", got "2024" '
                '(for example cycle = "2024-2030")'
            ],
        ),
        ('process = "foo"\n', ['F:14: meeting "m": process: "foo" is not one of: poa, att']),
        ('addressee = "SG"\n', ['F:14: meeting "m": addressee: only mandates have an addressee']),
    ],
    ids=["cycle", "process", "addressee"],
)
def test_an_items_keys_refused_word_for_word(
    write: Callable[..., Path], item: str, expected: list[str]
) -> None:
    assert own_problems(write, SCHEDULE + DOC + meeting(item=item)) == expected


def test_an_items_cycle_and_process_are_kept(write: Callable[..., Path]) -> None:
    text = SCHEDULE + DOC + meeting(item='cycle = "2024-2030"\nprocess = "att"\n')
    (item,) = load_schedule(write(text, header=False)).items
    assert (item.cycle, item.process) == ("2024-2030", Process.ATT)


REMIND_HINT = 'give days or weeks before the date, e.g. remind = ["42d", "7d"] or ["6w"]'


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ('["7d", "soon"]', f"remind: cannot read 'soon' ({REMIND_HINT})"),
        ("[]", f"remind: the list is empty ({REMIND_HINT})"),
    ],
)
def test_an_items_lead_times_refused_word_for_word(
    write: Callable[..., Path], given: str, expected: str
) -> None:
    text = SCHEDULE + DOC + meeting(item=f"remind = {given}\n")
    assert own_problems(write, text) == [f'F:14: meeting "m": {expected}']


MANDATE = """
[[mandate]]
id = "r"
type = "report"
code = "R"
name = "A report"
addressee = "Secretary-General"
description = "What it asks"
serves = "m"
closed_by = "m"

  [[mandate.decision]]
  source = "A/RES/1"
  confidence = "confirmed"
  year = 2027
"""


def test_an_item_keeps_every_key_it_was_given(write: Callable[..., Path]) -> None:
    text = SCHEDULE + DOC + meeting(item='remind = ["7d", "6w", "7d"]\n') + MANDATE
    path = write(text, name="mine.toml", header=False)
    m, r = load_schedule(path).items
    assert m.remind == (42, 7)  # in days, largest first, each once
    assert (r.addressee, r.description, r.serves, r.closed_by) == (
        "Secretary-General",
        "What it asks",
        "m",
        "m",
    )
    assert (m.origin, r.origin, m.name, r.code) == ("mine.toml", "mine.toml", "A meeting", "R")


def second_decision(taken: str) -> str:
    return (
        f"\n  [[meeting.decision]]\n  taken = {taken}\n  source = "
        '"A/RES/1"\n  confidence = "confirmed"\n  year = 2025\n'
    )


BARE = '\n[[meeting]]\nid = "m"\ntype = "conference"\ncode = "M"\nname = "A meeting"\n'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            BARE + "decision = []\n",
            [
                'F:15: meeting "m": no decisions '
                "(every item needs at least one [[meeting.decision]] with its source)"
            ],
        ),
        (BARE + "decision = [1]\n", ['F:15: meeting "m": decision: expected a table']),
        # the first is taken on 2020-01-01: a day earlier is out of order, the same day not
        (
            meeting(dec=second_decision("2019-12-31")),
            [
                'F:10: meeting "m": decisions are not in date order '
                "(list them oldest first, by taken)"
            ],
        ),
    ],
    ids=["none", "not-a-table", "out-of-order"],
)
def test_an_items_decisions_refused_word_for_word(
    write: Callable[..., Path], body: str, expected: list[str]
) -> None:
    assert own_problems(write, SCHEDULE + DOC + body) == expected


def test_two_decisions_on_the_same_day_are_in_order(write: Callable[..., Path]) -> None:
    text = SCHEDULE + DOC + meeting(dec=second_decision("2020-01-01"))
    (item,) = load_schedule(write(text, header=False)).items
    assert [d.taken.isoformat() for d in item.decisions if d.taken] == ["2020-01-01"] * 2


DEADLINE = """
[[deadline]]
id = "d"
type = "views"
code = "D"
name = "Views"

  [[deadline.decision]]
  taken = 2020-01-01
  source = "A/RES/1"
  confidence = "confirmed"
  due = {due}
"""
RANGE = "is out of range (expected a date from 1945 to 2100)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            meeting().replace("taken = 2020-01-01", "taken = 1900-01-01"),
            f"F:17: {DEC}: taken: 1900-01-01 {RANGE}",
        ),
        (
            meeting().replace("start = 2024-06-10", "start = 1900-06-10"),
            f"F:20: {DEC}: start: 1900-06-10 {RANGE}",
        ),
        (
            meeting().replace("end = 2024-06-14", "end = 2101-06-14"),
            f"F:21: {DEC}: end: 2101-06-14 {RANGE}",
        ),
        (
            DEADLINE.format(due="2101-01-01"),
            f'F:20: deadline "d", decision 1: due: 2101-01-01 {RANGE}',
        ),
    ],
    ids=["taken", "start", "end", "due"],
)
def test_every_date_of_a_decision_is_within_poacals_years(
    write: Callable[..., Path], body: str, expected: str
) -> None:
    assert own_problems(write, SCHEDULE + DOC + body) == [expected]


@pytest.mark.parametrize(
    ("dec", "expected"),
    [
        (
            '  status = "bogus"\n',
            [
                f'F:22: {DEC}: status: "bogus" is not one of: '
                "scheduled, postponed, cancelled, held, open, fulfilled, ongoing"
            ],
        ),
        (
            '  status = "fulfilled"\n',
            [
                f'F:22: {DEC}: status: "fulfilled" is not a meeting status '
                "(use one of: cancelled, held, postponed, scheduled)"
            ],
        ),
    ],
    ids=["unknown", "another-kinds"],
)
def test_a_decisions_status_refused_word_for_word(
    write: Callable[..., Path], dec: str, expected: list[str]
) -> None:
    assert own_problems(write, SCHEDULE + DOC + meeting(dec=dec)) == expected


def test_a_decisions_dates_are_checked_beside_another_keys_wrong_type(
    write: Callable[..., Path],
) -> None:
    """A wrong note does not hide wrong dates; a wrong due_at is not read as dates."""
    body = meeting(dec="  note = 5\n")
    assert own_problems(
        write, SCHEDULE + DOC + body.replace("end = 2024-06-14", "end = 2024-06-01")
    ) == [
        f"F:21: {DEC}: end 2024-06-01 is before start 2024-06-10",
        f"F:22: {DEC}: note: expected string, got number 5",
    ]
    tied = body.replace("start = 2024-06-10\n  end = 2024-06-14\n", "due_at = 5\n")
    assert own_problems(write, SCHEDULE + DOC + tied) == [
        f"F:20: {DEC}: due_at: expected string, got number 5",
        f"F:21: {DEC}: note: expected string, got number 5",
    ]


def test_a_decision_keeps_taken_exact_and_paragraph(write: Callable[..., Path]) -> None:
    given = meeting(dec='  taken_exact = false\n  paragraph = "27"\n')
    (item,) = load_schedule(write(SCHEDULE + DOC + given, header=False)).items
    assert (item.decisions[0].taken_exact, item.decisions[0].paragraph) == (False, "27")
    (plain,) = load_schedule(write(SCHEDULE + DOC + meeting(), header=False)).items
    assert (plain.decisions[0].taken_exact, plain.decisions[0].paragraph) == (True, None)


OWN_MEETING = '\n[[meeting]]\nid = "o"\nname = "Own"\nstart = 2027-01-10\nend = {end}\n'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '\n[[deadline]]\nid = "o"\nname = "Own"\ndue = 2101-01-10\n',
            f'F:13: deadline "o": due: 2101-01-10 {RANGE}',
        ),
        (
            OWN_MEETING.format(end="2027-01-09"),
            'F:14: meeting "o": end 2027-01-09 is before start 2027-01-10',
        ),
    ],
    ids=["out-of-range", "end-before-start"],
)
def test_the_short_forms_dates_refused_at_the_items_line(
    write: Callable[..., Path], body: str, expected: str
) -> None:
    assert own_problems(write, SCHEDULE + DOC + body) == [expected]


def test_the_short_form_is_one_decision_from_the_file_itself(write: Callable[..., Path]) -> None:
    path = write(SCHEDULE + DOC + OWN_MEETING.format(end="2027-01-12"), header=False)
    (item,) = load_schedule(path).items
    (d,) = item.decisions
    assert (d.source, d.confidence, d.when) == (
        path.name,
        Confidence.OWN,
        When(precision=Precision.DAY, start=date(2027, 1, 10), end=date(2027, 1, 12)),
    )


NO_DATES = "  start = 2024-06-10\n  end = 2024-06-14\n"


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (
            '  length = "one week"\n',
            f"F:20: {DEC}: length: says how long a meeting is, but this decision sets no dates "
            "(give it with year, month, early or start and end)",
        ),
        ("  early = true\n", f'F:20: {DEC}: early: needs "year" (for example year = 2028)'),
    ],
    ids=["length-alone", "early-alone"],
)
def test_a_decisions_vague_dates_refused_word_for_word(
    write: Callable[..., Path], dates: str, expected: str
) -> None:
    body = meeting().replace(NO_DATES, dates)
    assert own_problems(write, SCHEDULE + DOC + body) == [expected]


def test_a_sessions_length_is_kept_with_its_dates(write: Callable[..., Path]) -> None:
    body = meeting(dec='  length = "five days"\n')
    (item,) = load_schedule(write(SCHEDULE + DOC + body, header=False)).items
    when = item.decisions[0].when
    assert when is not None and when.length == "five days"
