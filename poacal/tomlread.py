"""Reading a schedule file: its bytes, its TOML, and the lines its tables start on, so
every message can point at a line. The only module that parses TOML."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from poacal.errors import Problem
from poacal.model import Document, Item, Process
from poacal.vocabulary import MAX_LINE

MAX_BYTES = 16 * 1024 * 1024

# The characters some key's rule refuses (text.control_chars: every control character
# and bidirectional override in a one-line key; all but newline and tab in a multi-line
# one), less the two that end lines between values (LF, and CR in CR LF). A literal TAB
# is in: it is refused in a one-line key, as its escape "\t" is.
_REFUSED = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPE = re.compile(r'\\[^"]')


def suspect(text: str) -> bool:
    """Whether any string in `text` could break a text rule: without a refused
    character, an escape that could write one, a multi-line string or an over-long line,
    no string can, and the checker skips the per-string scan. Each test is one pass in C
    over the text; together they take a few milliseconds at 10,000 items. A property
    test (tests/test_check.py) shows that skipping never changes the verdict."""
    return bool(
        _REFUSED.search(text)
        or ("\\" in text and _ESCAPE.search(text))
        or '"""' in text
        or "'''" in text
        or (len(text) > MAX_LINE and max(map(len, text.split("\n"))) > MAX_LINE)
    )


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")


class Parsed:
    """A parsed file with what is needed to point at its lines, and what the checker
    built from it."""

    def __init__(self, path: Path, name: str, text: str, data: dict[str, Any]) -> None:
        self.path, self.name, self.text, self.data = path, name, text, data
        self._headers: list[tuple[int, str]] | None = None
        self._by_name: dict[str, list[int]] = {}
        self._lines: list[str] = []
        self.items: list[tuple[Item, str, int]] = []
        self.ids: dict[str, tuple[str, int]] = {}
        self.documents: dict[str, Document] = {}
        self.revision: date | None = None
        self.title: str | None = None
        self.process = Process.POA  # its [schedule] table's process, for its items
        self.suspect = suspect(text)

    def _scan(self) -> None:
        """Index the table headers once: (line, name) and, per name, their positions."""
        self._lines = self.text.split("\n")  # TOML counts lines by LF alone, not U+2028 or NEL
        heads: list[tuple[int, str]] = []
        by_name: dict[str, list[int]] = {}
        for n, line in enumerate(self._lines, 1):
            if line.lstrip().startswith("[") and (m := _HEADER.match(line)):
                by_name.setdefault(m.group(1), []).append(len(heads))
                heads.append((n, m.group(1)))
        self._headers, self._by_name = heads, by_name

    def line_of(
        self, table: str, index: int, sub: int | None = None, key: str | None = None
    ) -> int | None:
        """Best-effort line of table[index] (its sub-th decision) and its key."""
        if self._headers is None:
            self._scan()
        heads, starts = self._headers or [], self._by_name.get(table, [])
        if index >= len(starts):
            return None
        pos = starts[index]
        end = pos + 1
        while end < len(heads) and "." in heads[end][1]:
            end += 1
        if sub is not None:
            subs = [i for i in range(pos + 1, end) if heads[i][1] == f"{table}.decision"]
            if sub >= len(subs):
                return heads[pos][0]
            pos, end = subs[sub], subs[sub] + 1
        first = heads[pos][0]
        if key is None:
            return first
        last = heads[end][0] - 1 if end < len(heads) else len(self._lines)
        key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for n in range(first, last):
            if key_re.match(self._lines[n]):
                return n + 1
        return first


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, or None with the reason in `problems`."""
    from poacal.files import Unreadable, read_regular

    name = str(path)

    def fail(msg: str, hint: str = "", line: int | None = None) -> None:
        problems.append(Problem(file=name, line=line, where="", message=msg, hint=hint))

    try:
        raw = read_regular(path, MAX_BYTES, what="schedule file")
    except Unreadable as e:
        message = str(e).removeprefix(f"{name}: ")
        fail(message, "" if "larger" in message else "give the path of a .toml file")
        return None
    if raw is None:
        fail("no such file", "check the path, or unset POACAL_SCHEDULE to use the embedded one")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        fail(f"not UTF-8 text (byte 0x{raw[e.start]:02x})", "save the file as UTF-8", line)
        return None


def parse(path: Path, display: str, text: str, problems: list[Problem]) -> Parsed | None:
    """The file's TOML, or None with the syntax error (file, line, column) in `problems`."""
    import tomli

    def fail(message: str, hint: str, line: int | None = None) -> None:
        problems.append(Problem(file=display, line=line, where="", message=message, hint=hint))

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        msg = getattr(e, "msg", str(e))
        col = getattr(e, "colno", None)
        fail(
            f"TOML syntax error: {msg}" + (f" (column {col})" if col else ""),
            "see https://toml.io for the syntax",
            getattr(e, "lineno", None),
        )
        return None
    except RecursionError:
        fail(
            "TOML is nested too deeply",
            "a schedule is at most three tables deep: [[meeting]], [[meeting.decision]]",
        )
        return None
    return Parsed(path, display, text, data)
