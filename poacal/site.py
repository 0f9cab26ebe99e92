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
from poacal.languages import NAMES, link, urls
from poacal.model import PROCESS_LABELS, PROCESS_NAMES, Kind, Process, Schedule, day_label
from poacal.processes import current, several
from poacal.queries import Done, Note, Row, relative, rows


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    """One calendar file of the site: everything (no kind, no cycle), one kind, or one
    cycle."""

    path: str
    title: str
    about: str
    kind: Kind | None = None
    cycle: str | None = None
    process: Process | None = None

    @property
    def everything(self) -> bool:
        return self.kind is None and self.cycle is None and self.process is None


def feeds(schedule: Schedule) -> list[Feed]:
    cycles = sorted({i.cycle for i in schedule.items if i.cycle})
    about = "meetings, deadlines and mandates"
    if several():
        about += " of " + " and ".join(PROCESS_NAMES[p] for p in current())
    out = [Feed(path="poacal.ics", title="Everything", about=about)]
    if several():
        out += [
            Feed(
                path=f"{p.value}.ics",
                title=PROCESS_NAMES[p],
                about=f"only the {PROCESS_LABELS[p]}'s meetings, deadlines and mandates",
                process=p,
            )
            for p in current()
        ]
    out += [
        Feed(path=f"{k.value}s.ics", title=f"{k.value.capitalize()}s", about=about, kind=k)
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
            cycle=c,
        )
        for c in cycles
    ]
    return out


def _select(all_rows: list[Row], feed: Feed) -> list[Row]:
    return [
        r
        for r in all_rows
        if (feed.kind is None or r.item.kind is feed.kind)
        and (feed.cycle is None or r.item.cycle == feed.cycle)
        and (feed.process is None or r.item.process is feed.process)
    ]


def build_site(
    schedule: Schedule,
    as_of: date,
    opts: FeedOptions,
    base_url: str = "",
    marks: tuple[Mapping[str, Done], Mapping[str, Sequence[Note]]] = ({}, {}),
    published: Schedule | None = None,
) -> dict[str, bytes]:
    """Every file of the site, by relative path. `marks` (done marks and notes) only for
    a private site (--personal); no file names a local path. `published` is the schedule
    written as schedule.toml for `poacal update` (default: `schedule`): a private site
    gives the public one, so a user's own items never reach other installs."""
    all_rows = rows(schedule, as_of, *marks)
    files: dict[str, bytes] = {}
    listed = feeds(schedule)
    for feed in listed:
        name = schedule.title if feed.everything else f"{schedule.title}: {feed.title}"
        files[feed.path] = to_calendar(
            _select(all_rows, feed), schedule, replace(opts, name=opts.name or name)
        )
    files["schedule.json"] = dumps(listing(all_rows, schedule, as_of, with_counts=True)).encode()
    # The data itself, so every feed site is also an update source (`poacal update`).
    import hashlib
    import json

    from poacal.tomlout import dumps as toml_dumps

    public = published or schedule
    for process in sorted({Process.POA, *(i.process for i in public.items)}):
        # schedule.toml for the PoA (what `poacal update` fetches), att.toml for the ATT
        stem = "schedule" if process is Process.POA else process.value
        data = toml_dumps(public, process).encode()
        files[f"{stem}.toml"] = data
        meta = {
            "revision": public.revision_of(process).isoformat(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "items": sum(1 for i in public.items if i.process is process),
            "schema": 1,
        }
        files[f"{stem}.meta.json"] = (json.dumps(meta, indent=2) + "\n").encode()
    # One calendar file per dated item on the page, to add a single meeting or deadline
    # (events/ is poacal's own: rebuilt whole on every export).
    events = {}
    for r in _upcoming(schedule, as_of):
        if r.days is not None and r.state.when.firm:
            name = f"{schedule.title}: {r.item.code}"
            events[r.item.id] = f"events/{r.item.id}.ics"
            files[events[r.item.id]] = to_calendar([r], schedule, replace(opts, name=name))
    files["index.html"] = index_html(
        schedule, listed, base_url, opts.tentative, as_of, events
    ).encode()
    from poacal.svg import timeline_svg

    timeline_rows = [r for r in all_rows if r.item.type != "general-assembly"]
    first, last = max(as_of.year - 4, 1945), min(as_of.year + 4, 2100)
    files["timeline.svg"] = timeline_svg(timeline_rows, first, last, as_of, schedule).encode()
    return files


PARTIAL = {
    False: "Meetings and deadlines whose dates are known only to the month or year are left out "
    "of these feeds until their dates are set.",
    True: "Meetings and deadlines whose dates are known only to the month or year appear as "
    "tentative one-day events on the first possible day, titled with what is known "
    "(for example \u201c2028 (dates not yet set)\u201d).",
}


WINDOW_DAYS = 180  # the page's "next" and "recent": half a year either way
RECENT_ROWS = 8  # the newest decisions shown; the rest are one command away


def _upcoming(schedule: Schedule, as_of: date) -> list[Row]:
    """The meetings ahead and the deadlines and mandates of the next 180 days: dated
    items first, soonest first; then those whose dates are not yet set."""
    from poacal.overview import dashboard

    board = dashboard(schedule, as_of, window_days=WINDOW_DAYS)
    ahead = [*board.in_session, *([board.next_meeting] if board.next_meeting else []), *board.then]
    listed = ahead + [r for r in board.deadlines if r not in ahead]
    listed.sort(key=lambda r: (r.days is None, r.days if r.days is not None else 0))
    return listed


def _next(schedule: Schedule, as_of: date, events: Mapping[str, str], base: str) -> str:
    """What is coming, as a table, with dates, days left, status, the source of each
    date and, for a dated item, its own calendar file."""
    from poacal.history import source_ref

    esc = html.escape
    listed = _upcoming(schedule, as_of)
    if not listed:
        return "<p>Nothing is scheduled in the data for the months ahead.</p>"
    rows_html = []
    for r in listed:
        d = r.state.dates_from
        doc = schedule.documents.get(d.source) if d else None
        ref = esc(source_ref(d, schedule)) if d else "no source yet"
        source = f'<a href="{esc(link(doc))}">{ref}</a>' if doc else ref
        if doc is not None and (each := urls(doc)):
            # every official language the document exists in, named in its own script
            source += (
                ' <span class="langs">'
                + " ".join(
                    f'<a href="{esc(u)}" hreflang="{c}" lang="{c}" title="{esc(NAMES[c])}">'
                    f"{c.upper()}</a>"
                    for c, u in each.items()
                )
                + "</span>"
            )
        conf = r.state.confidence.value
        sure = "" if conf == "confirmed" else f' <span class="conf">({esc(conf)})</span>'
        left = esc(relative(r.days)) if r.days is not None else "date not set"
        add = ""
        if r.item.id in events:
            add = (
                f'<br><a class="add" href="{esc(base + events[r.item.id])}">Add '
                f"{esc(r.item.code)} to your calendar (.ics)</a>"
            )
        rows_html.append(
            f'<tr id="{esc(r.item.id)}"><th scope="row">{esc(r.item.code)}</th>'
            f"<td>{esc(r.item.name)}{add}</td>"
            f"<td>{esc(r.label())}{sure}</td><td>{left}</td><td>{esc(r.standing.value)}</td>"
            f"<td>{source}</td></tr>"
        )
    return (
        f"<table>\n<caption>Meetings ahead, and deadlines in the next {WINDOW_DAYS} days, as of "
        f'{esc(day_label(as_of))}</caption>\n<thead><tr><th scope="col">Code</th>'
        '<th scope="col">What</th><th scope="col">When</th><th scope="col">Days left</th>'
        '<th scope="col">Status</th><th scope="col">Source of the date</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows_html) + "\n</tbody>\n</table>"
    )


def _recent(schedule: Schedule, as_of: date) -> str:
    """The decisions of the last 180 days (`poacal changes --since 180d`), newest first."""
    from datetime import timedelta

    from poacal.history import change_words, changes, short_taken, source_ref

    esc = html.escape
    since = as_of - timedelta(days=WINDOW_DAYS)
    found = changes(schedule, since, as_of)
    if not found:
        return f"<p>No decision in the data changed a date in the last {WINDOW_DAYS} days.</p>"
    rows_html = []
    for c in found[:RECENT_ROWS]:
        what = "; ".join(change_words(c, lambda item: item.code))
        rows_html.append(
            f'<tr><td>{esc(short_taken(c.decision))}</td><th scope="row">{esc(c.item.code)}</th>'
            f"<td>{esc(what)}</td><td>{esc(source_ref(c.decision, schedule))}</td></tr>"
        )
    more = len(found) - len(rows_html)
    tail = (
        f"<p>And {more} more: <code>poacal changes --since {since.isoformat()}</code>.</p>"
        if more > 0
        else ""
    )
    return (
        f"<table>\n<caption>Decisions of the last {WINDOW_DAYS} days, newest first</caption>\n"
        '<thead><tr><th scope="col">Taken</th><th scope="col">Item</th>'
        '<th scope="col">What changed</th><th scope="col">Source</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows_html) + "\n</tbody>\n</table>" + tail
    )


STEPS = """<details><summary>Outlook on the web (Outlook.com, Microsoft 365) and the new Outlook for
Windows</summary>
<ol><li>Open Calendar, choose <em>Add calendar</em>, then <em>Subscribe from web</em>.</li>
<li>Paste the https address of the feed, give it a name, choose <em>Import</em>.</li></ol></details>
<details><summary>Classic Outlook for Windows (desktop)</summary>
<ol><li>In Calendar, choose <em>Add calendar</em> (or <em>Open Calendar</em>), then
<em>From Internet</em>.</li>
<li>Paste the https address and confirm with <em>Yes</em> to subscribe.</li></ol></details>
<details><summary>Google Calendar (computer; Android follows)</summary>
<ol><li>On calendar.google.com, next to <em>Other calendars</em>, choose +, then
<em>From URL</em>.</li>
<li>Paste the https address and choose <em>Add calendar</em>. Google refreshes subscribed
calendars on its own schedule (often every 12 to 24 hours) and ignores a feed's
reminders.</li>
<li>On an Android phone, the calendar appears in the Google Calendar app; if not, open the
app's settings, tap the calendar and turn on <em>Sync</em>.</li></ol></details>
<details><summary>Apple Calendar on a Mac</summary>
<ol><li>Choose <em>File</em>, <em>New Calendar Subscription</em>.</li>
<li>Paste the address (or open the <em>subscribe</em> link above), choose
<em>Subscribe</em>, set <em>Auto-refresh</em> to <em>Every day</em>.</li></ol></details>
<details><summary>iPhone and iPad</summary>
<ol><li>Open <em>Settings</em>, <em>Calendar</em>, <em>Accounts</em>, <em>Add Account</em>,
<em>Other</em>, <em>Add Subscribed Calendar</em>.</li>
<li>Paste the address and tap <em>Next</em>, then <em>Save</em>. Or tap a
<em>subscribe</em> link above on the device.</li></ol></details>
<details><summary>Thunderbird</summary>
<ol><li>In Calendar, choose <em>New Calendar</em>, <em>On the Network</em>.</li>
<li>Paste the https address as the location and choose <em>Find Calendars</em>, then
<em>Subscribe</em>.</li></ol></details>
"""


def index_html(
    schedule: Schedule,
    listed: list[Feed],
    base_url: str,
    tentative: bool = False,
    as_of: date | None = None,
    events: Mapping[str, str] | None = None,
) -> str:
    """The page a delegate reads: what is next, the timeline, then how to subscribe,
    step by step. No JavaScript; every text from the data is escaped."""
    esc = html.escape
    base = base_url.rstrip("/") + "/" if base_url else ""
    items, quick = [], []
    for feed in listed:
        https = f"{base}{feed.path}"
        if feed.cycle is None and feed.process is None and feed.kind is not Kind.MANDATE:
            # the main feeds again at the top, so a phone need not scroll to them
            to = "webcal://" + https.split("://", 1)[1] if "://" in https else https
            quick.append(f'<a href="{esc(to)}">{esc(feed.title)}</a>')
        line = (
            f"<li><strong>{esc(feed.title)}</strong>: {esc(feed.about)}<br>"
            f'<a href="{esc(https)}">Download the {esc(feed.title.lower())} feed '
            f"({esc(feed.path)})</a>"
        )
        if base.startswith(("https://", "http://")):
            webcal = "webcal://" + https.split("://", 1)[1]
            line += (
                f' · <a href="{esc(webcal)}">Subscribe to the {esc(feed.title.lower())} '
                "feed in your calendar app</a>"
                f'<br><span class="addr">Address to paste: <code>{esc(https)}</code></span>'
            )
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
    day = as_of or schedule.revision
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(schedule.title)}: what is next, and calendar feeds</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1a1a1a; background: #ffffff; max-width: 60rem; margin: 0 auto;
       padding: 1rem; line-height: 1.5 }}
a {{ color: #0b4fa8 }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1rem }}
caption {{ text-align: left; font-weight: bold; padding: .3rem 0 }}
th, td {{ border-bottom: 1px solid #c8c8c8; padding: .35rem .5rem; text-align: left;
          vertical-align: top }}
.conf {{ color: #6b4a00 }}
.addr {{ color: #444444 }}
code {{ background: #f0f0f0; padding: 0 .2rem; overflow-wrap: anywhere }}
figure {{ margin: 1rem 0 }}
figure img {{ width: 100%; min-width: 44rem; height: auto; border: 1px solid #c8c8c8 }}
.wide {{ overflow-x: auto }}
.add {{ white-space: nowrap }}
li {{ margin: .5rem 0 }}
summary {{ font-weight: bold; margin: .4rem 0; cursor: pointer }}
@media (max-width: 40rem) {{
  table, thead, tbody, tr, th, td, caption {{ display: block }}
  thead {{ position: absolute; left: -9999px }}
  tr {{ border-bottom: 2px solid #c8c8c8; padding: .4rem 0 }}
  th, td {{ border: 0; padding: .1rem 0 }}
}}
</style>
</head>
<body>
<header>
<h1>{esc(schedule.title)}</h1>
<p>The meetings, national report deadlines and mandates of the UN Programme of Action on
small arms and light weapons and its International Tracing Instrument, as known on
{esc(day_label(day))}. Data revision {esc(schedule.revision.isoformat())}; every date
names its source and how sure it is.</p>
<p>Calendar feeds: {", ".join(quick)} (<a href="#feeds">every feed, and how to
subscribe</a>).</p>
</header>
<main>
<h2>What is next</h2>
{_next(schedule, day, events or {}, base)}
<h2 id="feeds">Calendar feeds</h2>
<p>Subscribe rather than download, so your calendar follows when a meeting moves.</p>
{no_base}
<ul>
{chr(10).join(items)}
</ul>
<p>{PARTIAL[tentative]}</p>
<h2>Recent changes</h2>
{_recent(schedule, day)}
<h2>The cycle at a glance</h2>
<figure>
<div class="wide" tabindex="0" role="region" aria-label="Timeline, scrolls sideways"><img
src="timeline.svg" alt="Timeline of the Programme of Action
meetings and deadlines; the tables above list what is next and what changed."></div>
<figcaption>Meetings as bars, deadlines as diamonds; hatched or hollow where the dates are
not yet set. The red line is {esc(day_label(day))}. On a narrow screen, scroll it
sideways, or <a href="{esc(base)}timeline.svg">open the timeline picture on its own
(timeline.svg)</a>.</figcaption>
</figure>
<h2>How to subscribe</h2>
{STEPS}
<h2>The data</h2>
<p>The schedule itself, for <code>poacal update</code> and for your own tools:
<a href="{esc(base)}schedule.toml">the schedule as TOML (schedule.toml)</a>,
<a href="{esc(base)}schedule.meta.json">its revision and checksum
(schedule.meta.json)</a> and <a href="{esc(base)}schedule.json">every item as JSON
(schedule.json)</a>.</p>
</main>
<footer>
<p>Made with poacal from sourced data; no cookies, no scripts.</p>
</footer>
</body>
</html>
"""
