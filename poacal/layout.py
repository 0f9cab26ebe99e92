"""Table layout for the terminal: which columns a width can show, how wide each is, and
where a long word breaks. A lower-priority column is hidden before a word is cut; the
flexible column (a name) takes what is left."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

# Column name -> (minimum width, keep rank). Narrow terminals drop the highest ranks
# first (NEVER_DROP columns stay whatever the width); the flexible column (the name)
# takes whatever width is left.
COLUMNS: dict[str, tuple[int, int]] = {
    "Id": (12, 0),
    "Process": (7, 0),
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


NEVER_DROP = frozenset({"Id", "Process", "Code", "Dates", "Due", "Taken", "Item", "Decision"})


NO_WRAP = frozenset(
    {"Id", "Process", "Code", "Days left", "Confidence", "Kind", "Taken", "When", "Item"}
)


MAX_WIDTH = {
    "Dates": 22,
    "Due": 22,
    "Venue / format": 26,
    "Chair": 30,
    "Note": 28,
    "Status": 32,
    "Source": 30,
}


LONG_WORD = 20  # a longer "word" (a symbol, a URL) may fold rather than hide a column


_URL = re.compile(r"https?://[^\s)]+")


def short_urls(text: str, keep: int = 24) -> str:
    """Long URLs in a table cell shortened to their start and an ellipsis, so a table
    never splits one across lines; `show` prints them whole."""
    return _URL.sub(lambda m: m[0] if len(m[0]) <= keep else m[0][:keep] + "…", text)


def fit(columns: Sequence[str], width: int) -> list[str]:
    """The columns that fit in `width`, dropping the least important first; the code
    and the dates are never dropped. With more than one process shown (--process), a
    Process column before the code, counted like the others."""
    from poacal.processes import several

    keep = list(columns)
    if several() and "Code" in keep:
        keep.insert(keep.index("Code"), "Process")
    while sum(COLUMNS[c][0] + 2 for c in keep) > width:
        droppable = [c for c in keep if c not in NEVER_DROP]
        if not droppable:
            break
        keep.remove(max(droppable, key=lambda c: COLUMNS[c][1]))
    return keep


def build(
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
    # the name gets a fair share (a quarter of the width) before the others are trimmed
    need = (
        max(
            COLUMNS[flexible][0], min(natural[flexible], width // 4, 40), min(longest[flexible], 32)
        )
        if flexible in cols
        else 0
    )

    def narrowest(c: str) -> int:
        """How narrow a column can be without cutting a word (or a one-line value)."""
        if c in NO_WRAP:
            return natural[c]
        # Words longer than LONG_WORD (document symbols, URLs) may fold at a narrow width;
        # the flexible column takes its fair share only where there is room.
        return min(natural[c], max(COLUMNS[c][0], min(longest[c], LONG_WORD)))

    # Hide a lower-priority column before breaking a word: the widths the content needs,
    # not only each column's nominal one (_fit), decide what is shown.
    cols = list(cols)
    while sum(narrowest(c) + 2 for c in cols) > width:
        droppable = [c for c in cols if c not in NEVER_DROP and c != flexible]
        if not droppable:
            break
        cols.remove(max(droppable, key=lambda c: COLUMNS[c][1]))
    sizes = {c: min(natural[c], max(MAX_WIDTH.get(c, natural[c]), longest[c])) for c in cols}
    sizes.pop(flexible, None)
    pad = 2 * len(cols)
    while sum(sizes.values()) + pad + need > width:
        wide = max(
            (
                c
                for c in sizes
                if c not in NO_WRAP and sizes[c] > max(COLUMNS[c][0], min(longest[c], LONG_WORD))
            ),
            key=lambda c: sizes[c],
            default=None,
        )
        if wide is None:
            break
        sizes[wide] -= 1
    if flexible in cols:
        # its fair share, or what is left where the others cannot give it that much
        room = width - pad - sum(sizes.values())
        sizes[flexible] = max(
            min(need, max(room, narrowest(flexible))), min(natural[flexible], room)
        )
    # Too narrow even so: the columns kept on one line may wrap too, at their spaces, and
    # every column is narrowed here, widest first, so that Rich keeps these widths (the
    # long words are broken for them below).
    cramped = sum(sizes.values()) + pad > width
    if cramped:
        for c in cols:
            if c in NO_WRAP:
                sizes[c] = min(sizes[c], longest[c])
        while sum(sizes.values()) + pad > width and max(sizes.values()) > 4:
            sizes[max(sizes, key=lambda c: sizes[c])] -= 1
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
        t.add_row(
            *(
                row[c] if c in NO_WRAP and not cramped else _break_long(row[c], sizes[c])
                for c in cols
            )
        )
    return t


_BREAK_AFTER = "/.-_,;:?&=#"


def _break_long(value: Any, width: int) -> Any:
    """`value` with each word longer than `width` (a document symbol, a URL) broken
    after a "/" or another separator, so that no line of it is cut mid-part or left as
    a lone ")"; where there is none, cut at the width. Styles are kept."""
    text = value if isinstance(value, Text) else Text(str(value))
    plain = text.plain
    if width < 4 or all(len(w) <= width for w in plain.split()):
        return value
    cuts: list[int] = []
    for m in re.finditer(r"\S+", plain):
        start, end = m.span()
        while end - start > width:
            piece = plain[start : start + width]
            at = max(piece.rfind(ch) for ch in _BREAK_AFTER) + 1
            if at <= width // 3 or end - (start + at) <= 1:
                at = width if end - (start + width) > 2 else width - 2
            cuts.append(start + at)
            start += at
    if not cuts:
        return value
    parts, last = [], 0
    for cut in cuts:
        parts.append(text[last:cut])
        last = cut
    parts.append(text[last:])
    return Text("\n").join(parts)
