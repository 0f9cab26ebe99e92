"""The honest floors of `make bench`: a one-command Typer app, the smallest program a
Typer CLI can be, that prints one line (`line`), a 10-row Rich table (`table`), or one
event serialized by icalendar (`ical`). poacal's commands are measured against the
floor that does the same kind of work, independently of how many commands poacal has."""

from __future__ import annotations

import sys
from datetime import date

import typer

app = typer.Typer(add_completion=False)


@app.command()
def main(what: str = "line") -> None:
    if what == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table("Code", "What", "Due", "Status")
        for n in range(10):
            table.add_row(f"NR {2020 + n}", "National report", f"{n + 1} June 2026", "upcoming")
        Console().print(table)
    elif what == "ical":
        import icalendar

        cal = icalendar.Calendar()
        cal.add("prodid", "-//floor//EN")
        cal.add("version", "2.0")
        event = icalendar.Event()
        event.add("uid", "floor@example.invalid")
        event.add("dtstamp", date(2026, 1, 1))
        event.add("dtstart", date(2026, 6, 1))
        event.add("summary", "One event")
        cal.add_component(event)
        sys.stdout.buffer.write(cal.to_ical())
    else:
        print("one line")


if __name__ == "__main__":
    app()
