"""Pictures in the terminal: the timeline of the cycles (`timeline`) and a month's
grid (`calendar`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.text import Text

from poacal.model import Kind, day_label
from poacal.processes import code
from poacal.queries import Row
from poacal.render import STYLES

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
    label_w = min(max([len(code(r.item)) for r in rows] + [8]) + 1, width // 3)
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
        shown = code(r.item)
        shown = shown if len(shown) < label_w else shown[: label_w - 2] + "…"
        out.append(shown.ljust(label_w), style="bold")
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
