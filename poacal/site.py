"""The publishable feed folder: every feed, a JSON export and an index.html.

`build_site` returns {relative path: bytes}; `export site` writes it to a folder (only
files whose content changed) and `serve` serves it from memory. The page works without
JavaScript, and every piece of text from the data is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from poacal.ical import FeedOptions, to_calendar
from poacal.jsonout import dumps, listing
from poacal.model import Kind, Schedule
from poacal.queries import Done, Note, Row, rows


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    path: str
    title: str
    about: str


def feeds(schedule: Schedule) -> list[Feed]:
    cycles = sorted({i.cycle for i in schedule.items if i.cycle})
    out = [Feed(path="poacal.ics", title="Everything", about="meetings, deadlines and mandates")]
    out += [
        Feed(path=f"{k.value}s.ics", title=f"{k.value.capitalize()}s", about=about)
        for k, about in (
            (
                Kind.MEETING,
                "Review Conferences, Biennial Meetings of States, "
                "Preparatory Committees, expert groups",
            ),
            (Kind.DEADLINE, "national reports and requested views"),
            (Kind.MANDATE, "what resolutions ask of the Secretary-General and the Secretariat"),
        )
    ]
    out += [
        Feed(
            path=f"cycle-{c}.ics",
            title=f"Cycle {c.replace('-', '–')}",
            about=f"everything in the {c.replace('-', '–')} cycle",
        )
        for c in cycles
    ]
    return out


def _select(all_rows: list[Row], feed: Feed) -> list[Row]:
    if feed.path == "poacal.ics":
        return all_rows
    if feed.path.startswith("cycle-"):
        cycle = feed.path[len("cycle-") : -len(".ics")]
        return [r for r in all_rows if r.item.cycle == cycle]
    kind = feed.path[: -len("s.ics")]
    return [r for r in all_rows if r.item.kind.value == kind]


def build_site(
    schedule: Schedule,
    as_of: date,
    opts: FeedOptions,
    base_url: str = "",
    marks: tuple[Mapping[str, Done], Mapping[str, Sequence[Note]]] = ({}, {}),
) -> dict[str, bytes]:
    """Every file of the site, by relative path. `marks` (done marks and notes) only for
    a private site (--personal); no file names a local path."""
    all_rows = rows(schedule, as_of, *marks)
    files: dict[str, bytes] = {}
    listed = feeds(schedule)
    for feed in listed:
        name = schedule.title if feed.path == "poacal.ics" else f"{schedule.title}: {feed.title}"
        files[feed.path] = to_calendar(
            _select(all_rows, feed), schedule, replace(opts, name=opts.name or name)
        )
    files["schedule.json"] = dumps(listing(all_rows, schedule, as_of, with_counts=True)).encode()
    # The data itself, so every feed site is also an update source (`poacal update`).
    import hashlib
    import json

    from poacal.tomlout import dumps as toml_dumps

    data = toml_dumps(schedule).encode()
    files["schedule.toml"] = data
    meta = {
        "revision": schedule.revision.isoformat(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "items": len(schedule.items),
        "schema": 1,
    }
    files["schedule.meta.json"] = (json.dumps(meta, indent=2) + "\n").encode()
    files["index.html"] = index_html(schedule, listed, base_url, opts.tentative).encode()
    return files


PARTIAL = {
    False: "Meetings and deadlines whose dates are known only to the month or year are left out "
    "of these feeds until their dates are set.",
    True: "Meetings and deadlines whose dates are known only to the month or year appear as "
    "tentative one-day events on the first possible day, titled with what is known "
    "(for example \u201c2028 (dates not yet set)\u201d).",
}


def index_html(
    schedule: Schedule, listed: list[Feed], base_url: str, tentative: bool = False
) -> str:
    esc = html.escape
    base = base_url.rstrip("/") + "/" if base_url else ""
    items = []
    for feed in listed:
        https = f"{base}{feed.path}"
        line = (
            f"<li><strong>{esc(feed.title)}</strong>: {esc(feed.about)}<br>"
            f'<a href="{esc(https)}">{esc(https)}</a>'
        )
        if base.startswith(("https://", "http://")):
            webcal = "webcal://" + https.split("://", 1)[1]
            line += f' · <a href="{esc(webcal)}">subscribe (webcal)</a>'
        items.append(line + "</li>")
    no_base = (
        ""
        if base
        else (
            "<p><em>This folder was exported without <code>--base-url</code>, so the links "
            "are relative; give the address where it is published to get full and webcal "
            "links.</em></p>"
        )
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(schedule.title)}: calendar feeds</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5 }}
li {{ margin: .6rem 0 }}
code {{ background: #eee; padding: 0 .2rem }}
</style>
</head>
<body>
<h1>{esc(schedule.title)}</h1>
<p>Calendar feeds of the meetings, national report deadlines and mandates of the UN
Programme of Action on small arms and light weapons and its International Tracing
Instrument. Data revised {esc(schedule.revision.isoformat())}; every event names its
sources and how sure they are.</p>
{no_base}
<h2>Feeds</h2>
<ul>
{chr(10).join(items)}
</ul>
<p>The whole schedule as JSON: <a href="{esc(base)}schedule.json">schedule.json</a>.</p>
<h2>How to subscribe</h2>
<p>Subscribe rather than download, so your calendar follows when a meeting moves.</p>
<ul>
<li><strong>Google Calendar</strong> (web): Other calendars, +, From URL; paste the https
link. Google refreshes subscribed calendars on its own schedule, often only every 12–24
hours or more, and ignores the feed's reminders.</li>
<li><strong>Apple Calendar</strong>: File, New Calendar Subscription; paste the link (or
click the webcal link); set Auto-refresh to Every day.</li>
<li><strong>Outlook</strong>: Add calendar, Subscribe from web; paste the https link.</li>
<li><strong>Thunderbird</strong>: New Calendar, On the Network; paste the https link.</li>
</ul>
<p>{PARTIAL[tentative]}</p>
</body>
</html>
"""
