"""The views made of more than a table: one item whole (`show`), the changes view, the
dashboard and its footer. Each returns a renderable; the CLI prints it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from poacal.fold import taken_words
from poacal.history import Change, explain_date, fact_lines, source_ref, what_it_sets
from poacal.languages import link
from poacal.model import PROCESS_NAMES, Confidence, Decision, Item, Schedule, day_label
from poacal.overview import Dashboard
from poacal.processes import code, several
from poacal.queries import Row, Standing, relative
from poacal.render import (
    CONFIDENCE_STYLES,
    changes_table,
    confidence_text,
    days_text,
    items_table,
    link_text,
    standing_text,
    when_text,
)


def decision_lines(d: Decision, n: int, schedule: Schedule) -> Group:
    head = Text(f"{n}. {taken_words(d)}  ", style="bold")
    doc = schedule.documents.get(d.source)
    head.append_text(link_text(source_ref(d, schedule), link(doc) if doc else None))
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
            link_text((doc.symbol or doc.title) if doc else ref, link(doc) if doc else None)
        )
        body.append("\n")
        if doc is not None:
            body.append(link(doc) + "\n", style="dim")
    body.rstrip()
    # Text wraps, indented; a URL is never split or cut: printed whole on its own line,
    # which may pass the width (Padding would crop it, so its indent is written in).
    parts: list[RenderableType] = [head]
    prose: list[Text] = []
    for line in body.split("\n"):
        if line.plain.startswith(("https://", "http://")):
            if prose:
                parts.append(Padding(Text("\n").join(prose), (0, 0, 0, 3)))
                prose = []
            url = Text("   ").append_text(line)
            url.no_wrap, url.overflow = True, "ignore"
            parts.append(url)
        else:
            prose.append(line)
    if prose:
        parts.append(Padding(Text("\n").join(prose), (0, 0, 0, 3)))
    return Group(*parts)


def _code(schedule: Schedule, item_id: str | None) -> str | None:
    item = schedule.get(item_id) if item_id else None
    return f"{item.code} ({item.id})" if item else item_id


def _origin(it: Item) -> str:
    """The file an item comes from; the user's own file named as theirs."""
    own = it.decisions and all(d.confidence is Confidence.OWN for d in it.decisions)
    return f"your own schedule file ({it.origin})" if own else it.origin


def show(row: Row, schedule: Schedule) -> Group:
    """Everything about one item: state, how its date was derived, history, sources."""
    st, it = row.state, row.item
    head = Text(f"{it.code}  ", style="bold").append(it.name)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    fields: list[tuple[str, str | Text | None]] = [
        ("id", it.id),
        ("process", PROCESS_NAMES[it.process] if several() else None),
        ("kind", f"{it.kind.value} ({it.type})"),
        ("cycle", it.cycle),
        ("dates", when_text(row)),
        ("status", standing_text(row)),
        ("when", days_text(row) or None),
        *fact_lines(st, lower=True),
        ("addressee", it.addressee),
        ("serves", _code(schedule, row.serves)),
        ("reminders", ", ".join(f"{d}d before" for d in it.remind) or None),
        ("dates confidence", confidence_text(row)),
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
        ("defined in", _origin(it)),
    ]
    for label, value in fields:
        if value:
            facts.add_row(label, value if isinstance(value, Text) else Text(value))
    history = Text("Decisions, oldest first", style="bold underline")
    lines = [decision_lines(d, n, schedule) for n, d in enumerate(st.decisions, 1)]
    return Group(head, Text(), facts, Text(), history, *lines)


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
            parts.append(Text(f"In session: {code(r.item)}, {r.label()}", style="bold green"))
    if d.next_meeting:
        r = d.next_meeting
        line = Text("Next meeting: ", style="bold").append(f"{code(r.item)}, ", style="bold")
        line.append(r.item.name + ", ")
        if r.standing is Standing.POSTPONED:
            line.append("postponed to ", style="magenta")
        line.append_text(when_text(r))
        if r.days is not None:
            line.append(f" ({relative(r.days)})", style="cyan")
        if venue := r.state.fact("venue"):
            line.append(f", {venue}")
        parts.append(line)
        if d.then:
            then = Text("Then: ", style="bold")
            for n, r in enumerate(d.then):
                then.append("; " if n else "").append(f"{code(r.item)}: ", style="bold")
                if r.standing is Standing.POSTPONED:
                    then.append("postponed to ", style="magenta")
                then.append_text(when_text(r))
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
