"""The text sanitisers at every edge of their character classes (issue 19)."""

from __future__ import annotations

import pytest

from poacal.text import control_chars, ical, terminal

# (character, escaped in one line, kept in a block, dropped in iCalendar)
EDGES = [
    ("\x00", "\\x00", False, True),
    ("\x08", "\\x08", False, True),
    ("\t", "\\x09", True, False),
    ("\n", "\\x0a", True, False),
    ("\x0b", "\\x0b", False, True),
    ("\x1f", "\\x1f", False, True),
    ("\x7f", "\\x7f", False, True),
    ("\x80", "\\x80", False, True),
    ("\x9f", "\\x9f", False, True),
    ("\u202a", "\\u202a", False, True),
    ("\u202e", "\\u202e", False, True),
    ("\u2066", "\\u2066", False, True),
    ("\u2069", "\\u2069", False, True),
]
PLAIN = [" ", "~", "\xa0", "\xa1", "\u2029", "\u202f", "\u2065", "\u206a", "é", "行"]


@pytest.mark.parametrize(("c", "escaped", "kept", "dropped"), EDGES)
def test_each_control_character(c: str, escaped: str, kept: bool, dropped: bool) -> None:
    assert terminal(f"a{c}b") == f"a{escaped}b"
    assert terminal(f"a{c}b", multiline=True) == (f"a{c}b" if kept else f"a{escaped}b")
    assert control_chars(f"a{c}b") == escaped  # one line is the default
    assert control_chars(f"a{c}b", multiline=True) == (None if kept else escaped)
    if dropped:
        assert ical(f"a{c}b") == "ab" and ical(f"a{c}b", multiline=False) == "ab"


@pytest.mark.parametrize("c", PLAIN)
def test_the_characters_just_outside_pass(c: str) -> None:
    assert terminal(f"a{c}b") == f"a{c}b" and control_chars(f"a{c}b") is None
    assert ical(f"a{c}b") == f"a{c}b"


def test_line_breaks_in_icalendar() -> None:
    assert ical("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert ical("a\r\nb\rc\nd\te", multiline=False) == "a b c d e"
    assert ical("a\tb") == "a\tb"


def test_lone_surrogates_are_shown_not_raised() -> None:
    assert terminal("a\ud800b") == "a\\ud800b"
    assert ical("a\udfffb") == "a\\udfffb"
