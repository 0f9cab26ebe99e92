"""The checker's fast path (tomlread.suspect lets it skip the per-string scan) accepts
exactly the files the full check accepts, with the same messages: a property test over
hostile text in every kind of text key, written in every TOML string form."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poacal import tomlread
from poacal.errors import ScheduleError
from poacal.load import load_schedule
from tests.conftest import HEADER

# Characters at the edges of the text rules: tab, newline, CR, other C0 and C1 controls,
# DEL, bidirectional overrides and isolates, quotes and backslashes, plain text.
EDGES = "\t\n\r\x00\x01\x1b\x7f\x85\x9f\u2028\u202a\u202e\u2066\u2069\"'\\aZ §🙂"
TEXT = st.one_of(
    st.text(alphabet=EDGES, max_size=12),
    st.builds(
        lambda a, c, b: a + c + b,
        st.text("ab §", max_size=3),
        st.sampled_from(EDGES),
        st.text("ab", max_size=3),
    ),
    st.builds(
        lambda n, c: "x" * n + c, st.sampled_from([499, 500, 501]), st.sampled_from(["", "\t"])
    ),
)
# (table, key) of every text key that is not an id or a reference
PLACES = [
    ("item", "code"),
    ("item", "name"),
    ("item", "description"),
    ("decision", "venue"),
    ("decision", "chair"),
    ("decision", "chair_role"),
    ("decision", "outcome"),
    ("decision", "note"),
    ("decision", "paragraph"),
    ("decision", "length"),
    ("document", "title"),
    ("document", "note"),
    ("document", "publisher"),
]


def written(text: str, form: str) -> str:
    """`text` as a TOML string in one of its four forms (possibly invalid TOML)."""
    if form == "escaped":
        return json.dumps(text, ensure_ascii=False)
    if form == "basic":
        return f'"{text}"'
    if form == "literal":
        return f"'{text}'"
    return f'"""{text}"""'


def document(table: str, key: str, value: str) -> str:
    doc = HEADER + (f"{key} = {value}\n" if table == "document" else "")
    item = '\n[[deadline]]\nid = "d"\ntype = "views"\ncode = "D"\nname = "D"\n'
    if table == "item":
        item = item.replace(f'{key} = "D"\n', "") + f"{key} = {value}\n"
    dec = '\n[[deadline.decision]]\nsource = "A/RES/1"\nconfidence = "confirmed"\n'
    if table == "decision":
        dec += f"{key} = {value}\n"
    return doc + item + dec


FORMS = ("escaped", "basic", "literal", "multi")


def outcome(path: Path) -> object:
    try:
        return load_schedule(path)
    except ScheduleError as e:
        return [str(p) for p in e.problems]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=TEXT,
    place=st.sampled_from(PLACES),
    form=st.sampled_from(FORMS),
)
def test_fast_path_agrees_with_full_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, place: tuple[str, str], form: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(document(*place, written(text, form)), encoding="utf-8", newline="")
    fast = outcome(path)
    with monkeypatch.context() as m:
        m.setattr(tomlread, "suspect", lambda _text: True)
        full = outcome(path)
    assert fast == full


def test_every_edge_character_in_every_key_and_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exhaustive over one edge character between plain text: the cases most likely to
    slip through a pre-filter, which random text reaches only by chance."""
    path = tmp_path / "s.toml"
    disagree = []
    for place in PLACES:
        for form in FORMS:
            for c in EDGES:
                path.write_text(document(*place, written(f"a{c}b", form)), newline="")
                fast = outcome(path)
                with monkeypatch.context() as m:
                    m.setattr(tomlread, "suspect", lambda _text: True)
                    full = outcome(path)
                if fast != full:
                    disagree.append((place, form, c))
    assert disagree == []


def test_a_literal_tab_is_refused_as_its_escape_is(write: Callable[..., Path]) -> None:
    """The case that first showed the two paths disagreeing: a TAB in a code passed
    `validate` when typed, and was refused when written "\\t"."""
    for value in ('"X\tY"', '"X\\tY"', "'X\tY'"):
        path = write(document("item", "code", value).removeprefix(HEADER), header=True)
        problems = outcome(path)
        assert isinstance(problems, list), value
        assert any("code: contains a control character (\\x09)" in p for p in problems), problems
