"""The schedule file's vocabulary, declared once.

Each table of a schedule file (`[schedule]`, `[[document]]`, the items `[[meeting]]`,
`[[deadline]]`, `[[mandate]]`, and their `[[... .decision]]`) is a tuple of `Key`s: the
key's name, its type, whether it is required, its allowed values, whether it may hold
several lines, and one line on what it means. The decision facts (venue, format,
chair, outcome) are `Fact`s, from which their keys are made.

Everything else reads this module: the checker (check.py) and its fast path, the model
and the fold (which facts a decision carries forward), the JSON, iCalendar and TOML
writers and `show` (which facts to print, and with what label), the tables of
docs/data-format.md and the JSON Schema of the file (formatdoc.py, `poacal schema
schedule`). Adding a decision fact is one line in FACTS, plus data.
"""

from __future__ import annotations

from poacal.model import Confidence, DeadlineType, Kind, MandateType, MeetingType, Process

# Text limits: one-line fields (names, codes, titles, URLs) and multi-line ones.
MAX_LINE = 500
MAX_BLOCK = 10_000
SCHEMA = 1


class Key:
    """One key of a table: `type` is a TOML type ("string", "date", "time", "boolean",
    "integer", "array of strings", "array of tables") or a string with a meaning of its
    own ("id", "cycle", "type", "status", "confidence")."""

    __slots__ = ("about", "multiline", "name", "needs", "required", "type", "values")

    def __init__(
        self,
        name: str,
        type: str,
        about: str,
        *,
        required: bool = False,
        values: tuple[str, ...] = (),
        multiline: bool = False,
        needs: str = "",
    ) -> None:
        self.name, self.type, self.required, self.about = name, type, required, about
        self.values, self.multiline = values, multiline
        # Words for the "required" column where it depends on the form of the item.
        self.needs = needs

    @property
    def toml_type(self) -> str:
        """The TOML type behind a semantic one: an id, a type or a status is a string."""
        return "string" if self.type in SEMANTIC else self.type

    def __repr__(self) -> str:
        return f"Key({self.name!r}, {self.type!r})"


SEMANTIC = frozenset({"id", "cycle", "type", "status", "confidence", "process"})


class Fact:
    """Something a decision can say about an item that stays true until a later decision
    says otherwise: the fold carries the latest one forward. `label` names it in `show`,
    `changes` and the iCalendar description; a fact with a `role` is labelled by that
    companion key's value when it has one (chair: "President") and carries it along."""

    __slots__ = ("about", "label", "multiline", "name", "role", "role_about")

    def __init__(
        self,
        name: str,
        label: str,
        about: str,
        *,
        role: str = "",
        role_about: str = "",
        multiline: bool = False,
    ) -> None:
        self.name, self.label, self.about = name, label, about
        self.role, self.role_about, self.multiline = role, role_about, multiline

    def __repr__(self) -> str:
        return f"Fact({self.name!r})"


FACTS: tuple[Fact, ...] = (
    Fact(
        "venue", "Venue", "where, e.g. `New York (UN Headquarters)`; a meeting's calendar LOCATION"
    ),
    Fact("format", "Format", "e.g. `in person`, `hybrid`"),
    Fact(
        "chair",
        "Chair",
        "who chairs, e.g. `Ambassador Martin Kimani (Kenya)`",
        role="chair_role",
        role_about="with `chair`: `Chair`, `President` or `Chair-designate` (no longer shown "
        "once the meeting is over)",
    ),
    Fact("outcome", "Outcome", "the outcome document and how it was adopted", multiline=True),
)
# Every key that holds a fact, with its companions, in the order outputs give them.
FACT_KEYS: tuple[str, ...] = tuple(k for f in FACTS for k in (f.name, f.role) if k)

CONFIDENCE = tuple(c.value for c in Confidence)
PROCESSES = tuple(p.value for p in Process)

SCHEDULE_KEYS: tuple[Key, ...] = (
    Key(
        "revision",
        "date",
        "when the data was last checked; used for feeds when no decision is later",
        required=True,
        needs="yes (in the first file)",
    ),
    Key("title", "string", "shown on the dashboard and as the calendar name"),
    Key("schema", "integer", f"the format's version: must be `{SCHEMA}`", values=(str(SCHEMA),)),
    Key(
        "process",
        "process",
        "the process every item of this file belongs to, unless an item says otherwise; "
        "default `poa`",
        values=PROCESSES,
    ),
)

DOCUMENT_KEYS: tuple[Key, ...] = (
    Key("id", "string", "what decisions cite, e.g. the symbol `A/RES/74/60`", required=True),
    Key("title", "string", "the document's title", required=True),
    Key(
        "url",
        "string",
        "`https://undocs.org/SYMBOL` for UN documents; `internal:` for a delegation's own note",
        required=True,
    ),
    Key("symbol", "string", "the UN document symbol; leave out when unknown, never guess"),
    Key("adopted", "date", "when it was adopted or published"),
    Key("publisher", "string", "for non-UN sources"),
    Key("confidence", "confidence", "default `confirmed`", values=CONFIDENCE),
    Key("note", "string", "anything a reader should know about the source", multiline=True),
    Key(
        "languages",
        "array of strings",
        "the official UN languages it exists in (`ar`, `zh`, `en`, `fr`, `ru`, `es`); default "
        "all six when `url` is `https://undocs.org/SYMBOL`, none (one link) otherwise; "
        '`["en"]` for an unedited paper',
        values=("ar", "zh", "en", "fr", "ru", "es"),
    ),
)

# The allowed `type` of an item, by kind.
TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.MEETING: tuple(t.value for t in MeetingType),
    Kind.DEADLINE: tuple(t.value for t in DeadlineType),
    Kind.MANDATE: tuple(t.value for t in MandateType),
}

ITEM_KEYS: tuple[Key, ...] = (
    Key(
        "id",
        "id",
        "lower-case letters, digits, `-` and `.`; unique across all files",
        required=True,
    ),
    Key(
        "type",
        "type",
        "what kind of meeting, deadline or mandate it is",
        needs="yes (no for own items: `internal`)",
    ),
    Key(
        "code",
        "string",
        "short code shown in tables, e.g. `BMS7`",
        needs="yes (no for own items: the id)",
    ),
    Key("name", "string", "full name", needs="yes (no with `extend`)"),
    Key("cycle", "cycle", "`YYYY-YYYY`, the Review Conference cycle, e.g. `2024-2030`"),
    Key(
        "process",
        "process",
        "the process it belongs to, if not its file's (an own item: default `poa`); codes "
        "are unique within a process",
        values=PROCESSES,
    ),
    Key(
        "serves",
        "id",
        "the meeting a deadline or mandate serves; once that meeting is over, a missed "
        "deadline is `closed`, not overdue",
    ),
    Key(
        "closed_by",
        "id",
        "deadlines: the deadline whose due date closes this one (a yearly report's next "
        "occurrence): missed, it is then closed rather than overdue; set for each year by "
        "`yearly_from`",
    ),
    Key("addressee", "string", "mandates only: `Secretary-General`, `Secretariat`, ..."),
    Key("description", "string", "what it is about", multiline=True),
    Key(
        "override",
        "boolean",
        "in a later file: replace the item with this id from an earlier file",
    ),
    Key(
        "extend",
        "boolean",
        "in a later file: add this item's decisions to the history of the item with this id "
        "from an earlier file (its name, code and type stay); the fold, SEQUENCE and "
        "`changes` see them",
    ),
    Key(
        "remind",
        "array of strings",
        'how long before its date `remind` warns of this item, e.g. `["42d", "7d"]` or '
        '`["6w"]` (days or weeks); instead of `--horizon` for this item alone; shown by `show`',
    ),
    Key(
        "yearly_from",
        "integer",
        "a deadline that recurs every year, written once: the first year; each year to "
        "`yearly_until` becomes a deadline of its own (id `ID-YEAR`), its decisions' `due` "
        "moved to that year; `{year}` and `{previous}` in code, name and description",
    ),
    Key("yearly_until", "integer", "with `yearly_from`: the last year"),
    Key("due", "date", "the short form of your own deadline: its day, given on the item"),
    Key("start", "date", "the short form of your own meeting: its first day"),
    Key("end", "date", "the short form of your own meeting: its last day"),
    Key("opens", "time", "the short form of your own meeting: when each day's session opens"),
    Key("closes", "time", "the short form of your own meeting: when it closes"),
    Key(
        "timezone",
        "string",
        "the short form of your own meeting: the IANA time zone of its hours "
        "(default `America/New_York`)",
    ),
    Key(
        "decision",
        "array of tables",
        "the history, oldest first (at least one)",
        needs="yes (no for own items)",
    ),
)
# The short form of a user's own item: its dates on the item itself, no decision.
SHORT_KEYS = ("due", "start", "end")
SHORT_HOURS = ("opens", "closes", "timezone")  # with start and end, a session's hours
# The long form needs these (with `decision`); the short form only a name and its dates.
LONG_FORM = ("type", "code", "name", "decision")


def _fact_keys() -> tuple[Key, ...]:
    keys: list[Key] = []
    for f in FACTS:
        keys.append(Key(f.name, "string", f.about, multiline=f.multiline))
        if f.role:
            keys.append(Key(f.role, "string", f.role_about))
    return tuple(keys)


DECISION_KEYS: tuple[Key, ...] = (
    Key(
        "taken",
        "date",
        "when the decision was taken; leave out only when unknown (historical context: it "
        "then counts from its sources' adoption, or the start of its cycle)",
    ),
    Key(
        "taken_exact",
        "boolean",
        "`false` when `taken` is only the latest date the act can have; say why in `note`",
    ),
    Key("source", "string", "a `[[document]]` id", required=True),
    Key("paragraph", "string", 'e.g. `"7"`, `"174–178"`, `"preamble"`'),
    Key("also", "array of strings", "further `[[document]]` ids that support it"),
    Key(
        "confidence",
        "confidence",
        "`confirmed` (an official UN source), `reported` (a secondary source or close "
        "inference), `unconfirmed`; `own` for a user's own fact",
        required=True,
        values=CONFIDENCE,
    ),
    Key("note", "string", "why, and anything a reader should know", multiline=True),
    Key("status", "status", "what the decision says of the item: set, moved, dropped, done"),
    Key("start", "date", "meetings: exact first day (precision `day`)"),
    Key("end", "date", "meetings: exact last day"),
    Key("due", "date", "deadlines and mandates: the exact day"),
    Key("year", "integer", "the year only (precision `year`)"),
    Key("month", "integer", "with `year`: the month only (precision `month`), 1 to 12"),
    Key("early", "boolean", 'with `year`: "early YYYY" (precision `early`)'),
    Key("length", "string", 'planned length, e.g. `"five days"`; shown with partial dates'),
    Key(
        "due_at",
        "id",
        "deadlines and mandates: due on the opening day of this meeting, and moves with it",
    ),
    *_fact_keys(),
    Key(
        "opens",
        "time",
        "meetings with exact dates: when each day's session opens, e.g. `opens = 10:00:00` "
        "(a local time, no quotes); calendar feeds then carry zoned times",
    ),
    Key("closes", "time", "with `opens`: when each day's session closes, e.g. `18:00:00`"),
    Key(
        "timezone",
        "string",
        "with `opens`/`closes`: an IANA time zone; default `America/New_York` (UN Headquarters)",
    ),
)

# The keys of a decision that set its dates (all of them replace the item's dates).
DATE_KEYS = ("start", "end", "due", "year", "month", "early", "opens", "closes", "timezone")

# Each table: its name in messages and docs, and its keys.
TABLES: tuple[tuple[str, tuple[Key, ...]], ...] = (
    ("schedule", SCHEDULE_KEYS),
    ("document", DOCUMENT_KEYS),
    ("item", ITEM_KEYS),
    ("decision", DECISION_KEYS),
)
TOP_KEYS = ("schedule", "document", *(k.value for k in Kind))


def multiline_keys() -> frozenset[str]:
    """The keys whose text may hold line breaks (and tabs)."""
    return frozenset(k.name for _, keys in TABLES for k in keys if k.multiline)


def by_name(keys: tuple[Key, ...]) -> dict[str, Key]:
    return {k.name: k for k in keys}
