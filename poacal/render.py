"""Rows -> Rich renderables for the terminal: tables, the dashboard, `show`, the timeline.

Only the table commands import this module, so JSON and reminder paths never load Rich.
Text from the data always goes in as `Text`, never as markup, so a name containing
"[bold]" is printed as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from poacal.model import Decision, Kind, Schedule, day_label
from poacal.queries import (
    Change,
    Dashboard,
    Row,
    Standing,
    explain_date,
    relative,
    source_ref,
    what_it_sets,
)
from poacal.text import terminal


class SafeConsole(Console):
    """A console that escapes control characters in every piece of text it prints, so
    nothing from the data (or a state file's note) can drive the terminal. Rich's own
    styles and hyperlinks travel outside the text and are kept."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for seg in super().render(renderable, options):
            if seg.control is None and seg.text and not seg.text.isprintable():
                yield Segment(terminal(seg.text, multiline=True), seg.style, seg.control)
            else:
                yield seg

    def on_broken_pipe(self) -> None:
        """Rich would exit 1 (an internal error, in poacal's table); the CLI's boundary
        decides instead."""
        raise BrokenPipeError


STYLES = {
    Standing.OVERDUE: "bold red",
    Standing.DUE_TODAY: "bold yellow",
    Standing.DUE_SOON: "yellow",
    Standing.IN_SESSION: "bold green",
    Standing.UPCOMING: "cyan",
    Standing.HELD: "dim",
    Standing.CLOSED: "dim",
    Standing.DONE: "green",
    Standing.FULFILLED: "green",
    Standing.POSTPONED: "magenta",
    Standing.CANCELLED: "red",
    Standing.NOT_SET: "italic",
    Standing.PAST: "dim",
    Standing.ONGOING: "blue",
    Standing.UNKNOWN: "dim",
}
CONFIDENCE_STYLES = {
    "confirmed": "",
    "reported": "yellow",
    "unconfirmed": "bold yellow",
    "own": "cyan",
}


# Column name -> (minimum width, keep rank). Narrow terminals drop the highest ranks
# first; the flexible column (the name) takes whatever width is left.
COLUMNS: dict[str, tuple[int, int]] = {
    "Id": (12, 0),
    "Code": (10, 0),
    "Dates": (13, 0),
    "Due": (13, 0),
    "Status": (10, 0),
    "When": (12, 1),
    "Days left": (9, 1),
    "Kind": (8, 1),
    "Taken": (10, 0),
    "Item": (8, 0),
    "Decision": (20, 0),
    "What": (20, 2),
    "Meeting": (20, 5),
    "Confidence": (11, 3),
    "Venue / format": (14, 4),
    "Chair": (14, 6),
    "Note": (12, 7),
    "Source": (16, 2),
}
NO_WRAP = frozenset({"Id", "Code", "Days left", "Confidence", "Kind", "Taken", "When", "Item"})
MAX_WIDTH = {
    "Dates": 22,
    "Due": 22,
    "Venue / format": 24,
    "Chair": 26,
    "Note": 24,
    "Status": 18,
    "Source": 28,
}


def _fit(columns: Sequence[str], width: int) -> list[str]:
    """The columns that fit in `width`, dropping the least important first."""
    keep = list(columns)
    while len(keep) > 1 and sum(COLUMNS[c][0] + 3 for c in keep) > width:
        keep.remove(max(keep, key=lambda c: COLUMNS[c][1]))
    return keep


def _build(
    title: str | None,
    cols: Sequence[str],
    cells: Sequence[dict[str, Any]],
    width: int,
    flexible: str = "",
) -> Table:
    """A table laid out for `width`: fixed columns get their content's width (capped),
    the flexible column (the name) gets what is left, and never less than its minimum."""

    def length(value: Any) -> int:
        text = value.plain if isinstance(value, Text) else str(value)
        return max((len(line) for line in text.splitlines()), default=0)

    natural = {c: max([len(c)] + [length(row[c]) for row in cells]) for c in cols}
    sizes = {c: min(natural[c], MAX_WIDTH.get(c, natural[c])) for c in cols if c != flexible}
    pad = 2 * len(cols)
    need = COLUMNS[flexible][0] if flexible in cols else 0
    while sum(sizes.values()) + pad + need > width:
        wide = max(
            (c for c in sizes if c not in NO_WRAP and sizes[c] > COLUMNS[c][0]),
            key=lambda c: sizes[c],
            default=None,
        )
        if wide is None:
            break
        sizes[wide] -= 1
    if flexible in cols:
        sizes[flexible] = max(need, min(natural[flexible], width - pad - sum(sizes.values())))
    t = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        title_style="bold",
        pad_edge=False,
        collapse_padding=True,
        show_edge=False,
    )
    for c in cols:
        t.add_column(c, width=sizes[c], no_wrap=c in NO_WRAP, overflow="fold")
    for row in cells:
        t.add_row(*(row[c] for c in cols))
    return t


def _standing(row: Row) -> Text:
    return Text(row.standing.value, style=STYLES[row.standing])


def _when(row: Row, with_confidence: bool = False) -> Text:
    text = Text(row.label())
    if not row.state.when.firm:
        text.stylize("italic")
    conf = row.state.confidence.value
    if with_confidence and conf != "confirmed":
        text.append(f" ({conf})", style=CONFIDENCE_STYLES[conf])
    return text


def _confidence(row: Row) -> Text:
    value = row.state.confidence.value
    return Text(value, style=CONFIDENCE_STYLES[value])


def _days(row: Row) -> str:
    if row.standing in (Standing.HELD, Standing.CLOSED, Standing.DONE, Standing.FULFILLED):
        return row.when_words() if row.item.kind is Kind.MEETING else ""
    return row.when_words()


def _with_ids(
    cols: list[str], cells: list[dict[str, Any]], rows: Sequence[Row], ids: bool
) -> list[str]:
    """With `ids`, an Id column first (what `show`, `done` and `--id` take)."""
    if not ids:
        return cols
    for cell, r in zip(cells, rows, strict=True):
        cell["Id"] = Text(r.item.id)
    return ["Id", *cols]


def meetings_table(
    rows: Sequence[Row], width: int, title: str | None = None, ids: bool = False
) -> Table:
    cols = _fit(
        ("Code", "Meeting", "Dates", "Venue / format", "Chair", "Status", "When", "Confidence"),
        width,
    )
    cells = []
    for r in rows:
        st = r.state
        venue = ", ".join(x for x in (st.venue, st.format) if x)
        chair = f"{st.chair} ({st.chair_role})" if st.chair and st.chair_role else (st.chair or "")
        cells.append(
            {
                "Code": Text(r.item.code, style="bold"),
                "Meeting": Text(r.item.name),
                "Dates": _when(r, "Confidence" not in cols),
                "Venue / format": Text(venue),
                "Chair": Text(chair),
                "Status": _standing(r),
                "When": _days(r),
                "Confidence": _confidence(r),
            }
        )
    return _build(title, _with_ids(cols, cells, rows, ids), cells, width, flexible="Meeting")


def _left(r: Row) -> str:
    if r.days is None or r.standing not in (
        Standing.UPCOMING,
        Standing.DUE_SOON,
        Standing.DUE_TODAY,
        Standing.OVERDUE,
    ):
        return ""
    return f"{-r.days} late" if r.days < 0 else str(r.days)


def items_table(
    rows: Sequence[Row],
    schedule: Schedule,
    width: int,
    title: str | None = None,
    ids: bool = False,
) -> Table:
    """Deadlines or mandates: what is due, by when, and how it stands."""
    cols = _fit(("Code", "What", "Due", "Status", "Days left", "Confidence", "Note"), width)
    cells = []
    for r in rows:
        note = r.notes[-1].text if r.notes else (r.done.note or "") if r.done else ""
        if r.state.tied_to and not note:
            tied = schedule.get(r.state.tied_to)
            note = f"opening of {tied.code if tied else r.state.tied_to}"
        cells.append(
            {
                "Code": Text(r.item.code, style="bold"),
                "What": Text(r.item.name),
                "Due": _when(r, "Confidence" not in cols),
                "Status": _standing(r),
                "Days left": _left(r),
                "Confidence": _confidence(r),
                "Note": Text(note),
            }
        )
    return _build(title, _with_ids(cols, cells, rows, ids), cells, width, flexible="What")


def status_table(
    rows: Sequence[Row], counts: dict[str, dict[str, int]], width: int, ids: bool = False
) -> Group:
    cols = _fit(("Kind", "Code", "Dates", "Status", "When", "Confidence"), width)
    cells = [
        {
            "Kind": r.item.kind.value,
            "Code": Text(r.item.code, style="bold"),
            "Dates": _when(r, "Confidence" not in cols),
            "Status": _standing(r),
            "When": _days(r),
            "Confidence": _confidence(r),
        }
        for r in rows
    ]
    t = _build(None, _with_ids(cols, cells, rows, ids), cells, width)
    summary = Text()
    for kind, per in counts.items():
        parts = ", ".join(f"{n} {k.replace('-', ' ')}" for k, n in per.items())
        summary.append(f"{kind}s: ", style="bold").append(parts + "\n")
    return Group(t, summary)


def _link(text: str, url: str | None) -> Text:
    return Text(text, style=f"link {url}" if url else "")


def decision_lines(d: Decision, n: int, schedule: Schedule) -> Group:
    when = (
        "date unknown"
        if d.taken is None
        else (
            d.taken.isoformat() if d.taken_exact else f"by {d.taken.isoformat()} (date unconfirmed)"
        )
    )
    head = Text(f"{n}. {when}  ", style="bold")
    doc = schedule.documents.get(d.source)
    head.append_text(_link(source_ref(d, schedule), doc.url if doc else None))
    head.append(f"  [{d.confidence.value}]", style=CONFIDENCE_STYLES[d.confidence.value])
    body = Text()
    sets = what_it_sets(d, schedule)
    for s in sets:
        body.append(s + "\n")
    if d.note:
        body.append(d.note + "\n", style="italic")
    for ref in d.also:
        doc = schedule.documents.get(ref)
        body.append("see also ").append_text(
            _link((doc.symbol or doc.title) if doc else ref, doc.url if doc else None)
        )
        body.append("\n")
    body.rstrip()
    return Group(head, Padding(body, (0, 0, 0, 3)))


def _code(schedule: Schedule, item_id: str | None) -> str | None:
    item = schedule.get(item_id) if item_id else None
    return f"{item.code} ({item.id})" if item else item_id


def show(row: Row, schedule: Schedule) -> Group:
    """Everything about one item: state, how its date was derived, history, sources."""
    st, it = row.state, row.item
    head = Text(f"{it.code}  ", style="bold").append(it.name)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    fields: list[tuple[str, str | Text | None]] = [
        ("id", it.id),
        ("kind", f"{it.kind.value} ({it.type})"),
        ("cycle", it.cycle),
        ("dates", _when(row)),
        ("status", _standing(row)),
        ("when", _days(row) or None),
        ("venue", st.venue),
        ("format", st.format),
        (st.chair_role or "chair", st.chair),
        ("outcome", st.outcome),
        ("addressee", it.addressee),
        ("serves", _code(schedule, row.serves)),
        ("dates confidence", _confidence(row)),
        ("how dated", explain_date(st, schedule)),
        ("about", it.description),
        (
            "done",
            f"{row.done.on.isoformat()}" + (f": {row.done.note}" if row.done.note else "")
            if row.done
            else None,
        ),
        (
            "notes",
            "\n".join(f"{n.on.isoformat()}: {n.text}" for n in row.notes) or None,
        ),
        ("defined in", it.origin),
    ]
    for label, value in fields:
        if value:
            facts.add_row(label, value if isinstance(value, Text) else Text(value))
    history = Text("Decisions, oldest first", style="bold underline")
    lines = [decision_lines(d, n, schedule) for n, d in enumerate(st.decisions, 1)]
    return Group(head, Text(), facts, Text(), history, *lines)


def changes_table(
    found: Iterable[Change], schedule: Schedule, width: int, title: str | None = None
) -> Table:
    cols = _fit(("Taken", "Item", "Decision", "Source", "Confidence"), width)
    cells = []
    for c in found:
        d = c.decision
        what = what_it_sets(d, schedule) or ([d.note] if d.note else [])
        taken = d.taken.isoformat() if d.taken else ""
        if d.taken and not d.taken_exact:
            taken = f"by {taken}"
        doc = schedule.documents.get(d.source)
        cells.append(
            {
                "Taken": taken,
                "Item": Text(c.item.code, style="bold"),
                "Decision": Text("; ".join(what)),
                "Source": _link(source_ref(d, schedule), doc.url if doc else None),
                "Confidence": Text(d.confidence.value, style=CONFIDENCE_STYLES[d.confidence.value]),
            }
        )
    return _build(title, cols, cells, width, flexible="Decision")


STALE_DAYS = 120  # past this many days after the data's revision, the dashboard says so


def footer(schedule: Schedule, as_of: date, source: str) -> list[RenderableType]:
    """How old the data is and where it came from; a warning when it may be stale."""
    lines: list[RenderableType] = [
        Text(f"Data revision {schedule.revision.isoformat()}, {source}.", style="dim")
    ]
    age = (as_of - schedule.revision).days
    if age > STALE_DAYS:
        lines.append(
            Text(
                f"The data is {age} days older than this date: newer dates may exist. "
                "Run `poacal update`, or upgrade poacal.",
                style="yellow",
            )
        )
    return lines


def dashboard(d: Dashboard, schedule: Schedule, width: int, source: str = "") -> Group:
    parts: list[RenderableType] = [
        Text(f"{schedule.title}, as of {day_label(d.as_of)}", style="bold")
    ]
    if d.in_session:
        for r in d.in_session:
            parts.append(Text(f"In session: {r.item.code}, {r.label()}", style="bold green"))
    if d.next_meeting:
        r = d.next_meeting
        line = Text("Next meeting: ", style="bold").append(f"{r.item.code}, ", style="bold")
        line.append(r.item.name + ", ")
        if r.standing is Standing.POSTPONED:
            line.append("postponed to ", style="magenta")
        line.append_text(_when(r))
        if r.days is not None:
            line.append(f" ({relative(r.days)})", style="cyan")
        if r.state.venue:
            line.append(f", {r.state.venue}")
        parts.append(line)
        if d.then:
            then = Text("Then: ", style="bold")
            for n, r in enumerate(d.then):
                then.append("; " if n else "").append(f"{r.item.code}: ", style="bold")
                if r.standing is Standing.POSTPONED:
                    then.append("postponed to ", style="magenta")
                then.append_text(_when(r))
            parts.append(then)
    else:
        parts.append(Text("Next meeting: none scheduled in the data", style="dim"))
    sections: list[tuple[str, Sequence[Row], str]] = [
        ("Deadlines in the next 90 days", d.deadlines, "none"),
        ("Overdue (past due and not done)", d.overdue, "none"),
        ("Open mandates", d.mandates, "none"),
    ]
    for title, rows, empty in sections:
        parts.append(Text())
        if rows:
            parts.append(items_table(rows, schedule, width, title=title))
        else:
            parts.append(Text(f"{title}: {empty}", style="dim"))
    if d.changes:
        shown = d.changes[:DASHBOARD_CHANGES]
        parts.append(Text())
        parts.append(changes_table(shown, schedule, width, title="Decisions in the last 90 days"))
        if len(d.changes) > len(shown):
            parts.append(
                Text(
                    f"and {len(d.changes) - len(shown)} more: poacal changes --since 90d",
                    style="dim",
                )
            )
    if source:
        parts += [Text(), *footer(schedule, d.as_of, source)]
    return Group(*parts)


DASHBOARD_CHANGES = 6


def timeline(rows: Sequence[Row], first: int, last: int, as_of: date, width: int) -> Text:
    """Years across, one line per item: meetings as bars, deadlines as marks, a today line."""
    label_w = max([len(r.item.code) for r in rows] + [8]) + 1
    span_w = max(width - label_w - 1, (last - first + 1) * 4)
    start = date(first, 1, 1).toordinal()
    total = date(last, 12, 31).toordinal() - start + 1

    def col(d: date) -> int:
        return min(span_w - 1, max(0, (d.toordinal() - start) * span_w // total))

    out = Text()
    header = [" "] * span_w
    for y in range(first, last + 1):
        c = col(date(y, 1, 1))
        for i, ch in enumerate(str(y)):
            if c + i < span_w:
                header[c + i] = ch
    out.append(" " * label_w + "".join(header) + "\n", style="bold")
    today = col(as_of) if first <= as_of.year <= last else None
    for r in rows:
        w = r.state.when
        lo, hi = w.earliest(), w.latest()
        if lo is None or hi is None or hi.year < first or lo.year > last:
            continue
        cells = [" "] * span_w
        style = STYLES[r.standing]
        a, b = col(max(lo, date(first, 1, 1))), col(min(hi, date(last, 12, 31)))
        if r.item.kind is Kind.MEETING:
            mark = "█" if w.firm else "░"
            for i in range(a, b + 1):
                cells[i] = mark
        else:
            cells[a] = "◆" if w.firm else "◇"
        if today is not None and cells[today] == " ":
            cells[today] = "│"
        out.append(r.item.code.ljust(label_w), style="bold")
        out.append("".join(cells) + "\n", style=style)
    if today is not None:
        out.append(" " * (label_w + today) + "▲ " + day_label(as_of) + "\n", style="bold red")
    out.append(
        "█ meeting  ░ dates not yet set  ◆ deadline or mandate  ◇ not yet set  │ as-of date\n",
        style="dim",
    )
    return out
