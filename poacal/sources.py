"""Where schedule files come from: the one shipped with poacal, a newer one `poacal
update` installed, the user's own file, $POACAL_SCHEDULE, --schedule; and which of them
a published feed may use."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

SCHEDULE = "schedule"  # the PoA's file; installed.SCHEDULE names it the same


def embedded_pack(pack: str) -> Path:
    """A data file that ships with poacal (schedule.toml, the PoA's; att.toml, the Arms
    Trade Treaty's): inside the wheel, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / f"{pack}.toml"
    return packaged if packaged.is_file() else here.parent / f"{pack}.toml"


def pack_path(pack: str) -> Path:
    """The data file in use: the shipped one, or the one `poacal update` installed if the
    revision it recorded is newer (or the user forced it). One stat when there is none."""
    from poacal.installed import fetched_in_use

    embedded = embedded_pack(pack)
    return fetched_in_use(lambda: file_revision(embedded), pack) or embedded


def pack_revision(pack: str) -> date:
    """The revision of the data file in use: for an installed one, the revision its full
    parse read when `poacal update` checked it (never a guess from its first lines)."""
    from poacal.installed import record

    path = pack_path(pack)
    got = record(pack) if path != embedded_pack(pack) else None
    return date.fromisoformat(got.revision) if got else file_revision(path)


def embedded_path() -> Path:
    """The PoA's schedule as shipped."""
    return embedded_pack(SCHEDULE)


def base_path() -> Path:
    """The PoA's schedule in use."""
    return pack_path(SCHEDULE)


def base_revision() -> date:
    """The revision of the PoA's schedule in use."""
    return pack_revision(SCHEDULE)


EMBEDDED = "embedded"
EMBEDDED_ATT = "embedded-att"
_REVISION = re.compile(rb"^\s*revision\s*=\s*([0-9]{4}-[0-9]{2}-[0-9]{2})", re.MULTILINE)


def file_revision(path: Path) -> date:
    """A schedule file's revision from its first lines, without parsing it all."""
    try:
        with path.open("rb") as fh:
            m = _REVISION.search(fh.read(8192))
        return date.fromisoformat(m.group(1).decode()) if m else date.min
    except (OSError, ValueError):
        return date.min


def data_source() -> str:
    """Where the schedule in use came from, in words, for --version, validate and the
    dashboard's footer."""
    from poacal.installed import record

    if base_path() == embedded_path():
        return "the schedule shipped with poacal"
    got = record()
    where = f" from {got.url} on {got.fetched[:10]}" if got else ""
    if got is not None and got.forced:
        return f"a schedule fetched by `poacal update --force`{where}"
    return f"a newer schedule fetched by `poacal update`{where}"


def default_paths(personal: bool = True) -> list[Path]:
    """$POACAL_SCHEDULE if set; else the embedded schedule, with the user's own schedule
    file merged over it if there is one and `personal` (feeds and the site leave it out:
    nothing publishes a delegation's own items unless asked)."""
    env = os.environ.get("POACAL_SCHEDULE")
    if env:
        paths = resolve([p for p in env.split(os.pathsep) if p])
        if not paths:
            from poacal.errors import UsageError

            raise UsageError(f"POACAL_SCHEDULE={env!r} names no file; unset it or name one")
        return paths
    from poacal.model import Process
    from poacal.processes import current

    user = user_path()
    paths = [base_path()]
    if Process.ATT in current():
        paths.append(pack_path(Process.ATT))
    return [*paths, user] if personal and os.path.isfile(user) else paths


def without_own(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """`paths` less the user's own schedule file, however it was named (a symlink, a
    hard link, POACAL_SCHEDULE, --schedule), and what was left out: what is published
    never holds a delegation's own items unless they ask (--personal)."""
    own = user_path()
    if not os.path.isfile(own):
        return list(paths), []
    kept: list[Path] = []
    dropped: list[Path] = []
    for p in paths:
        try:
            mine = os.path.samefile(p, own)
        except OSError:
            mine = False
        (dropped if mine else kept).append(p)
    return kept or [base_path()], dropped


def user_path() -> Path:
    from poacal.paths import config_path

    return config_path()


def resolve(names: Sequence[str | Path]) -> list[Path]:
    """Paths as given, with the word 'embedded' standing for poacal's own schedule (the
    shipped one, or a newer one `poacal update` fetched) and 'embedded-att' for the Arms
    Trade Treaty's."""
    words: dict[str, Callable[[], Path]] = {
        EMBEDDED: base_path,
        EMBEDDED_ATT: lambda: pack_path("att"),
    }
    return [words[str(n)]() if str(n) in words else Path(n) for n in names]
