"""schedule.toml -> Schedule. Every check, and every message a user sees about bad data.

The loader never stops at the first problem: it collects them all, each with the file,
the line (or the item id and key path), what was expected and a hint, and raises one
ScheduleError. Only this module reads TOML.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from poacal.errors import Problem, ScheduleError
from poacal.model import (
    STATUSES,
    YEARS,
    Confidence,
    DeadlineType,
    Decision,
    Document,
    Item,
    Kind,
    MandateType,
    MeetingType,
    Precision,
    Schedule,
    Status,
    When,
    cycle_years,
)

MAX_BYTES = 16 * 1024 * 1024
MAX_SUGGESTIONS = 20  # "did you mean" hints for unknown references, per load
SCHEMA = 1
ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def valid_id(text: str) -> bool:
    """Lower-case letters, digits, '-' and '.', starting with a letter or digit."""
    return 0 < len(text) <= 64 and text[0] not in ".-" and set(text) <= ID_CHARS


TYPES: dict[Kind, type[MeetingType] | type[DeadlineType] | type[MandateType]] = {
    Kind.MEETING: MeetingType,
    Kind.DEADLINE: DeadlineType,
    Kind.MANDATE: MandateType,
}

# The declarative spec of the file format: key -> (expected type name, required).
# docs/data-format.md describes the same keys; a test keeps the two in step.
SCHEDULE_KEYS = {
    "revision": ("date", True),
    "title": ("string", False),
    "schema": ("integer", False),
}
DOCUMENT_KEYS = {
    "id": ("string", True),
    "title": ("string", True),
    "url": ("string", True),
    "symbol": ("string", False),
    "adopted": ("date", False),
    "publisher": ("string", False),
    "confidence": ("confidence", False),
    "note": ("string", False),
    "languages": ("array of strings", False),
}
ITEM_KEYS = {
    "id": ("id", True),
    "type": ("type", False),
    "code": ("string", False),
    "name": ("string", False),
    "cycle": ("cycle", False),
    "serves": ("id", False),
    "addressee": ("string", False),
    "description": ("string", False),
    "override": ("boolean", False),
    "extend": ("boolean", False),
    "remind": ("array of strings", False),
    "due": ("date", False),
    "start": ("date", False),
    "end": ("date", False),
    "decision": ("array of tables", False),
}
# The short form of a user's own item: its dates on the item itself, no decision.
SHORT_KEYS = ("due", "start", "end")
_SHORT = frozenset(SHORT_KEYS)
_LONG_FORM = frozenset({"type", "code", "name", "decision"})
DECISION_KEYS = {
    "taken": ("date", False),
    "taken_exact": ("boolean", False),
    "source": ("string", True),
    "paragraph": ("string", False),
    "also": ("array of strings", False),
    "confidence": ("confidence", True),
    "note": ("string", False),
    "status": ("status", False),
    "start": ("date", False),
    "end": ("date", False),
    "due": ("date", False),
    "year": ("integer", False),
    "month": ("integer", False),
    "early": ("boolean", False),
    "length": ("string", False),
    "due_at": ("id", False),
    "venue": ("string", False),
    "format": ("string", False),
    "chair": ("string", False),
    "chair_role": ("string", False),
    "outcome": ("string", False),
    "opens": ("time", False),
    "closes": ("time", False),
    "timezone": ("string", False),
}
TOP_KEYS = {"schedule", "document", "meeting", "deadline", "mandate"}

# For the fast path: the exact Python types each expected type allows (bool is not an
# integer here, and a date-time is not a date), and the required keys of each table.
PY_TYPES: dict[str, frozenset[type]] = {
    "date": frozenset({date}),
    "time": frozenset({time}),
    "boolean": frozenset({bool}),
    "integer": frozenset({int}),
    "array of strings": frozenset({list}),
    "array of tables": frozenset({list}),
}
STRING = frozenset({str})
SPECS = (SCHEDULE_KEYS, DOCUMENT_KEYS, ITEM_KEYS, DECISION_KEYS)
EXACT = {id(spec): {k: PY_TYPES.get(t, STRING) for k, (t, _) in spec.items()} for spec in SPECS}
REQUIRED = {id(spec): frozenset(k for k, (_, r) in spec.items() if r) for spec in SPECS}
DATE_KEYS = ("start", "end", "due", "year", "month", "early", "opens", "closes", "timezone")
UN_HEADQUARTERS_TZ = "America/New_York"
# Text limits: one-line fields (names, codes, titles, URLs) and multi-line ones.
MULTILINE_KEYS = frozenset({"description", "note", "outcome"})
MAX_LINE = 500
MAX_BLOCK = 10_000
# A file with none of these cannot hold a control character, a bidirectional override
# or an over-long one-line string, so its strings need no scan one by one. Each test is
# one pass in C over the text; together they take a few milliseconds at 10,000 items.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPE = re.compile(r'\\[^"]')


def _suspect(text: str) -> bool:
    return bool(
        _CONTROL.search(text)
        or ("\\" in text and _ESCAPE.search(text))
        or '"""' in text
        or "'''" in text
        or (len(text) > MAX_LINE and max(map(len, text.split("\n"))) > MAX_LINE)
    )


_TZ_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9][A-Za-z0-9_+\-]*){1,2}|UTC", re.ASCII)
_TZ_NOT_ZONES = ("posix/", "right/", "Etc/Unknown")


def valid_timezone(name: str) -> bool:
    """An IANA zone such as "Europe/Zurich" (or "UTC"): not a folder of the zone
    database, not its "posix/" and "right/" copies, not a file such as "Factory"."""
    import zoneinfo

    if len(name) > 64 or not _TZ_NAME.fullmatch(name) or name.startswith(_TZ_NOT_ZONES):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def embedded_path() -> Path:
    """The schedule that ships with poacal: inside the wheel, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "schedule.toml"
    return packaged if packaged.is_file() else here.parent / "schedule.toml"


EMBEDDED = "embedded"
_REVISION = re.compile(rb"^\s*revision\s*=\s*([0-9]{4}-[0-9]{2}-[0-9]{2})", re.MULTILINE)


def file_revision(path: Path) -> date:
    """A schedule file's revision from its first lines, without parsing it all."""
    try:
        with path.open("rb") as fh:
            m = _REVISION.search(fh.read(8192))
        return date.fromisoformat(m.group(1).decode()) if m else date.min
    except (OSError, ValueError):
        return date.min


def base_path() -> Path:
    """The schedule in use: the embedded one, or the one `poacal update` installed if the
    revision it recorded is newer (or the user forced it). One stat when there is none."""
    from poacal.installed import fetched_in_use

    embedded = embedded_path()
    return fetched_in_use(lambda: file_revision(embedded)) or embedded


def base_revision() -> date:
    """The revision of the schedule in use: for an installed one, the revision its full
    parse read when `poacal update` checked it (never a guess from its first lines)."""
    from poacal.installed import record

    path = base_path()
    got = record() if path != embedded_path() else None
    return date.fromisoformat(got.revision) if got else file_revision(path)


def data_source() -> str:
    """Where the schedule in use came from, in words, for --version, validate and the
    dashboard's footer."""
    from poacal.installed import record

    if base_path() == embedded_path():
        return "the schedule shipped with poacal"
    got = record()
    where = f" from {got.url} on {got.fetched[:10]}" if got else ""
    if got is not None and got.forced:
        return f"a schedule fetched by `poacal update --force`{where}"
    return f"a newer schedule fetched by `poacal update`{where}"


def default_paths(personal: bool = True) -> list[Path]:
    """$POACAL_SCHEDULE if set; else the embedded schedule, with the user's own schedule
    file merged over it if there is one and `personal` (feeds and the site leave it out:
    nothing publishes a delegation's own items unless asked)."""
    env = os.environ.get("POACAL_SCHEDULE")
    if env:
        paths = resolve([p for p in env.split(os.pathsep) if p])
        if not paths:
            from poacal.errors import UsageError

            raise UsageError(f"POACAL_SCHEDULE={env!r} names no file; unset it or name one")
        return paths
    user = user_path()
    base = base_path()
    return [base, user] if personal and os.path.isfile(user) else [base]


def without_own(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """`paths` less the user's own schedule file, however it was named (a symlink, a
    hard link, POACAL_SCHEDULE, --schedule), and what was left out: what is published
    never holds a delegation's own items unless they ask (--personal)."""
    own = user_path()
    if not os.path.isfile(own):
        return list(paths), []
    kept: list[Path] = []
    dropped: list[Path] = []
    for p in paths:
        try:
            mine = os.path.samefile(p, own)
        except OSError:
            mine = False
        (dropped if mine else kept).append(p)
    return kept or [base_path()], dropped


def user_path() -> Path:
    from poacal.paths import config_path

    return config_path()


def resolve(names: Sequence[str | Path]) -> list[Path]:
    """Paths as given, with the word 'embedded' standing for poacal's own schedule (the
    shipped one, or a newer one `poacal update` fetched)."""
    return [base_path() if str(n) == EMBEDDED else Path(n) for n in names]


def load_schedule(*paths: Path, texts: dict[Path, str] | None = None) -> Schedule:
    """Load one schedule, or merge several: later files add items and may override ids.
    `texts` gives the content of some paths instead of reading them (`add` checks a
    file's new content before writing it)."""
    paths = paths or tuple(default_paths())
    problems: list[Problem] = []
    given = texts or {}
    loaded = [
        x
        for x in (
            _load_one(p, problems, base=n == 0, text=given.get(p)) for n, p in enumerate(paths)
        )
        if x is not None
    ]
    _check_refs(loaded, problems)
    schedule = _merge(loaded, problems)
    if problems:
        order = {str(p): n for n, p in enumerate(paths)}
        problems.sort(key=lambda p: (order.get(p.file, 0), p.file, p.line or 0))
        raise ScheduleError(problems)
    return schedule


class _Raw:
    """A parsed file with what is needed to point at its lines."""

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
        self.suspect = _suspect(text)

    def _scan(self) -> None:
        """Index the table headers once: (line, name) and, per name, their positions."""
        pattern = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
        self._lines = self.text.split("\n")  # TOML counts lines by LF alone, not U+2028 or NEL
        heads: list[tuple[int, str]] = []
        by_name: dict[str, list[int]] = {}
        for n, line in enumerate(self._lines, 1):
            if line.lstrip().startswith("[") and (m := pattern.match(line)):
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


def _read(path: Path, problems: list[Problem]) -> str | None:
    from poacal.files import Unreadable, read_regular

    name = str(path)

    def fail(msg: str, hint: str = "") -> None:
        problems.append(Problem(file=name, line=None, where="", message=msg, hint=hint))

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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(
            Problem(
                file=name,
                line=line,
                where="",
                message=f"not UTF-8 text (byte 0x{raw[e.start]:02x})",
                hint="save the file as UTF-8",
            )
        )
        return None
    return text


def _load_one(
    path: Path, problems: list[Problem], base: bool = True, text: str | None = None
) -> _Raw | None:
    if text is None:
        text = _read(path, problems)
    if text is None:
        return None
    import tomli

    display = path.name if path.resolve() == base_path().resolve() else str(path)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as e:
        msg = getattr(e, "msg", str(e))
        col = getattr(e, "colno", None)
        problems.append(
            Problem(
                file=display,
                line=getattr(e, "lineno", None),
                where="",
                message=f"TOML syntax error: {msg}" + (f" (column {col})" if col else ""),
                hint="see https://toml.io for the syntax",
            )
        )
        return None
    except RecursionError:
        problems.append(
            Problem(
                file=display,
                line=None,
                where="",
                message="TOML is nested too deeply",
                hint="a schedule is at most three tables deep: [[meeting]], [[meeting.decision]]",
            )
        )
        return None
    raw = _Raw(path, display, text, data)
    _Checker(raw, problems, base).run()
    return raw


class _Checker:
    """Shape checks for one file; builds model objects for whatever is well-formed."""

    def __init__(self, raw: _Raw, problems: list[Problem], base: bool = True) -> None:
        self.raw, self.problems, self.base = raw, problems, base

    def add(self, line: int | None, where: str, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(file=self.raw.name, line=line, where=where, message=message, hint=hint)
        )

    def run(self) -> None:
        data = self.raw.data
        for key in data:
            if key not in TOP_KEYS:
                self.unknown(key, TOP_KEYS, None, "top level")
        sched = data.get("schedule")
        if sched is None and self.base:
            self.add(
                None,
                "[schedule]",
                "missing table",
                "add [schedule] with revision = YYYY-MM-DD, the date the data was last checked",
            )
        elif isinstance(sched, dict):

            def sline(k: str | None = None) -> int | None:
                return self.raw.line_of("schedule", 0, key=k)

            self.shape(sched, SCHEDULE_KEYS, "[schedule]", sline)
            self.dates_in_range(sched, ("revision",), "[schedule]", sline)
            rev = sched.get("revision")
            self.raw.revision = rev if type(rev) is date else None
            if type(sched.get("title")) is str and not self.problems_in("[schedule]"):
                self.raw.title = sched["title"]
            if type(sched.get("schema")) is int and sched["schema"] != SCHEMA:
                self.add(
                    sline("schema"),
                    "[schedule]",
                    f"schema: {_type_name(sched['schema'])} is not supported",
                    f"this poacal reads schema {SCHEMA}",
                )
        elif sched is not None:
            self.add(None, "schedule", "expected a table [schedule]")
        for i, doc in enumerate(self.array(data, "document")):
            self.document(i, doc)
        for kind in Kind:
            for i, item in enumerate(self.array(data, kind)):
                self.item(kind, i, item)

    def array(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(
                self.raw.line_of(key, 0),
                key,
                "expected an array of tables",
                f"write each entry under its own [[{key}]] header",
            )
            return []
        return value

    def unknown(self, key: str, known: Any, line: int | None, where: str) -> None:
        import difflib

        close = difflib.get_close_matches(key, list(known), n=1)
        if close:
            hint = f'did you mean "{close[0]}"?'
        elif known is ITEM_KEYS and (
            near := difflib.get_close_matches(key, list(DECISION_KEYS), n=1)
        ):
            hint = f'did you mean "{near[0]}"? It belongs in a decision, under [[... .decision]]'
        else:
            hint = "known keys: " + ", ".join(sorted(known))
        self.add(line, where, f'unknown key "{key}"', hint)

    def dates_in_range(
        self,
        table: dict[str, Any],
        keys: tuple[str, ...],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> bool:
        """Dates within the years poacal can count with (YEARS), so no arithmetic on them
        can leave the calendar."""
        ok = True
        for key in keys:
            value = table.get(key)
            if type(value) is date and not YEARS[0] <= value.year <= YEARS[1]:
                self.add(
                    line(key),
                    where,
                    f"{key}: {value.isoformat()} is out of range",
                    f"expected a date from {YEARS[0]} to {YEARS[1]}",
                )
                ok = False
        return ok

    def problems_in(self, where: str) -> bool:
        return any(p.where == where and p.file == self.raw.name for p in self.problems)

    def shape(
        self,
        table: dict[str, Any],
        spec: dict[str, tuple[str, bool]],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> bool:
        """Keys known, required keys present, values of the right type, text that is
        plain and of sane length; reports each problem. The common case (a well-formed
        table in a file without suspect text) takes one cheap pass."""
        ok = self.types(table, spec, where, line)
        if self.raw.suspect:
            ok = self.texts(table, where, line) and ok
        return ok

    def types(
        self,
        table: dict[str, Any],
        spec: dict[str, tuple[str, bool]],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> bool:
        exact = EXACT[id(spec)]
        for key, value in table.items():
            allowed = exact.get(key)
            if allowed is None or type(value) not in allowed:
                break
            if key == "also" and any(type(v) is not str for v in value):
                break
        else:
            if REQUIRED[id(spec)] <= table.keys():
                return True
        before = len(self.problems)
        self.check_keys(table, spec, where, line)
        for key, (expected, _) in spec.items():
            if key in table:
                self.typed(table[key], expected, where, key, lambda k=key: line(k))  # type: ignore[misc]
        return len(self.problems) == before

    def texts(
        self, table: dict[str, Any], where: str, line: Callable[[str | None], int | None]
    ) -> bool:
        """No control characters in one-line fields (title, name, code, url, symbol...),
        none but newline and tab in descriptions and notes; lengths within limits."""
        from poacal.text import control_chars

        ok = True
        for key, value in table.items():
            values = value if key == "also" and type(value) is list else [value]
            multiline = key in MULTILINE_KEYS
            limit = MAX_BLOCK if multiline else MAX_LINE
            for v in values:
                if type(v) is not str:
                    continue
                bad = control_chars(v, multiline)
                if bad is not None:
                    self.add(
                        line(key),
                        where,
                        f"{key}: contains a control character ({bad})",
                        "remove it"
                        + ("" if multiline else "; this field is one line of plain text"),
                    )
                    ok = False
                elif len(v) > limit:
                    self.add(
                        line(key),
                        where,
                        f"{key}: {len(v):,} characters is too long",
                        f"at most {limit:,} characters",
                    )
                    ok = False
        return ok

    def check_keys(
        self,
        table: dict[str, Any],
        spec: dict[str, tuple[str, bool]],
        where: str,
        line: Callable[[str | None], int | None],
    ) -> None:
        for key in table:
            if key not in spec:
                self.unknown(key, spec, line(key), where)
        for key, (expected, required) in spec.items():
            if required and key not in table:
                self.add(line(None), where, f'missing key "{key}"', f"expected {_shown(expected)}")

    @staticmethod
    def valid(value: Any, expected: str) -> bool:
        """The same exact-type rule as the fast path (PY_TYPES), plus list contents."""
        if type(value) not in PY_TYPES.get(expected, STRING):
            return False
        return expected != "array of strings" or all(type(v) is str for v in value)

    def typed(
        self, value: Any, expected: str, where: str, key: str, line: Callable[[], int | None]
    ) -> bool:
        """Check one value against its expected type; report and return False if wrong."""
        if value is None:
            return False
        if self.valid(value, expected):
            return True
        got = _type_name(value)
        hint = ""
        if expected == "date" and isinstance(value, str):
            hint = f"write the date without quotes: {key} = {value}"
        elif expected == "date" and isinstance(value, datetime):
            hint = "give a date without a time of day"
        elif expected == "time":
            hint = f"write a local time without quotes or date: {key} = 10:00:00"
        elif expected == "string" and isinstance(value, int) and key == "paragraph":
            hint = f'quote it: paragraph = "{value}"'
        self.add(line(), where, f"{key}: expected {_shown(expected)}, got {got}", hint)
        return False

    def document(self, i: int, doc: dict[str, Any]) -> None:
        did = doc.get("id")
        where = f'document "{did}"' if isinstance(did, str) else f"document #{i + 1}"

        def line(k: str | None = None) -> int | None:
            return self.raw.line_of("document", i, key=k)

        ok = self.shape(doc, DOCUMENT_KEYS, where, line)
        ok = self.dates_in_range(doc, ("adopted",), where, line) and ok
        conf = self.enum(Confidence, doc.get("confidence", "confirmed"), where, "confidence", line)
        if not ok or conf is None or not all(k in doc for k, (_, r) in DOCUMENT_KEYS.items() if r):
            return
        if not isinstance(did, str):
            return
        if did in self.raw.documents:
            self.add(line("id"), where, "duplicate document id", "each document id must be unique")
            return
        if not str(doc["url"]).startswith(("https://", "http://", "file:", "internal:")):
            self.add(
                line("url"),
                where,
                f'url: expected a link, got "{doc["url"]}"',
                "use https://undocs.org/SYMBOL for UN documents, or internal: for a note",
            )
        from poacal.languages import LANGUAGES, default_languages

        langs = doc.get("languages")
        if langs is not None:
            wrong = [code for code in langs if code not in LANGUAGES]
            if wrong or not langs:
                self.add(
                    line("languages"),
                    where,
                    f"languages: {', '.join(repr(c) for c in wrong) or 'empty'} is not a list "
                    f"of UN language codes",
                    f"use some of: {', '.join(LANGUAGES)}",
                )
                return
        self.raw.documents[did] = Document(
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

    def enum(
        self, cls: Any, value: Any, where: str, key: str, line: Callable[[str], int | None]
    ) -> Any:
        if not isinstance(value, str):
            return None
        # The enum's own value table: a plain dict lookup, without Enum.__call__'s overhead.
        member = cls._value2member_map_.get(value)
        if member is None:
            allowed = ", ".join(m.value for m in cls)
            self.add(line(key), where, f'{key}: "{value}" is not one of: {allowed}')
        return member

    def item(self, kind: Kind, i: int, raw: dict[str, Any]) -> None:
        iid = raw.get("id")
        where = f'{kind} "{iid}"' if isinstance(iid, str) else f"{kind} #{i + 1}"

        def line(k: str | None = None) -> int | None:
            return self.raw.line_of(kind, i, key=k)

        before = len(self.problems)
        if isinstance(iid, str):
            if iid in self.raw.ids:
                first_kind, first_index = self.raw.ids[iid]
                first = self.raw.line_of(first_kind, first_index, key="id")
                self.add(
                    line("id"),
                    where,
                    f"duplicate id (first used at line {first})" if first else "duplicate id",
                    "each id must be unique",
                )
            else:
                self.raw.ids[iid] = (kind, i)
        self.shape(raw, ITEM_KEYS, where, line)
        if isinstance(iid, str) and not valid_id(iid):
            self.add(
                line("id"),
                where,
                "id: expected lower-case letters, digits, '-' or '.'",
                'for example "bms7" or "reports-2026"',
            )
        extend = raw.get("extend") is True
        short = [k for k in SHORT_KEYS if k in raw] if _SHORT & raw.keys() else []
        if short or extend or not raw.keys() >= _LONG_FORM:
            self.item_form(kind, raw, where, line, short, extend)
        itype = (
            self.enum(TYPES[kind], raw["type"], where, "type", line)
            if "type" in raw
            else TYPES[kind]("internal")
            if (short or extend) and kind is not Kind.MANDATE
            else None
        )
        cycle = raw.get("cycle")
        if isinstance(cycle, str) and cycle_years(cycle) is None:
            self.add(
                line("cycle"),
                where,
                f'cycle: expected "YYYY-YYYY", got "{cycle}"',
                'for example cycle = "2024-2030"',
            )
        if "addressee" in raw and kind is not Kind.MANDATE:
            self.add(line("addressee"), where, "addressee: only mandates have an addressee")
        remind: tuple[int, ...] = ()
        if isinstance(raw.get("remind"), list):
            from poacal.windows import lead_days

            leads = [lead_days(t) if isinstance(t, str) else None for t in raw["remind"]]
            bad = [t for t, d in zip(raw["remind"], leads, strict=True) if d is None]
            if bad or not leads:
                self.add(
                    line("remind"),
                    where,
                    f"remind: cannot read {bad[0]!r}" if bad else "remind: the list is empty",
                    'give days or weeks before the date, e.g. remind = ["42d", "7d"] or ["6w"]',
                )
            else:
                remind = tuple(sorted({d for d in leads if d is not None}, reverse=True))
        decisions = []
        raw_decisions = raw.get("decision")
        if isinstance(raw_decisions, list):
            if not raw_decisions:
                self.add(
                    line("decision"),
                    where,
                    "no decisions",
                    "every item needs at least one [[" + kind + ".decision]] with its source",
                )
            for j, d in enumerate(raw_decisions):
                dec = self.decision(kind, i, j, d, where) if isinstance(d, dict) else None
                if dec is None and not isinstance(d, dict):
                    self.add(line("decision"), where, "decision: expected a table")
                decisions.append(dec)
            taken = [d.taken for d in decisions if d and d.taken]
            if taken != sorted(taken):
                self.add(
                    line("decision"),
                    where,
                    "decisions are not in date order",
                    "list them oldest first, by taken",
                )
        if short and len(self.problems) == before:
            self.dates_in_range(raw, SHORT_KEYS, where, line)
            when = self.when(kind, {k: raw[k] for k in short}, where, line)
            if when is not None:
                # The user's own item: its source is the user's file, its confidence "own".
                own = Decision(source=self.raw.path.name, confidence=Confidence.OWN, when=when)
                decisions.append(own)
        if len(self.problems) > before or itype is None or not isinstance(iid, str):
            return
        self.raw.items.append(
            (
                Item(
                    id=iid,
                    kind=kind,
                    type=itype.value,
                    code=raw.get("code", iid),
                    name=raw.get("name", iid),
                    cycle=cycle,
                    serves=raw.get("serves"),
                    addressee=raw.get("addressee"),
                    description=raw.get("description"),
                    decisions=tuple(d for d in decisions if d),
                    origin=self.raw.path.name,
                    remind=remind,
                ),
                "override" if raw.get("override") else "extend" if extend else "",
                i,
            )
        )

    def item_form(
        self,
        kind: Kind,
        raw: dict[str, Any],
        where: str,
        line: Callable[[str | None], int | None],
        short: list[str],
        extend: bool,
    ) -> None:
        """The long form needs type, code, name and decisions; the short form (a user's
        own item) needs only a name and its dates; `extend` only decisions to add."""
        if short and "decision" in raw:
            self.add(
                line(short[0]),
                where,
                f"{short[0]}: give the dates on the item or in decisions, not both",
                "the short form (due = ... on the item) is for your own items",
            )
            return
        if short and kind is Kind.MANDATE:
            self.add(
                line(short[0]),
                where,
                f"{short[0]}: a mandate needs decisions with their sources",
                "the short form is for your own deadlines and meetings",
            )
            return
        if extend and raw.get("override"):
            self.add(line("extend"), where, "extend: conflicts with override", "keep one")
        needed = ["decision"] if extend else ["name"] if short else ["type", "code", "name"]
        if not short and not extend:
            needed.append("decision")
        for key in needed:
            if key not in raw:
                hint = f"expected {_shown(ITEM_KEYS[key][0])}"
                if key == "decision" and kind is not Kind.MANDATE:
                    hint += "; for your own item, give its dates directly: " + (
                        "due = YYYY-MM-DD" if kind is Kind.DEADLINE else "start = ..., end = ..."
                    )
                self.add(line(None), where, f'missing key "{key}"', hint)

    def decision(
        self, kind: Kind, i: int, j: int, d: dict[str, Any], item_where: str
    ) -> Decision | None:
        where = f"{item_where}, decision {j + 1}"

        def line(k: str | None = None) -> int | None:
            return self.raw.line_of(kind, i, sub=j, key=k)

        before = len(self.problems)
        well_typed = self.shape(d, DECISION_KEYS, where, line)
        self.dates_in_range(d, ("taken", "start", "end", "due"), where, line)
        conf = self.enum(Confidence, d.get("confidence"), where, "confidence", line)
        status = (
            self.enum(Status, d.get("status"), where, "status", line) if "status" in d else None
        )
        if status is not None and status not in STATUSES[kind]:
            allowed = ", ".join(sorted(s.value for s in STATUSES[kind]))
            self.add(
                line("status"),
                where,
                f'status: "{status.value}" is not a {kind} status',
                f"use one of: {allowed}",
            )
        dates_typed = well_typed or all(
            self.valid(d[k], DECISION_KEYS[k][0]) for k in (*DATE_KEYS, "due_at") if k in d
        )
        when = self.when(kind, d, where, line) if dates_typed else None
        if len(self.problems) > before:
            return None
        return Decision(
            taken=d.get("taken"),
            taken_exact=d.get("taken_exact", True),
            source=d["source"],
            paragraph=d.get("paragraph"),
            also=tuple(d.get("also", ())),
            confidence=conf,
            note=d.get("note"),
            when=when,
            due_at=d.get("due_at"),
            status=status,
            venue=d.get("venue"),
            format=d.get("format"),
            chair=d.get("chair"),
            chair_role=d.get("chair_role"),
            outcome=d.get("outcome"),
        )

    def hours(
        self, d: dict[str, Any], where: str, line: Callable[[str | None], int | None]
    ) -> tuple[time | None, time | None, str | None] | None:
        """A meeting's session hours, if given: opens, closes and their time zone."""
        if "opens" not in d and "closes" not in d and "timezone" not in d:
            return None, None, None
        if "opens" not in d or "closes" not in d:
            missing = "closes" if "opens" in d else "opens"
            self.add(
                line("opens" if "opens" in d else "closes"),
                where,
                f'missing key "{missing}"',
                "session hours need both opens and closes",
            )
            return None
        opens, closes = d["opens"], d["closes"]
        if d["start"] == d["end"] and closes <= opens:
            self.add(line("closes"), where, f"closes {closes} is not after opens {opens}")
            return None
        tz = d.get("timezone", UN_HEADQUARTERS_TZ)
        if not valid_timezone(tz):
            self.add(
                line("timezone"),
                where,
                f'timezone: "{tz}" is not a known time zone',
                'use an IANA name such as "America/New_York" or "Europe/Zurich"',
            )
            return None
        return opens, closes, tz

    def when(
        self, kind: Kind, d: dict[str, Any], where: str, line: Callable[[str | None], int | None]
    ) -> When | None:
        """The dates a decision sets, checked against the precision they imply."""
        present = [k for k in DATE_KEYS if k in d]
        if "due_at" in d:
            if kind is Kind.MEETING:
                self.add(
                    line("due_at"), where, "due_at: a meeting cannot be tied to another meeting"
                )
            if present:
                self.add(
                    line(present[0]),
                    where,
                    f"{present[0]}: conflicts with due_at",
                    "a date tied to a meeting takes its opening day; give one or the other",
                )
            return None
        if not present:
            if "length" in d:
                self.add(
                    line("length"),
                    where,
                    "length: says how long a meeting is, but this decision sets no dates",
                    "give it with year, month, early or start and end",
                )
            return None
        firm = [k for k in ("start", "end", "due") if k in d]
        vague = [k for k in ("year", "month", "early") if k in d]
        timed = [k for k in ("opens", "closes", "timezone") if k in d]
        if timed and not (kind is Kind.MEETING and "start" in d and "end" in d):
            self.add(
                line(timed[0]),
                where,
                f"{timed[0]}: session hours need a meeting's exact start and end",
                "give start and end dates with opens and closes",
            )
            return None
        if firm and vague:
            self.add(
                line(vague[0]),
                where,
                f"{vague[0]}: conflicts with {firm[0]}",
                "exact dates and a year/month/early are two precisions; keep one",
            )
            return None
        if kind is Kind.MEETING and "due" in d:
            self.add(line("due"), where, "due: meetings have start and end, not due")
            return None
        if kind is not Kind.MEETING and ("start" in d or "end" in d):
            self.add(
                line(firm[0]),
                where,
                f"{firm[0]}: a {kind} has one day, due",
                "write due = YYYY-MM-DD",
            )
            return None
        if kind is Kind.MEETING and firm:
            if "start" not in d or "end" not in d:
                missing = "end" if "start" in d else "start"
                self.add(
                    line(firm[0]),
                    where,
                    f'missing key "{missing}"',
                    "a meeting with exact dates needs both start and end",
                )
                return None
            if d["end"] < d["start"]:
                self.add(line("end"), where, f"end {d['end']} is before start {d['start']}")
                return None
            hours = self.hours(d, where, line)
            if hours is None:
                return None
            opens, closes, tz = hours
            return When(
                precision=Precision.DAY,
                start=d["start"],
                end=d["end"],
                length=d.get("length"),
                opens=opens,
                closes=closes,
                tz=tz,
            )
        if firm:
            return When(precision=Precision.DAY, start=d["due"], end=d["due"])
        year = d.get("year")
        if year is None:
            self.add(line(vague[0]), where, f'{vague[0]}: needs "year"', "for example year = 2028")
            return None
        if not YEARS[0] <= year <= YEARS[1]:
            self.add(
                line("year"),
                where,
                f"year: {year} is out of range",
                f"expected {YEARS[0]} to {YEARS[1]}",
            )
            return None
        if "month" in d and "early" in d:
            self.add(
                line("early"),
                where,
                "early: conflicts with month",
                "give a month or early, not both",
            )
            return None
        if "month" in d:
            if not 1 <= d["month"] <= 12:
                self.add(line("month"), where, f"month: {d['month']} is not 1 to 12")
                return None
            return When(
                precision=Precision.MONTH, year=year, month=d["month"], length=d.get("length")
            )
        if d.get("early") is False:
            self.add(line("early"), where, "early: false says nothing", "leave it out instead")
            return None
        precision = Precision.EARLY if d.get("early") else Precision.YEAR
        return When(precision=precision, year=year, length=d.get("length"))


def _shown(expected: str) -> str:
    """The TOML type behind a semantic one: an id, a type or a status is a string."""
    return "string" if expected in ("id", "cycle", "type", "status", "confidence") else expected


def _type_name(value: Any) -> str:
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


def _merge(files: Sequence[_Raw], problems: list[Problem]) -> Schedule:
    """Join files: the first is the base; later ones add items or override by id."""
    documents: dict[str, Document] = {}
    items: dict[str, Item] = {}
    where_from: dict[str, tuple[_Raw, int]] = {}
    for raw in files:
        for did, doc in raw.documents.items():
            if did in documents and documents[did] != doc:
                problems.append(
                    Problem(
                        file=raw.name,
                        line=None,
                        where=f'document "{did}"',
                        message="id already used by another file's document",
                        hint="give it another id",
                    )
                )
            documents[did] = doc
        for item, how, index in raw.items:
            here = f'{item.kind} "{item.id}"'
            override = how == "override"
            if how == "extend":
                base = items.get(item.id)
                if base is None or base.kind is not item.kind:
                    problems.append(
                        Problem(
                            file=raw.name,
                            line=raw.line_of(item.kind, index),
                            where=here,
                            message=f"extend = true, but no earlier file has a {item.kind} "
                            "with this id",
                            hint="check the id, or remove extend to add a new item",
                        )
                    )
                    continue
                merged = sorted((*base.decisions, *item.decisions), key=_taken_key)
                items[item.id] = replace(
                    base, decisions=tuple(merged), remind=item.remind or base.remind
                )
                continue
            if item.id in items and not override:
                first_raw, first_index = where_from[item.id]
                first_line = first_raw.line_of(items[item.id].kind, first_index)
                problems.append(
                    Problem(
                        file=raw.name,
                        line=raw.line_of(item.kind, index),
                        where=here,
                        message=f"id already used in {first_raw.name}"
                        + (f":{first_line}" if first_line else ""),
                        hint="rename it, or add override = true to replace that item",
                    )
                )
            elif override and item.id in items and items[item.id].kind is not item.kind:
                problems.append(
                    Problem(
                        file=raw.name,
                        line=raw.line_of(item.kind, index),
                        where=here,
                        message=f"override = true, but {item.id} is a {items[item.id].kind}",
                        hint=f"an override keeps the kind; write it as [[{items[item.id].kind}]]",
                    )
                )
            elif override and item.id not in items:
                problems.append(
                    Problem(
                        file=raw.name,
                        line=raw.line_of(item.kind, index),
                        where=here,
                        message="override = true, but no earlier file has this id",
                        hint="remove override, or check the id",
                    )
                )
            else:
                items[item.id] = item
                where_from[item.id] = (raw, index)
    revisions = [r.revision for r in files if r.revision]
    title = next((r.title for r in files if r.title), None)
    kwargs = {"title": title} if title else {}
    return Schedule(
        items=tuple(items.values()),
        documents=documents,
        revision=max(revisions) if revisions else date(1970, 1, 1),
        **kwargs,
    )


def _taken_key(d: Decision) -> date:
    """Decisions in date order; one without a date (historical context) comes first."""
    return d.taken or date.min


def _check_refs(files: Sequence[_Raw], problems: list[Problem]) -> None:
    """References between items and to the document register, across all files.

    Checked on the raw data, so an item with other problems still has its references
    checked, and an id that exists but is invalid is not reported as unknown.
    """
    import difflib

    def entries(data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        return value if isinstance(value, list) else []

    meetings = {
        str(m.get("id")) for f in files for m in entries(f.data, "meeting") if isinstance(m, dict)
    }
    docs = {
        str(d.get("id")) for f in files for d in entries(f.data, "document") if isinstance(d, dict)
    }

    ids = {
        str(it.get("id"))
        for f in files
        for kind in Kind
        for it in entries(f.data, kind)
        if isinstance(it, dict)
    }
    sorted_docs, sorted_meetings, sorted_ids = sorted(docs), sorted(meetings), sorted(ids)
    hinted = [0]

    def check(
        ref: Any, known: set[str], key: str, f: _Raw, kind: Kind, i: int, sub: int | None = None
    ) -> None:
        """Report `ref` if unknown; where it is, is worked out only then."""
        if ref.__class__ is not str or ref in known:
            return
        iid = entries(f.data, kind)[i].get("id")
        where = f'{kind} "{iid}"' if isinstance(iid, str) else f"{kind} #{i + 1}"
        if sub is not None:
            where += f", decision {sub + 1}"
        is_doc = known is docs
        pool, label, otherwise = (
            (sorted_docs, "is not in the document register", "add it as a [[document]]")
            if is_doc
            else (sorted_meetings, "is not a meeting id", "give the id of a meeting")
            if known is meetings
            else (sorted_ids, "is not an item id", "give the id of a meeting or a deadline")
        )
        hinted[0] += 1
        # Suggestions cost a pass over every id; a file with hundreds of unknown
        # references gets them for the first few only, so checking stays linear.
        close = difflib.get_close_matches(ref, pool, n=1) if hinted[0] <= MAX_SUGGESTIONS else []
        hint = f'did you mean "{close[0]}"?' if close else otherwise
        problems.append(
            Problem(
                file=f.name,
                line=f.line_of(kind, i, sub=sub, key=key),
                where=where,
                message=f'{key}: "{ref}" {label}',
                hint=hint,
            )
        )

    for f in files:
        for kind in Kind:
            for i, raw in enumerate(entries(f.data, kind)):
                if not isinstance(raw, dict):
                    continue
                check(raw.get("serves"), ids, "serves", f, kind, i)
                for j, d in enumerate(entries(raw, "decision")):
                    if not isinstance(d, dict):
                        continue
                    check(d.get("source"), docs, "source", f, kind, i, j)
                    for ref in entries(d, "also"):
                        check(ref, docs, "also", f, kind, i, j)
                    check(d.get("due_at"), meetings, "due_at", f, kind, i, j)
