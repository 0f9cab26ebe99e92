"""Rows -> Rich renderables for the terminal: tables, the dashboard, `show`, the timeline.

Only the table commands import this module, so JSON and reminder paths never load Rich.
Text from the data always goes in as `Text`, never as markup, so a name containing
"[bold]" is printed as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from poacal.fold import taken_words
from poacal.history import Change, explain_date, fact_lines, source_ref, what_it_sets
from poacal.languages import link
from poacal.model import Decision, Kind, Schedule, day_label
from poacal.overview import Dashboard
from poacal.queries import Row, Standing, relative
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
# first (NEVER_DROP columns stay whatever the width); the flexible column (the name)
# takes whatever width is left.
COLUMNS: dict[str, tuple[int, int]] = {
    "Id": (12, 0),
    "Code": (10, 0),
    "Dates": (13, 0),
    "Due": (13, 0),
    "Taken": (10, 0),
    "Item": (8, 0),
    "Status": (10, 1),
    "Decision": (16, 1),
    "Meeting": (20, 2),
    "What": (20, 2),
    "Days left": (9, 3),
    "When": (12, 3),
    "Kind": (8, 3),
    "Source": (16, 4),
    "Confidence": (11, 5),
    "Venue / format": (14, 6),
    "Chair": (14, 7),
    "Note": (12, 8),
}
NEVER_DROP = frozenset({"Id", "Code", "Dates", "Due", "Taken", "Item", "Decision"})
NO_WRAP = frozenset({"Id", "Code", "Days left", "Confidence", "Kind", "Taken", "When", "Item"})
MAX_WIDTH = {
    "Dates": 22,
    "Due": 22,
    "Venue / format": 26,
    "Chair": 30,
    "Note": 28,
    "Status": 32,
    "Source": 30,
}
WIDE = 10_000  # --wide: every column, whatever the terminal's width
_URL = re.compile(r"https?://[^\s)]+")


def short_urls(text: str, keep: int = 24) -> str:
    """Long URLs in a table cell shortened to their start and an ellipsis, so a table
    never splits one across lines; `show` prints them whole."""
    return _URL.sub(lambda m: m[0] if len(m[0]) <= keep else m[0][:keep] + "…", text)


def _fit(columns: Sequence[str], width: int) -> list[str]:
    """The columns that fit in `width`, dropping the least important first; the code
    and the dates are never dropped."""
    keep = list(columns)
    while sum(COLUMNS[c][0] + 2 for c in keep) > width:
        droppable = [c for c in keep if c not in NEVER_DROP]
        if not droppable:
            break
        keep.remove(max(droppable, key=lambda c: COLUMNS[c][1]))
    return keep


def _build(
    title: str | None,
    cols: Sequence[str],
    cells: Sequence[dict[str, Any]],
    width: int,
    flexible: str = "",
    offered: Sequence[str] = (),
) -> Table:
    """A table laid out for `width`: fixed columns get their content's width (capped, and
    never narrower than their longest word, so no word is cut and no lone ")" is left on
    a line), the flexible column (the name) gets what is left. `offered` are the columns
    the view has: those not shown are named in a caption, with --wide to show them."""

    def lines(value: Any) -> list[str]:
        return (value.plain if isinstance(value, Text) else str(value)).splitlines() or [""]

    def length(value: Any) -> int:
        return max(len(line) for line in lines(value))

    def word(value: Any) -> int:
        return max((len(w) for line in lines(value) for w in line.split()), default=0)

    natural = {c: max([len(c)] + [length(row[c]) for row in cells]) for c in cols}
    longest = {c: max([len(c)] + [word(row[c]) for row in cells]) for c in cols}
    sizes = {c: min(natural[c], max(MAX_WIDTH.get(c, natural[c]), longest[c])) for c in cols}
    sizes.pop(flexible, None)
    pad = 2 * len(cols)
    # the name gets a fair share (a quarter of the width) before the others are trimmed
    need = (
        max(
            COLUMNS[flexible][0], min(natural[flexible], width // 4, 40), min(longest[flexible], 24)
        )
        if flexible in cols
        else 0
    )
    while sum(sizes.values()) + pad + need > width:
        wide = max(
            (
                c
                for c in sizes
                if c not in NO_WRAP and sizes[c] > max(COLUMNS[c][0], min(longest[c], 30))
            ),
            key=lambda c: sizes[c],
            default=None,
        )
        if wide is None:
            break
        sizes[wide] -= 1
    if flexible in cols:
        sizes[flexible] = max(need, min(natural[flexible], width - pad - sum(sizes.values())))
    # Too narrow even so: the columns kept on one line may wrap too, rather than be cut.
    cramped = sum(sizes.values()) + pad > width
    hidden = [c for c in offered if c not in cols]
    t = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        title_style="bold",
        caption=f"Not shown at this width: {', '.join(hidden)} (--wide shows them)"
        if hidden
        else None,
        caption_justify="left",
        caption_style="dim",
        pad_edge=False,
        collapse_padding=True,
        show_edge=False,
    )
    for c in cols:
        t.add_column(c, width=sizes[c], no_wrap=c in NO_WRAP and not cramped, overflow="fold")
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
    offered = (
        "Code",
        "Meeting",
        "Dates",
        "Venue / format",
        "Chair",
        "Status",
        "When",
        "Confidence",
    )
    cols = _fit(offered, width)
    cells = []
    for r in rows:
        st = r.state
        venue = ", ".join(x for x in (st.fact("venue"), st.fact("format")) if x)
        chair, role = st.fact("chair") or "", st.fact("chair_role")
        chair = f"{chair} ({role})" if chair and role else chair
        cells.append(
            {
                "Code": Text(r.item.code, style="bold"),
                "Meeting": Text(r.item.name),
                "Dates": _when(r, "Confidence" not in cols),
                "Venue / format": Text(short_urls(venue)),
                "Chair": Text(chair),
                "Status": _standing(r),
                "When": _days(r),
                "Confidence": _confidence(r),
            }
        )
    return _build(title, _with_ids(cols, cells, rows, ids), cells, width, "Meeting", offered)


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
    offered = ("Code", "What", "Due", "Status", "Days left", "Confidence", "Note")
    cols = _fit(offered, width)
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
    return _build(title, _with_ids(cols, cells, rows, ids), cells, width, "What", offered)


def agenda_table(
    rows: Sequence[Row], width: int, title: str | None = None, ids: bool = False
) -> Table:
    """One line per event in date order: a session's days on one line."""
    offered = ("Dates", "Code", "What", "Kind", "Status", "When", "Confidence")
    cols = _fit(offered, width)
    cells = [
        {
            "Dates": _when(r, "Confidence" not in cols),
            "Code": Text(r.item.code, style="bold"),
            "What": Text(r.item.name),
            "Kind": r.item.kind.value,
            "Status": _standing(r),
            "When": _days(r),
            "Confidence": _confidence(r),
        }
        for r in rows
    ]
    return _build(title, _with_ids(cols, cells, rows, ids), cells, width, "What", offered)


def status_table(
    rows: Sequence[Row], counts: dict[str, dict[str, int]], width: int, ids: bool = False
) -> Group:
    offered = ("Kind", "Code", "Dates", "Status", "When", "Confidence")
    cols = _fit(offered, width)
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
    t = _build(None, _with_ids(cols, cells, rows, ids), cells, width, "", offered)
    summary = Text()
    for kind, per in counts.items():
        parts = ", ".join(f"{n} {k.replace('-', ' ')}" for k, n in per.items())
        summary.append(f"{kind}s: ", style="bold").append(parts + "\n")
    return Group(t, summary)


def _link(text: str, url: str | None) -> Text:
    return Text(text, style=f"link {url}" if url else "")


def decision_lines(d: Decision, n: int, schedule: Schedule) -> Group:
    head = Text(f"{n}. {taken_words(d)}  ", style="bold")
    doc = schedule.documents.get(d.source)
    head.append_text(_link(source_ref(d, schedule), link(doc) if doc else None))
    head.append(f"  [{d.confidence.value}]", style=CONFIDENCE_STYLES[d.confidence.value])
    body = Text()
    if doc is not None:
        body.append(link(doc) + "\n", style="dim")
    sets = what_it_sets(d, schedule)
    for s in sets:
        body.append(s + "\n")
    if d.note:
        body.append(d.note + "\n", style="italic")
    for ref in d.also:
        doc = schedule.documents.get(ref)
        body.append("see also ").append_text(
            _link((doc.symbol or doc.title) if doc else ref, link(doc) if doc else None)
        )
        body.append("\n")
        if doc is not None:
            body.append(link(doc) + "\n", style="dim")
    body.rstrip()
    # A URL is never split across lines: printed whole, a line may pass the width.
    body.no_wrap, body.overflow = False, "ignore"
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
        *fact_lines(st, lower=True),
        ("addressee", it.addressee),
        ("serves", _code(schedule, row.serves)),
        ("reminders", ", ".join(f"{d}d before" for d in it.remind) or None),
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
    offered = ("Taken", "Item", "Decision", "Source", "Confidence")
    cols = _fit(offered, width)
    cells = []
    for c in found:
        d = c.decision
        what = [
            f"{field}: {after}" if before is None else f"{field}: {before} → {after}"
            for field, before, after in c.changed
        ] or ([d.note] if d.note else ["(no change)"])
        taken = d.taken.isoformat() if d.taken else ""
        if d.taken and not d.taken_exact:
            taken = f"by {taken}"
        doc = schedule.documents.get(d.source)
        cells.append(
            {
                "Taken": taken,
                "Item": Text(c.item.code, style="bold"),
                "Decision": Text(short_urls("; ".join(what))),
                "Source": _link(source_ref(d, schedule), link(doc) if doc else None),
                "Confidence": Text(d.confidence.value, style=CONFIDENCE_STYLES[d.confidence.value]),
            }
        )
    return _build(title, cols, cells, width, "Decision", offered)


def changes_view(
    found: Sequence[Change], undated: Sequence[Change], schedule: Schedule, width: int
) -> Group:
    """`changes`: the decisions in the period, then those whose date is unknown."""
    parts: list[RenderableType] = []
    if found:
        parts.append(changes_table(found, schedule, width))
    if undated:
        if found:
            parts.append(Text())
        parts.append(changes_table(undated, schedule, width, title="Date of decision unknown"))
    return Group(*parts)


STALE_DAYS = 120  # past this many days after the data's revision, the dashboard says so


UPDATE_HINT = "Run `poacal update`, or upgrade poacal."


def footer(
    schedule: Schedule, as_of: date, source: str, hint: str = UPDATE_HINT
) -> list[RenderableType]:
    """How old the data is and where it came from; a warning when it may be stale."""
    lines: list[RenderableType] = [
        Text(f"Data revision {schedule.revision.isoformat()}, {source}.", style="dim")
    ]
    age = (as_of - schedule.revision).days
    if age > STALE_DAYS:
        lines.append(
            Text(
                f"The data is {age} days older than this date: newer dates may exist. {hint}",
                style="yellow",
            )
        )
    return lines


def dashboard(
    d: Dashboard,
    schedule: Schedule,
    width: int,
    source: str = "",
    days: int = 90,
    hint: str = UPDATE_HINT,
) -> Group:
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
        if venue := r.state.fact("venue"):
            line.append(f", {venue}")
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
        (f"Deadlines in the next {days} days", d.deadlines, "none"),
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
        parts.append(
            changes_table(shown, schedule, width, title=f"Decisions in the last {days} days")
        )
        if len(d.changes) > len(shown):
            parts.append(
                Text(
                    f"and {len(d.changes) - len(shown)} more: poacal changes --since {days}d",
                    style="dim",
                )
            )
    if source:
        parts += [Text(), *footer(schedule, d.as_of, source, hint)]
    return Group(*parts)


DASHBOARD_CHANGES = 6


LEGEND = (
    ("█", "meeting"),
    ("░", "meeting, dates not set or not recorded"),
    ("◆", "deadline or mandate"),
    ("◇", "its date not set or not recorded"),
    ("│", "as-of date"),
)


def _axis(first: int, last: int, span_w: int, col: Any) -> str:
    """Year labels that never collide: every Nth year, as the width allows."""
    years = last - first + 1
    per_year = span_w / years
    step = 1
    while step * per_year < 5 and step < years:
        step += 1
    cells = [" "] * span_w
    free = 0  # the first column a label may start at
    for y in range(first, last + 1, step):
        c = col(date(y, 1, 1))
        label = str(y)
        if c < free or c + len(label) > span_w:
            continue
        cells[c : c + len(label)] = label
        free = c + len(label) + 1
    return "".join(cells)


def _legend(width: int) -> str:
    """The legend in lines no wider than `width`."""
    lines, line = [], ""
    for mark, words in LEGEND:
        entry = f"{mark} {words}"
        if line and len(line) + 2 + len(entry) > width:
            lines.append(line)
            line = entry
        else:
            line = f"{line}  {entry}" if line else entry
    return "\n".join([*lines, line]) + "\n"


def timeline(rows: Sequence[Row], first: int, last: int, as_of: date, width: int) -> Text:
    """Years across, one line per item: meetings as bars, deadlines as marks, a line at
    the as-of date; never wider than `width`, whatever the range of years."""
    width = max(width, 20)
    label_w = min(max([len(r.item.code) for r in rows] + [8]) + 1, width // 3)
    span_w = max(width - label_w - 1, 8)
    start = date(first, 1, 1).toordinal()
    total = date(last, 12, 31).toordinal() - start + 1

    def col(d: date) -> int:
        return min(span_w - 1, max(0, (d.toordinal() - start) * span_w // total))

    out = Text()
    out.append(" " * label_w + _axis(first, last, span_w, col).rstrip() + "\n", style="bold")
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
        code = r.item.code if len(r.item.code) < label_w else r.item.code[: label_w - 2] + "…"
        out.append(code.ljust(label_w), style="bold")
        out.append("".join(cells).rstrip() + "\n", style=style)
    if today is not None:
        text = "▲ " + day_label(as_of)
        at = label_w + today
        line = (
            " " * at + text
            if at + len(text) <= width
            else " " * max(0, at - len(text) + 1) + day_label(as_of) + " ▲"
        )
        out.append(line + "\n", style="bold red")
    out.append(_legend(width), style="dim")
    return out


def month_grid(year: int, month: int, marked: set[date], today: date, sunday: bool) -> Text:
    """A month at a glance, 27 columns wide: days with events in bold with a mark
    after them, today in reverse."""
    import calendar as cal

    first = 6 if sunday else 0
    names = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
    heads = [names[(first + n) % 7] for n in range(7)]
    out = Text()
    out.append(f"{cal.month_name[month]} {year}".center(27).rstrip() + "\n", style="bold")
    out.append(" ".join(f"{h:>3}" for h in heads).rstrip() + "\n", style="dim")
    for week in cal.Calendar(first).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(Text("   "))
                continue
            mark = day in marked
            cell = Text(f"{day.day:>2}" + ("*" if mark else " "))
            if mark:
                cell.stylize("bold")
            if day == today:
                cell.stylize("reverse", 0, 2)
            cells.append(cell)
        line = Text(" ").join(cells)
        line.rstrip()
        out.append_text(line)
        out.append("\n")
    out.rstrip()
    return out
