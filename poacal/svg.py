"""The timeline as a self-contained SVG picture, drawn here (no terminal screenshot):
years across, meetings as bars, deadlines and mandates as diamonds, a line at the
as-of date, a title and the data's revision.

Made for a briefing note and for the feed page: a viewBox (it scales to a phone's
width), system fonts only (nothing loaded from anywhere), no scripts, no links, a
<title> and <desc> for screen readers, colours that read in print and in greyscale
(firm dates solid, unset dates hatched). The same rows give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from poacal.model import Kind, Schedule, day_label
from poacal.queries import Row

WIDTH = 960
LABEL = 150  # the codes' column
ROW = 22
TOP = 70  # title, subtitle and the year axis
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK, MUTED, GRID, ACCENT, FIRM, UNSET = (
    "#1a1a1a",
    "#555555",
    "#d0d0d0",
    "#b00020",
    "#1f4e8c",
    "#8aa6cc",
)


def _x(d: date, first: int, last: int) -> float:
    start = date(first, 1, 1).toordinal()
    total = date(last, 12, 31).toordinal() + 1 - start
    return LABEL + (d.toordinal() - start) * (WIDTH - LABEL - 20) / total


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def timeline_svg(
    rows: Sequence[Row], first: int, last: int, as_of: date, schedule: Schedule
) -> str:
    """The picture, as SVG text."""
    shown = []
    for r in rows:
        lo, hi = r.state.when.earliest(), r.state.when.latest()
        if lo is not None and hi is not None and hi.year >= first and lo.year <= last:
            shown.append((r, lo, hi))
    height = TOP + ROW * len(shown) + 70
    lo_clip, hi_clip = date(first, 1, 1), date(last, 12, 31)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="t d" '
        f'font-family="{escape(FONT)}" font-size="12">',
        f'<title id="t">{escape(schedule.title)}: timeline {first}–{last}</title>',
        f'<desc id="d">Meetings as bars and deadlines as diamonds from {first} to {last}, '
        f"as known on {day_label(as_of)}; data revision {schedule.revision.isoformat()}. "
        "Hatched or hollow marks: dates not yet set, or not recorded for what is past.</desc>",
        "<defs>",
        '<pattern id="unset" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{UNSET}"/>',
        "</pattern>",
        "</defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="24" font-size="17" font-weight="bold" fill="{INK}">'
        f"{escape(schedule.title)}</text>",
        f'<text x="12" y="44" fill="{MUTED}">Timeline {first}–{last}, as known on '
        f"{day_label(as_of)} · data revision {schedule.revision.isoformat()}</text>",
    ]
    years = last - first + 1
    step = 1
    while step * (WIDTH - LABEL - 20) / years < 38 and step < years:
        step += 1
    bottom = TOP + ROW * len(shown)
    for y in range(first, last + 1):
        gx = _num(_x(date(y, 1, 1), first, last))
        out.append(
            f'<line x1="{gx}" y1="{TOP - 6}" x2="{gx}" y2="{bottom}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        if (y - first) % step == 0:
            out.append(f'<text x="{gx}" y="{TOP - 10}" fill="{INK}">{y}</text>')
    for n, (r, lo, hi) in enumerate(shown):
        top = TOP + n * ROW
        mid = top + ROW / 2
        firm = r.state.when.firm
        out.append(
            f'<text x="12" y="{_num(mid + 4)}" fill="{INK}" font-weight="bold">'
            f"{escape(r.item.code)}</text>"
        )
        a = _x(max(lo, lo_clip), first, last)
        b = _x(min(hi, hi_clip), first, last) + 1
        label = f"{r.item.code}: {r.label()} ({r.standing.value})"
        if r.item.kind is Kind.MEETING:
            fill = FIRM if firm else "url(#unset)"
            out.append(
                f'<rect x="{_num(a)}" y="{_num(top + 5)}" width="{_num(max(b - a, 3))}" '
                f'height="{ROW - 10}" fill="{fill}" stroke="{FIRM}" stroke-width="1">'
                f"<title>{escape(label)}</title></rect>"
            )
        else:
            s = 6
            corners = ((a, mid - s), (a + s, mid), (a, mid + s), (a - s, mid))
            points = " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)
            fill = INK if firm else "#ffffff"
            out.append(
                f'<polygon points="{points}" fill="{fill}" stroke="{INK}" stroke-width="1.5">'
                f"<title>{escape(label)}</title></polygon>"
            )
    if first <= as_of.year <= last:
        at = _num(_x(as_of, first, last))
        out.append(
            f'<line x1="{at}" y1="{TOP - 4}" x2="{at}" y2="{bottom + 4}" stroke="{ACCENT}" '
            'stroke-width="2"/>'
        )
        out.append(
            f'<text x="{at}" y="{bottom + 18}" fill="{ACCENT}" text-anchor="middle">'
            f"{escape(day_label(as_of))}</text>"
        )
    legend_y = bottom + 44
    items = [
        ("rect", FIRM, "meeting"),
        ("rect", "url(#unset)", "meeting, dates not set or not recorded"),
        ("diamond", INK, "deadline or mandate"),
        ("diamond", "#ffffff", "its date not set or not recorded"),
    ]
    x = 12.0
    for shape, fill, words in items:
        if shape == "rect":
            out.append(
                f'<rect x="{_num(x)}" y="{legend_y - 9}" width="18" height="10" fill="{fill}" '
                f'stroke="{FIRM}"/>'
            )
        else:
            cx = x + 9
            out.append(
                f'<polygon points="{_num(cx)},{legend_y - 10} {_num(cx + 5)},{legend_y - 4} '
                f'{_num(cx)},{legend_y + 2} {_num(cx - 5)},{legend_y - 4}" fill="{fill}" '
                f'stroke="{INK}"/>'
            )
        out.append(f'<text x="{_num(x + 24)}" y="{legend_y}" fill="{MUTED}">{escape(words)}</text>')
        x += 24 + 7 * len(words) + 20
    out.append("</svg>")
    return "\n".join(out) + "\n"
