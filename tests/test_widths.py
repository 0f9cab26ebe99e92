"""Every view at 40, 80, 120 and 200 columns: golden files, no line wider than the
terminal (a URL, printed whole, aside), no trailing spaces when piped, no line that is
only punctuation; and the timeline's own SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from poacal.cli import app
from tests.conftest import FIXTURE, REVISION

AS_OF = ["--as-of", "2026-11-30"]
VIEWS = {
    "dashboard": [],
    "meetings": ["meetings"],
    "deadlines": ["deadlines", "--all"],
    "mandates": ["mandates"],
    "status": ["status"],
    "show": ["show", "bms7"],
    "changes": ["changes", "--since", "2019-01-01"],
    "timeline": ["timeline", "--from", "2016", "--to", "2030"],
}
WIDTHS = (40, 80, 120, 200)


def view(args: list[str], width: int) -> str:
    """A view of the fixture schedule (a frozen copy of the data as of revision
    2026-12-03), so that an edit of the embedded data rewrites no golden file here."""
    result = CliRunner().invoke(
        app, [*args, *AS_OF], env={"POACAL_SCHEDULE": str(FIXTURE), "COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_views_at_every_width(
    name: str, width: int, golden: Callable[[str, str | bytes], None]
) -> None:
    out = view(VIEWS[name], width)
    golden(f"widths/{name}-{width}.txt", out)
    for line in out.splitlines():
        assert line == line.rstrip(), f"trailing spaces in {line!r}"
        if "://" not in line:
            assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"
        assert not re.fullmatch(r"\s*[)\].,;:]\s*", line), f"lone punctuation: {line!r}"


def test_columns_that_do_not_fit_are_named() -> None:
    out = view(["meetings"], 80)
    assert "Not shown at this width: Venue / format, Chair, Confidence (--wide shows them)" in out
    assert "Meeting" in out.splitlines()[0]  # the name is never the first to go
    narrow = view(["meetings"], 40)
    assert narrow.splitlines()[0].split()[:2] == ["Code", "Dates"]
    wide = view(["meetings", "--wide"], 80)
    assert "Not shown" not in wide and "Chair" in wide.splitlines()[0]


def test_show_prints_urls_whole_when_piped() -> None:
    out = view(["show", "bms7"], 40)
    assert "https://undocs.org/A/RES/74/60" in out.split()


def test_the_timeline_axis_never_collides() -> None:
    for width in (40, 80, 140):
        axis = view(["timeline", "--from", "1990", "--to", "2100"], width).splitlines()[0]
        years = axis.split()
        assert all(re.fullmatch(r"\d{4}", y) for y in years), axis
        assert years == sorted(years)


def test_svg_is_self_contained_and_golden(
    tmp_path: object, golden: Callable[[str, str | bytes], None]
) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "t.svg"
    args = ["timeline", "--from", "2016", "--to", "2030", "--svg", str(out), *AS_OF]
    result = CliRunner().invoke(app, args, env={"POACAL_SCHEDULE": str(FIXTURE)})
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    golden("timeline-2026-11-30.svg", data)
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title") is not None
    text = data.decode()
    # refers to nothing outside itself: no links, scripts, fonts or images from elsewhere
    assert not re.search(r"href|<script|@import|url\((?!#)|<image|<foreignObject", text)
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text
    assert "BMS9" in text and "30 November 2026" in text and REVISION in text


@pytest.mark.parametrize("width", WIDTHS)
def test_show_prints_urls_and_notes_whole(width: int) -> None:
    """Issue 22 #1: `poacal show bms7 | grep pga` finds the whole URL, at any width, and
    no note or outcome is cut at the edge: every word of them is there."""
    out = view(["show", "bms7"], width)
    url = "https://www.un.org/pga/74/2020/05/14/adopted-by-the-united-nations-general-assembly-may-14/"
    assert any(line.strip() == url for line in out.splitlines())
    words = " ".join(out.split())
    assert "tally and symbol unconfirmed" in words
    assert "named Ambassador Lazarus O. Amayo (Kenya) as Chair-designate." in words


def _words() -> set[str]:
    """Words a table must never cut: the codes' words, confidences, column headers."""
    from poacal.layout import COLUMNS
    from poacal.load import load_schedule
    from poacal.model import Confidence

    sched = load_schedule(FIXTURE)
    words = {w for i in sched.items for w in i.code.split()}
    words |= {c.value for c in Confidence} | {w for c in COLUMNS for w in c.split()}
    # words of the views' own text that begin a longer one ("Not shown", "Date of
    # decision unknown", "report" of "reported")
    return {w for w in words if len(w) >= 4} - {"Note", "Dates", "reported", "format"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["meetings", "deadlines", "mandates", "status", "changes"])
def test_no_table_cuts_a_word_at_any_width(name: str) -> None:
    """At every width from 40 to 160 columns, a word a table shows (a code, a
    confidence, a header) is whole on its line, and no line is a lone ")": a
    lower-priority column is hidden first ("PrepCo"/"m4", "Confidenc"/"e" before)."""
    words = _words()
    cuts = {}
    for width in range(40, 161, 3):
        out = view(VIEWS[name], width)
        cut = {
            t
            for t in set(out.split()) - words
            for w in words
            if len(t) >= 3 and w.startswith(t) and not t.endswith("…")
        }
        lone = [line for line in out.splitlines() if re.fullmatch(r"\s*[a-z]?[)\].,;:]\s*", line)]
        if cut or lone:
            cuts[width] = (sorted(cut), lone)
    assert cuts == {}
