"""The PoA schedule as data: items, their decisions, and the dates those decisions set.

Terms, as the UN uses them:

- **session**: one meeting of a body, held on consecutive working days (a Biennial
  Meeting of States, a Review Conference, a Preparatory Committee session).
- **cycle**: the run of meetings from one Review Conference to the next (2018–2024,
  2024–2030), whose schedule each Review Conference agrees.
- **decision**: an act that sets or changes something about an item: a General Assembly
  resolution or decision paragraph, a meeting's own report, or, where no act is on
  record, the source from which the fact is known.
- **deadline**: a date by which Member States are asked to submit something: a national
  report on the PoA and the International Tracing Instrument, or views a resolution seeks.
- **mandate**: what a resolution asks the Secretary-General or the Secretariat to do,
  and by when: a report to a General Assembly session, an analysis for a meeting.
"""

from __future__ import annotations

import enum
from datetime import date, time
from typing import NamedTuple


# StrEnum: each member is also its string value, so JSON and TOML code can use members
# as strings without an attribute lookup per use.
class Kind(enum.StrEnum):
    MEETING = "meeting"
    DEADLINE = "deadline"
    MANDATE = "mandate"


class Process(enum.StrEnum):
    """The treaty or instrument whose meetings and deadlines an item belongs to."""

    POA = "poa"  # the UN Programme of Action on small arms and its ITI
    ATT = "att"  # the Arms Trade Treaty


PROCESS_LABELS = {Process.POA: "PoA", Process.ATT: "ATT"}
PROCESS_NAMES = {
    Process.POA: "UN Programme of Action on small arms (PoA/ITI)",
    Process.ATT: "Arms Trade Treaty (ATT)",
}


class MeetingType(enum.StrEnum):
    CONFERENCE = "conference"
    REVIEW_CONFERENCE = "review-conference"
    BIENNIAL_MEETING = "biennial-meeting"
    PREPARATORY_COMMITTEE = "preparatory-committee"
    EXPERT_GROUP = "technical-expert-group"
    GOVERNMENTAL_EXPERTS = "governmental-experts"
    REGIONAL_MEETING = "regional-meeting"
    GENERAL_ASSEMBLY = "general-assembly"
    CONFERENCE_OF_STATES_PARTIES = "conference-of-states-parties"  # ATT
    WORKING_GROUP = "working-group"  # ATT working-group meetings before a Conference
    PREPARATORY_MEETING = "preparatory-meeting"  # ATT informal preparatory meeting
    INTERNAL = "internal"  # a delegation's own meeting (an inter-ministerial review)


class DeadlineType(enum.StrEnum):
    NATIONAL_REPORT = "national-report"
    VIEWS = "views"
    ANNUAL_REPORT = "annual-report"  # ATT Article 13(3): a legal obligation, every 31 May
    INTERNAL = "internal"


class MandateType(enum.StrEnum):
    REPORT = "report"
    SEEK_VIEWS = "seek-views"
    ANALYSIS = "analysis"
    AGENDA_ITEM = "agenda-item"


class Status(enum.StrEnum):
    """What the data says about an item (not relative to any date)."""

    SCHEDULED = "scheduled"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    HELD = "held"
    OPEN = "open"
    FULFILLED = "fulfilled"
    ONGOING = "ongoing"


STATUSES: dict[Kind, frozenset[Status]] = {
    Kind.MEETING: frozenset({Status.SCHEDULED, Status.POSTPONED, Status.CANCELLED, Status.HELD}),
    Kind.DEADLINE: frozenset({Status.SCHEDULED, Status.POSTPONED, Status.CANCELLED}),
    Kind.MANDATE: frozenset({Status.OPEN, Status.FULFILLED, Status.ONGOING, Status.CANCELLED}),
}
INITIAL_STATUS = {
    Kind.MEETING: Status.SCHEDULED,
    Kind.DEADLINE: Status.SCHEDULED,
    Kind.MANDATE: Status.OPEN,
}


class Confidence(enum.StrEnum):
    """How sure the data is: an official UN source, a secondary source, or neither."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    UNCONFIRMED = "unconfirmed"
    OWN = "own"  # the user's own item: its source is the user's file


class Precision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    EARLY = "early"
    YEAR = "year"
    UNSET = "unset"


# Every date poacal reads or computes falls in these years, so no date arithmetic can
# leave the calendar: schedule dates, --as-of and every window are checked against them.
YEARS = (1945, 2100)


def cycle_years(text: str) -> tuple[int, int] | None:
    """'2018-2024' -> (2018, 2024); None unless two 4-digit years, the first earlier."""
    a, sep, b = text.partition("-")
    if sep and len(a) == len(b) == 4 and (a + b).isascii() and (a + b).isdigit() and a < b:
        return int(a), int(b)
    return None


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_label(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def range_label(start: date, end: date) -> str:
    if start == end:
        return day_label(start)
    if start.year != end.year:
        return f"{day_label(start)}–{day_label(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]}–{day_label(end)}"
    return f"{start.day}–{day_label(end)}"


class _Dates(NamedTuple):
    precision: Precision
    start: date | None = None
    end: date | None = None
    year: int | None = None
    month: int | None = None
    length: str | None = None
    # A session with announced hours: it opens on `start` and closes on `end`, at these
    # local times in time zone `tz` (an IANA name; UN Headquarters is America/New_York).
    opens: time | None = None
    closes: time | None = None
    tz: str | None = None


class When(_Dates):
    """Dates as precisely as they are known; never shown firmer than they are. (A
    NamedTuple: a frozen dataclass cost three times as much to define on every start.)"""

    __slots__ = ()

    def __new__(
        cls,
        precision: Precision,
        start: date | None = None,
        end: date | None = None,
        year: int | None = None,
        month: int | None = None,
        length: str | None = None,
        opens: time | None = None,
        closes: time | None = None,
        tz: str | None = None,
    ) -> When:
        if start and end and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return tuple.__new__(cls, (precision, start, end, year, month, length, opens, closes, tz))

    @property
    def firm(self) -> bool:
        return self.precision is Precision.DAY

    def earliest(self) -> date | None:
        """The first day the dates can fall on, for sorting and windows."""
        if self.precision is Precision.DAY:
            return self.start
        if self.year is None:
            return None
        return date(self.year, self.month or 1, 1)

    def latest(self) -> date | None:
        """The last day the dates can fall on."""
        if self.precision is Precision.DAY:
            return self.end
        if self.year is None:
            return None
        if self.precision is Precision.MONTH and self.month:
            nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        if self.precision is Precision.EARLY:
            return date(self.year, 4, 30)
        return date(self.year, 12, 31)

    def label(self, held: bool = False) -> str:
        """The dates in words. A partial date says so: 'not yet set' for what is still to
        be decided, 'exact dates not recorded' for a meeting that was held (`held`)."""
        missing = " (exact dates not recorded)" if held else " (dates not yet set)"
        extra = f" ({self.length})" if self.length else ""
        if self.precision is Precision.DAY and self.start and self.end:
            hours = ""
            if self.opens and self.closes:
                hours = f", {self.opens:%H:%M}–{self.closes:%H:%M} ({self.tz})"
            return range_label(self.start, self.end) + hours
        if self.precision is Precision.MONTH and self.month:
            return f"{MONTHS[self.month - 1]} {self.year}{missing}"
        if self.precision is Precision.EARLY:
            return f"early {self.year}" + (extra or missing)
        if self.precision is Precision.YEAR:
            return f"{self.year}{extra or missing}"
        return "not recorded" if held else "not yet set"


UNSET = When(precision=Precision.UNSET)


class Document(NamedTuple):
    """An entry in the register of sources: a UN document or a web page."""

    id: str
    title: str
    url: str
    symbol: str | None = None
    adopted: date | None = None
    publisher: str | None = None
    confidence: Confidence = Confidence.CONFIRMED
    note: str | None = None
    # The official languages it exists in (languages.LANGUAGES codes); () for a web page
    languages: tuple[str, ...] = ()


class Decision(NamedTuple):
    """One step in an item's history: what was set, when, and on whose authority.

    Fields left as None are not changed by this decision. `taken` is None when the
    date of the act is unknown (historical context): it then applies at every as-of date.
    `taken_exact` is False when `taken` is only the latest date the act can have.
    """

    source: str
    confidence: Confidence
    taken: date | None = None
    taken_exact: bool = True
    paragraph: str | None = None
    also: tuple[str, ...] = ()
    note: str | None = None
    when: When | None = None
    due_at: str | None = None
    status: Status | None = None
    # What it says of the item's facts (vocabulary.FACT_KEYS: venue, chair...), in the
    # order declared there: (key, value) pairs, only those it gives.
    facts: tuple[tuple[str, str], ...] = ()

    def fact(self, key: str) -> str | None:
        return next((v for k, v in self.facts if k == key), None)


class Item(NamedTuple):
    """A meeting, a deadline or a mandate, with its history of decisions (oldest first)."""

    id: str
    kind: Kind
    type: str
    code: str
    name: str
    decisions: tuple[Decision, ...]
    cycle: str | None = None
    serves: str | None = None
    addressee: str | None = None
    description: str | None = None
    origin: str = "schedule.toml"
    # Days before its date that `remind` warns of this item, largest first (remind's
    # own horizons when empty): `remind = ["42d", "7d"]` in the schedule file.
    remind: tuple[int, ...] = ()
    process: Process = Process.POA
    # A yearly deadline's next occurrence: once that one falls due, this one is closed
    # rather than overdue for ever (set when a `yearly_from` rule is expanded).
    closed_by: str | None = None


TITLE = "UN Programme of Action on small arms (PoA/ITI)"


class Schedule:
    """Everything loaded: the items in file order, the document register, its revision,
    and `revisions`, each process's own revision (its files' latest) when more than one
    was loaded. Equal when items, documents, revision and title are. (A plain class: a
    dataclass cost about 4 M instructions to define on every start.)"""

    __slots__ = ("by_id", "documents", "items", "revision", "revisions", "title")

    def __init__(
        self,
        *,
        items: tuple[Item, ...],
        documents: dict[str, Document],
        revision: date,
        title: str = TITLE,
        revisions: dict[Process, date] | None = None,
    ) -> None:
        self.items = items
        self.documents = documents
        self.revision = revision
        self.title = title
        self.revisions = revisions or {}
        self.by_id = {item.id: item for item in items}

    def _key(self) -> tuple[object, ...]:
        return (self.items, self.documents, self.revision, self.title)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable parts (dicts): not hashable

    def __repr__(self) -> str:
        return (
            f"Schedule(items={self.items!r}, documents={self.documents!r}, "
            f"revision={self.revision!r}, title={self.title!r})"
        )

    def get(self, item_id: str) -> Item | None:
        return self.by_id.get(item_id)

    def revision_of(self, process: Process) -> date:
        return self.revisions.get(process, self.revision)
