"""Keeping the data current: `update`. The only command that touches the network."""

from typing import Annotated

import typer

from poacal.cli.common import boundary, say
from poacal.cli.options import app, complete_from
from poacal.errors import EXIT_DUE, EXIT_NETWORK, EXIT_OK, UsageError

UPDATE_EPILOG = (
    f"Exit codes: {EXIT_OK} done (or, with --check, no update); {EXIT_DUE} with --check: "
    f"an update exists; {EXIT_NETWORK} the download failed or took over 20 s, does not "
    "match the site's schedule.meta.json, is not a valid newer schedule, or does not fit "
    "your own schedule file (the data in use is untouched); see poacal --help for the others."
)


@app.command(epilog=UPDATE_EPILOG)
@boundary
def update(
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="URL",
            help="A feed site written by `poacal export site` (or its schedule.toml). "
            "Default: $POACAL_UPDATE_URL, else the URL of the last update. None is built in.",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether a newer schedule exists.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Accept a schedule older than the one in use.")
    ] = False,
    revert: Annotated[
        bool, typer.Option("--revert", help="Go back to the schedule shipped with poacal.")
    ] = False,
) -> None:
    """Fetch a newer schedule from a feed site, so an installed poacal learns new dates
    without reinstalling. It is validated fully and used only if its revision is newer;
    a failed update never touches the data in use. Only https (http to this machine)."""
    from poacal import update as up

    if revert:
        if check or source or force:
            raise UsageError("--revert: give it alone")
        gone = up.revert()
        say(
            "Back to the schedule shipped with poacal."
            if gone
            else "Already using the schedule shipped with poacal."
        )
        return
    outcome = up.run(source, check=check, force=force)
    say(outcome.message)
    if outcome.update_exists:
        raise typer.Exit(EXIT_DUE)


SCHEMAS = ("listing", "status", "show", "changes", "dashboard", "remind", "agenda", "schedule")


@app.command()
@boundary
def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            autocompletion=complete_from(*SCHEMAS),
            help="listing (meetings, deadlines, mandates), status, show, changes, dashboard, "
            "remind or agenda; schedule for the schedule file itself. Without it, the list.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a --json output (the contract scripts can rely on: keys
    are only ever added within a schema_version), or of a schedule file (`schedule`),
    for an editor to check and complete your own file."""
    import sys
    from importlib.resources import files

    if name is None:
        sys.stdout.write("".join(f"{s}\n" for s in SCHEMAS))
        return
    if name not in SCHEMAS:
        raise UsageError(f"no schema {name!r}; use one of: {', '.join(SCHEMAS)}")
    sys.stdout.write(files("poacal").joinpath("schemas", f"{name}.json").read_text("utf-8"))
