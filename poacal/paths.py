"""Where poacal keeps the user's files, by platform convention. Imports nothing heavy:
every command asks."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def state_path() -> Path:
    env = os.environ.get("POACAL_STATE")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "poacal" / "state.json"


def settings_path() -> Path:
    """The user's config file (one setting so far: `process = "poa,att"`)."""
    return config_path().with_name("config.toml")


def config_path() -> Path:
    """Where a user's own schedule file is looked for."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "poacal" / "schedule.toml"


def data_dir() -> Path:
    """Where `poacal update` keeps a newer schedule than the one poacal shipped with."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "poacal"


def cache_dir() -> Path:
    """Where poacal keeps what it can always make again (cache.py: checked schedules)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "poacal" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "poacal"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "poacal"


def absent(path: Path) -> bool:
    """True only when the file surely does not exist; a path that cannot be looked at (a
    folder without permission) counts as there, so that reading it reports the error."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False
