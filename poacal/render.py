"""Rows -> Rich renderables for the terminal: tables, the dashboard, `show`, the timeline.

Only the table commands import this module, so JSON and reminder paths never load Rich.
Text from the data always goes in as `Text`, never as markup, so a name containing
"[bold]" is printed as it is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from poacal.history import Change, change_words, short_taken, source_ref
from poacal.languages import link
from poacal.layout import build, fit, short_urls
from poacal.model import Kind, Schedule
from poacal.processes import code
from poacal.queries import Row, Standing
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


def standing_text(row: Row) -> Text:
    return Text(row.standing.value, style=STYLES[row.standing])


def when_text(row: Row, with_confidence: bool = False) -> Text:
    text = Text(row.label())
    if not row.state.when.firm:
        text.stylize("italic")
    conf = row.state.confidence.value
    if with_confidence and conf != "confirmed":
        text.append(f" ({conf})", style=CONFIDENCE_STYLES[conf])
    return text


def confidence_text(row: Row) -> Text:
    value = row.state.confidence.value
    return Text(value, style=CONFIDENCE_STYLES[value])


def days_text(row: Row) -> str:
    if row.standing in (Standing.HELD, Standing.CLOSED, Standing.DONE, Standing.FULFILLED):
        return row.when_words() if row.item.kind is Kind.MEETING else ""
    return row.when_words()


def _with_ids(
    cols: list[str], cells: list[dict[str, Any]], rows: Sequence[Row], ids: bool
) -> list[str]:
    """With `ids`, an Id column first (what `show`, `done` and `--id` take); when more
    than one process is shown (--process), a Process column before the code."""
    from poacal.processes import label

    if "Process" in cols:  # put there by _fit
        for cell, r in zip(cells, rows, strict=True):
            cell["Process"] = Text(label(r.item.process))
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
    cols = fit(offered, width)
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
                "Dates": when_text(r, "Confidence" not in cols),
                "Venue / format": Text(short_urls(venue)),
                "Chair": Text(chair),
                "Status": standing_text(r),
                "When": days_text(r),
                "Confidence": confidence_text(r),
            }
        )
    return build(title, _with_ids(cols, cells, rows, ids), cells, width, "Meeting", offered)


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
    cols = fit(offered, width)
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
                "Due": when_text(r, "Confidence" not in cols),
                "Status": standing_text(r),
                "Days left": _left(r),
                "Confidence": confidence_text(r),
                "Note": Text(note),
            }
        )
    return build(title, _with_ids(cols, cells, rows, ids), cells, width, "What", offered)


def agenda_table(
    rows: Sequence[Row], width: int, title: str | None = None, ids: bool = False
) -> Table:
    """One line per event in date order: a session's days on one line."""
    offered = ("Dates", "Code", "What", "Kind", "Status", "When", "Confidence")
    cols = fit(offered, width)
    cells = [
        {
            "Dates": when_text(r, "Confidence" not in cols),
            "Code": Text(r.item.code, style="bold"),
            "What": Text(r.item.name),
            "Kind": r.item.kind.value,
            "Status": standing_text(r),
            "When": days_text(r),
            "Confidence": confidence_text(r),
        }
        for r in rows
    ]
    return build(title, _with_ids(cols, cells, rows, ids), cells, width, "What", offered)


def status_table(
    rows: Sequence[Row], counts: dict[str, dict[str, int]], width: int, ids: bool = False
) -> Group:
    offered = ("Kind", "Code", "Dates", "Status", "When", "Confidence")
    cols = fit(offered, width)
    cells = [
        {
            "Kind": r.item.kind.value,
            "Code": Text(r.item.code, style="bold"),
            "Dates": when_text(r, "Confidence" not in cols),
            "Status": standing_text(r),
            "When": days_text(r),
            "Confidence": confidence_text(r),
        }
        for r in rows
    ]
    t = build(None, _with_ids(cols, cells, rows, ids), cells, width, "", offered)
    summary = Text()
    for kind, per in counts.items():
        parts = ", ".join(f"{n} {k.replace('-', ' ')}" for k, n in per.items())
        summary.append(f"{kind}s: ", style="bold").append(parts + "\n")
    return Group(t, summary)


def link_text(text: str, url: str | None) -> Text:
    return Text(text, style=f"link {url}" if url else "")


def changes_table(
    found: Iterable[Change], schedule: Schedule, width: int, title: str | None = None
) -> Table:
    offered = ("Taken", "Item", "Decision", "Source", "Confidence")
    cols = fit(offered, width)
    cells = []
    for c in found:
        d = c.decision
        doc = schedule.documents.get(d.source)
        cells.append(
            {
                "Taken": short_taken(d),
                "Item": Text(code(c.item), style="bold"),
                "Decision": Text(short_urls("; ".join(change_words(c, code)))),
                "Source": link_text(source_ref(d, schedule), link(doc) if doc else None),
                "Confidence": Text(d.confidence.value, style=CONFIDENCE_STYLES[d.confidence.value]),
            }
        )
    return build(title, cols, cells, width, "Decision", offered)
