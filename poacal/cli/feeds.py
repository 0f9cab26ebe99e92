"""Calendar feeds: `export ics`, `export site` and the `serve` preview server."""

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from poacal.cli.common import (
    boundary,
    check_cycles,
    find,
    load,
    marks,
    parse_as_of,
    parse_kinds,
    say,
    text_arg,
)
from poacal.cli.options import (
    AsOf,
    Cycle,
    Kinds,
    Lang,
    Processes,
    SchedulePaths,
    app,
    complete_from,
)
from poacal.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from poacal.queries import Done, Note

export_app = typer.Typer(
    name="export",
    help="Write iCalendar feeds and a publishable feed folder.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app)

Ids = Annotated[
    list[str] | None, typer.Option("--id", metavar="ID", help="Only this item (repeatable).")
]
UidDomain = Annotated[
    str | None,
    typer.Option(
        "--uid-domain",
        metavar="DOMAIN",
        help="Domain part of every event's UID (item-id@DOMAIN); keep it fixed once "
        "published. Default: the host of --base-url, else poacal.invalid.",
    ),
]
Tentative = Annotated[
    bool,
    typer.Option(
        "--tentative",
        help="Include items whose dates are known only to the month or year, "
        "as STATUS:TENTATIVE events titled with what is known.",
    ),
]
CancelledOpt = Annotated[
    str,
    typer.Option(
        "--cancelled",
        metavar="strict|visible",
        autocompletion=complete_from("strict", "visible"),
        help="Postponed or cancelled meetings: 'strict' sends STATUS:CANCELLED (calendars remove "
        "them; Google deletes them); 'visible' keeps them with a [POSTPONED] or [CANCELLED] title.",
    ),
]
AlarmOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--alarm",
        metavar="30d|7d|2w",
        help="Add a reminder this long before each deadline (repeatable). Google ignores "
        "reminders in subscribed calendars.",
    ),
]
PersonalOpt = Annotated[
    bool,
    typer.Option(
        "--personal",
        help="Also publish your own schedule file (~/.config/poacal/schedule.toml) and "
        "your done marks and notes; for a private feed only. Without it, a feed holds the "
        "embedded schedule and the files named with --schedule, nothing else.",
    ),
]
AlarmMeetings = Annotated[
    bool, typer.Option("--alarm-meetings", help="Also add the reminders to meetings.")
]


def _marks(personal: bool) -> "tuple[Mapping[str, Done], Mapping[str, Sequence[Note]]]":
    """Your done marks and notes for a --personal feed; nothing otherwise."""
    return marks() if personal else ({}, {})


# A host name (RFC 1123 labels): anything else would be escaped inside the UID.
_DOMAIN = re.compile(
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*",
    re.ASCII,
)


def _feed_options(
    uid_domain: str | None,
    tentative: bool,
    cancelled: str,
    alarm: list[str] | None,
    alarm_meetings: bool,
) -> Any:
    from datetime import timedelta

    from poacal.ical import CancelledMode, FeedOptions
    from poacal.windows import lead_days

    try:
        mode = CancelledMode(cancelled)
    except ValueError:
        raise UsageError(f"--cancelled: {cancelled!r} is not 'strict' or 'visible'") from None
    alarms = []
    for text in alarm or ():
        days = lead_days(text)
        if days is None:
            raise UsageError(f"--alarm: cannot read {text!r}; use days or weeks, e.g. 30d or 2w")
        alarms.append(timedelta(days=days))
    if uid_domain is None:
        from poacal.ical import DEFAULT_UID_DOMAIN

        uid_domain = DEFAULT_UID_DOMAIN
    text_arg(uid_domain, "--uid-domain")
    if not _DOMAIN.fullmatch(uid_domain) or len(uid_domain) > 253:
        raise UsageError(f"--uid-domain: {uid_domain!r} is not a domain name")
    return FeedOptions(
        uid_domain=uid_domain,
        tentative=tentative,
        cancelled=mode,
        alarms=tuple(sorted(set(alarms), reverse=True)),
        alarm_meetings=alarm_meetings,
    )


@export_app.command("ics")
@boundary
def export_ics(
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (atomically); '-' for stdout."
        ),
    ] = "-",
    kind: Kinds = None,
    cycle: Cycle = None,
    item_id: Ids = None,
    uid_domain: UidDomain = None,
    tentative: Tentative = False,
    cancelled: CancelledOpt = "strict",
    alarm: AlarmOpt = None,
    alarm_meetings: AlarmMeetings = False,
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    personal: PersonalOpt = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file even if it is read-only.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Say nothing on success (cron mails nothing when all went well)."
        ),
    ] = False,
) -> None:
    """Write an iCalendar (RFC 5545) feed of the schedule: all-day events with stable
    UIDs, a SEQUENCE that rises when an item moves, and sources in each description."""
    from poacal import queries
    from poacal.ical import to_calendar

    opts = _feed_options(uid_domain, tentative, cancelled, alarm, alarm_meetings)
    kinds = parse_kinds(kind)
    day = parse_as_of(as_of)
    sched = load(schedule, public=not personal)
    item_id = [find(sched, i) for i in item_id or ()]
    rows = queries.select(
        queries.rows(sched, day, *_marks(personal)),
        day,
        kinds=kinds,
        cycles=check_cycles(sched, cycle),
        ids=item_id or (),
        everything=True,
    )
    data = to_calendar(rows, sched, opts)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from poacal.files import write_atomic

    wrote = write_atomic(Path(output), data, force=force)
    if not quiet:
        say(f"Wrote {output}" if wrote else f"{output} is up to date")


@export_app.command("site")
@boundary
def export_site(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write the site to.")],
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Where the folder will be published, e.g. "
            "https://example.org/poa/; gives full https and webcal links.",
        ),
    ] = "",
    uid_domain: UidDomain = None,
    tentative: Tentative = False,
    cancelled: CancelledOpt = "strict",
    alarm: AlarmOpt = None,
    alarm_meetings: AlarmMeetings = False,
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    personal: PersonalOpt = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Say what changed even when not on a terminal (cron)."
        ),
    ] = False,
) -> None:
    """Write a folder any static web host can serve: one feed for everything, one per kind
    and per cycle, schedule.json, and an index.html that says how to subscribe. The
    folder is created if needed and replaced in one step, so a web server never serves a
    mix of old and new files; other files in it (a CNAME, .htaccess) are kept. Quiet
    unless on a terminal or --verbose, so a cron job mails nothing when all went well."""
    from poacal.files import write_folder
    from poacal.site import build_site

    if base_url:
        text_arg(base_url, "--base-url")
        if not base_url.startswith(("https://", "http://")) or " " in base_url:
            raise UsageError(
                f"--base-url: {base_url!r} needs a scheme, e.g. https://example.org/poa/"
            )
        if uid_domain is None:
            from urllib.parse import urlsplit

            uid_domain = urlsplit(base_url).hostname
    opts = _feed_options(uid_domain, tentative, cancelled, alarm, alarm_meetings)
    day = parse_as_of(as_of)
    sched = load(schedule, public=not personal)
    public = load(schedule, public=True) if personal else sched
    files = build_site(sched, day, opts, base_url, marks=_marks(personal), published=public)
    changed = write_folder(folder, files, marker="poacal.ics")
    if verbose or sys.stderr.isatty():
        say(
            f"{folder}: {len(files)} files, {len(changed)} changed"
            + (f" ({', '.join(changed)})" if changed else "")
        )


@app.command()
@boundary
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; only this machine by default.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0 picks a free one).")
    ] = 8080,
    uid_domain: UidDomain = None,
    tentative: Tentative = False,
    cancelled: CancelledOpt = "strict",
    as_of: AsOf = None,
    lang: Lang = None,
    process: Processes = None,
    schedule: SchedulePaths = None,
    personal: PersonalOpt = False,
) -> None:
    """Serve the feed folder from memory, for a local preview or a LAN. Ctrl-C stops it."""
    from poacal.errors import EXIT_INTERRUPTED, OutputError
    from poacal.serve import Site, is_loopback, make_server
    from poacal.site import build_site

    opts = _feed_options(uid_domain, tentative, cancelled, None, False)
    day = parse_as_of(as_of)
    sched = load(schedule, public=not personal)
    try:
        server = make_server(Site({}), host, port)
    except (OSError, OverflowError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise OutputError(f"cannot listen on {host or '*'}:{port}: {why}") from None
    shown = f"[{host.strip('[]')}]" if ":" in host else (host or "0.0.0.0")
    base = f"http://{shown}:{server.server_address[1]}/"
    marks = _marks(personal)
    public = load(schedule, public=True) if personal else sched
    # Links on the page name the host each request came to (a LAN name, not 0.0.0.0).
    server.site = Site(
        build_site(sched, day, opts, base, marks=marks, published=public),
        page=lambda here: build_site(sched, day, opts, here, marks=marks, published=public)[
            "index.html"
        ],
    )
    if not is_loopback(host):
        say(
            f"poacal: warning: listening on {host or 'every interface'}: the feeds are "
            "reachable from the network, not only from this machine"
        )
    say(f"Serving {base} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("Stopped.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        server.server_close()
