"""Checking one schedule file against its vocabulary, and building the model objects of
whatever is well-formed. Every rule once; every problem with file, line, where in the
file, what was expected and a hint.

The fast path: a table whose keys are all known, of the exact types, with its required
keys, in a file where `tomlread.suspect` finds no text that could break a rule, is
taken as it is in one cheap pass. Both the pass and the full check read the same
declaration (vocabulary.py); tests/test_check.py shows that they agree.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from poacal.errors import Problem
from poacal.model import (
    YEARS,
    Confidence,
    DeadlineType,
    Document,
    Kind,
    MandateType,
    MeetingType,
    Process,
)
from poacal.tomlread import Parsed
from poacal.vocabulary import (
    DECISION_KEYS,
    DOCUMENT_KEYS,
    ITEM_KEYS,
    MAX_BLOCK,
    MAX_LINE,
    SCHEDULE_KEYS,
    SCHEMA,
    TOP_KEYS,
    Key,
)

ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
TYPES: dict[Kind, type[MeetingType] | type[DeadlineType] | type[MandateType]] = {
    Kind.MEETING: MeetingType,
    Kind.DEADLINE: DeadlineType,
    Kind.MANDATE: MandateType,
}


def valid_id(text: str) -> bool:
    """Lower-case letters, digits, '-' and '.', starting with a letter or digit."""
    return 0 < len(text) <= 64 and text[0] not in ".-" and set(text) <= ID_CHARS


# The exact Python types each declared type allows (bool is not an integer here, and a
# date-time is not a date).
PY_TYPES: dict[str, frozenset[type]] = {
    "date": frozenset({date}),
    "time": frozenset({time}),
    "boolean": frozenset({bool}),
    "integer": frozenset({int}),
    "array of strings": frozenset({list}),
    "array of tables": frozenset({list}),
}
STRING = frozenset({str})


class Spec:  # pragma: no mutate block
    """One table's declaration, as the checker uses it."""

    __slots__ = ("arrays", "exact", "keys", "multiline", "required")

    def __init__(self, keys: tuple[Key, ...]) -> None:
        self.keys = {k.name: k for k in keys}
        self.exact = {k.name: PY_TYPES.get(k.type, STRING) for k in keys}
        self.required = frozenset(k.name for k in keys if k.required)
        self.arrays = frozenset(k.name for k in keys if k.type == "array of strings")
        self.multiline = frozenset(k.name for k in keys if k.multiline)


SCHEDULE, DOCUMENT, ITEM, DECISION = map(
    Spec, (SCHEDULE_KEYS, DOCUMENT_KEYS, ITEM_KEYS, DECISION_KEYS)
)


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, datetime):
        return f"date-time {value.isoformat()}"
    if isinstance(value, date):
        return f"date {value.isoformat()}"
    if isinstance(value, int | float):
        return f"number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'string "{shown}"'
    if isinstance(value, list):
        return "array"
    return "table"


def valid(value: Any, key: Key) -> bool:
    """The exact-type rule of the fast path, plus the contents of a list of strings."""
    if type(value) not in PY_TYPES.get(key.type, STRING):
        return False
    return key.type != "array of strings" or all(type(v) is str for v in value)


class At:
    """A table in the file: how messages name it, and where its keys are."""

    __slots__ = ("index", "parsed", "sub", "table", "where")

    def __init__(
        self, parsed: Parsed, table: str, index: int, where: str, sub: int | None = None
    ) -> None:
        self.parsed, self.table, self.index, self.where, self.sub = (
            parsed,
            table,
            index,
            where,
            sub,
        )

    def line(self, key: str | None = None) -> int | None:
        return self.parsed.line_of(self.table, self.index, sub=self.sub, key=key)


class Checker:
    """The checks of one file; builds model objects for whatever is well-formed."""

    def __init__(self, parsed: Parsed, problems: list[Problem], base: bool) -> None:
        self.parsed, self.problems, self.base = parsed, problems, base

    def add(self, at: At | None, key: str | None, message: str, hint: str = "") -> None:
        """A problem at `key` of `at` (the table's own line when key is None)."""
        line = at.line(key) if at is not None else None
        where = at.where if at is not None else key or ""
        self.problems.append(
            Problem(file=self.parsed.name, line=line, where=where, message=message, hint=hint)
        )

    def run(self) -> None:
        data = self.parsed.data
        for key in data:
            if key not in TOP_KEYS:
                self.unknown(key, TOP_KEYS, None, None)
        sched = data.get("schedule")
        if sched is None and self.base:
            self.problems.append(
                Problem(
                    file=self.parsed.name,
                    line=None,
                    where="[schedule]",
                    message="missing table",
                    no_schedule_table=True,
                    hint="add [schedule] with revision = YYYY-MM-DD, "
                    "the date the data was last checked",
                )
            )
        elif isinstance(sched, dict):
            self.schedule(sched)
        elif sched is not None:
            self.add(None, "schedule", "expected a table [schedule]")
        for i, doc in enumerate(self.array(data, "document")):
            self.document(i, doc)

    def schedule(self, sched: dict[str, Any]) -> None:
        at = At(self.parsed, "schedule", 0, "[schedule]")
        ok = self.shape(sched, SCHEDULE, at)
        self.in_range(sched, ("revision",), at)
        rev = sched.get("revision")
        self.parsed.revision = rev if type(rev) is date else None
        if type(sched.get("title")) is str and ok:
            self.parsed.title = sched["title"]
        if "process" in sched:
            process = self.enum(Process, sched["process"], at, "process")
            self.parsed.process = process or self.parsed.process
        if type(sched.get("schema")) is int and sched["schema"] != SCHEMA:
            self.add(
                at,
                "schema",
                f"schema: {type_name(sched['schema'])} is not supported",
                f"this poacal reads schema {SCHEMA}",
            )

    def array(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problems.append(
                Problem(
                    file=self.parsed.name,
                    line=self.parsed.line_of(key, 0),
                    where=key,
                    message="expected an array of tables",
                    hint=f"write each entry under its own [[{key}]] header",
                )
            )
            return []
        return value

    def unknown(self, key: str, known: Any, at: At | None, line_key: str | None) -> None:
        import difflib

        close = difflib.get_close_matches(key, list(known), n=1)
        if close:
            hint = f'did you mean "{close[0]}"?'
        elif known is ITEM.keys and (near := difflib.get_close_matches(key, DECISION.keys, n=1)):
            hint = f'did you mean "{near[0]}"? It belongs in a decision, under [[... .decision]]'
        else:
            hint = "known keys: " + ", ".join(sorted(known))
        if at is None:
            self.add(None, "top level", f'unknown key "{key}"', hint)
        else:
            self.add(at, line_key, f'unknown key "{key}"', hint)

    def in_range(self, table: dict[str, Any], keys: tuple[str, ...], at: At) -> bool:
        """Dates within the years poacal can count with (YEARS), so no arithmetic on them
        can leave the calendar."""
        ok = True
        for key in keys:
            value = table.get(key)
            if type(value) is date and not YEARS[0] <= value.year <= YEARS[1]:
                self.add(
                    at,
                    key,
                    f"{key}: {value.isoformat()} is out of range",
                    f"expected a date from {YEARS[0]} to {YEARS[1]}",
                )
                ok = False
        return ok

    def shape(self, table: dict[str, Any], spec: Spec, at: At) -> bool:
        """Keys known, required keys present, values of the right type, text that is
        plain and of sane length; reports each problem. The common case (a well-formed
        table in a file without suspect text) takes one cheap pass."""
        ok = self.types(table, spec, at)
        if self.parsed.suspect:
            ok = self.texts(table, spec, at) and ok
        return ok

    def types(self, table: dict[str, Any], spec: Spec, at: At) -> bool:
        exact, arrays = spec.exact, spec.arrays
        for key, value in table.items():
            allowed = exact.get(key)
            if allowed is None or type(value) not in allowed:
                break
            if key in arrays and any(type(v) is not str for v in value):
                break
        else:
            if spec.required <= table.keys():
                return True
        before = len(self.problems)
        for key in table:
            if key not in spec.keys:
                self.unknown(key, spec.keys, at, key)
        for declared in spec.keys.values():
            if declared.required and declared.name not in table:
                expected = declared.toml_type
                self.add(at, None, f'missing key "{declared.name}"', f"expected {expected}")
        for key, declared in spec.keys.items():
            if key in table and not valid(table[key], declared):
                self.wrong_type(table[key], declared, at)
        return len(self.problems) == before

    def wrong_type(self, value: Any, key: Key, at: At) -> None:
        expected, name = key.type, key.name
        hint = ""
        if expected == "date" and isinstance(value, str):
            hint = f"write the date without quotes: {name} = {value}"
        elif expected == "date" and isinstance(value, datetime):
            hint = "give a date without a time of day"
        elif expected == "time":
            hint = f"write a local time without quotes or date: {name} = 10:00:00"
        elif expected == "string" and type(value) is int and name == "paragraph":
            hint = f'quote it: paragraph = "{value}"'
        self.add(at, name, f"{name}: expected {key.toml_type}, got {type_name(value)}", hint)

    def texts(self, table: dict[str, Any], spec: Spec, at: At) -> bool:
        """No control characters in one-line fields (title, name, code, url, symbol...),
        none but newline and tab in descriptions and notes; lengths within limits."""
        from poacal.text import control_chars

        ok = True
        for key, value in table.items():
            values = value if key in spec.arrays and type(value) is list else [value]
            multiline = key in spec.multiline
            limit = MAX_BLOCK if multiline else MAX_LINE
            for v in values:
                if type(v) is not str:
                    continue
                bad = control_chars(v, multiline)
                if bad is not None:
                    self.add(
                        at,
                        key,
                        f"{key}: contains a control character ({bad})",
                        "remove it"
                        + ("" if multiline else "; this field is one line of plain text"),
                    )
                    ok = False
                elif len(v) > limit:
                    self.add(
                        at,
                        key,
                        f"{key}: {len(v):,} characters is too long",
                        f"at most {limit:,} characters",
                    )
                    ok = False
        return ok

    def enum(self, cls: Any, value: Any, at: At, key: str) -> Any:
        if not isinstance(value, str):
            return None
        # The enum's own value table: a plain dict lookup, without Enum.__call__'s overhead.
        member = cls._value2member_map_.get(value)
        if member is None:
            allowed = ", ".join(m.value for m in cls)
            self.add(at, key, f'{key}: "{value}" is not one of: {allowed}')
        return member

    def document(self, i: int, doc: dict[str, Any]) -> None:
        did = doc.get("id")
        where = f'document "{did}"' if isinstance(did, str) else f"document #{i + 1}"
        at = At(self.parsed, "document", i, where)
        ok = self.shape(doc, DOCUMENT, at)
        ok = self.in_range(doc, ("adopted",), at) and ok
        conf = self.enum(Confidence, doc.get("confidence", "confirmed"), at, "confidence")
        if not ok or conf is None or not isinstance(did, str):
            return
        if did in self.parsed.documents:
            self.add(at, "id", "duplicate document id", "each document id must be unique")
            return
        if not str(doc["url"]).startswith(("https://", "http://", "file:", "internal:")):
            self.add(
                at,
                "url",
                f'url: expected a link, got "{doc["url"]}"',
                "use https://undocs.org/SYMBOL for UN documents, or internal: for a note",
            )
        from poacal.languages import LANGUAGES, default_languages

        langs = doc.get("languages")
        if langs is not None:
            wrong = [code for code in langs if code not in LANGUAGES]
            if wrong or not langs:
                self.add(
                    at,
                    "languages",
                    f"languages: {', '.join(repr(c) for c in wrong) or 'empty'} is not a list "
                    f"of UN language codes",
                    f"use some of: {', '.join(LANGUAGES)}",
                )
                return
        self.parsed.documents[did] = Document(
            id=did,
            title=doc["title"],
            url=doc["url"],
            symbol=doc.get("symbol"),
            adopted=doc.get("adopted"),
            publisher=doc.get("publisher"),
            confidence=conf,
            note=doc.get("note"),
            languages=tuple(c for c in LANGUAGES if c in langs)
            if langs is not None
            else default_languages(doc["url"], doc.get("symbol")),
        )
