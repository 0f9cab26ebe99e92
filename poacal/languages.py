"""The six official languages of the United Nations, and which one poacal links to.

A UN document exists in each of the languages its register entry gives (`languages`; by
default all six for a document linked by symbol at undocs.org, the UN library's own
resolver). poacal shows the link in one language, chosen once per run with `--lang`
(before the command or on it), else $POACAL_LANG, else the locale when it names one of
the six, else English. English keeps each document's own URL, so the default output is
unchanged. JSON lists every language's URL. The interface text stays English.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from poacal.model import Document

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
UNDOCS = "https://undocs.org/"

_chosen: ContextVar[str] = ContextVar("poacal_language", default="en")


class UnknownLanguage(ValueError):
    """A language that is not one of the six."""


def check(code: str, where: str) -> str:
    if code not in LANGUAGES:
        raise UnknownLanguage(f"{where}: {code!r} is not one of: {', '.join(LANGUAGES)}")
    return code


def default() -> str:
    """$POACAL_LANG if set (it must be one of the six), else the locale's language if
    it is one of the six, else English."""
    given = os.environ.get("POACAL_LANG")
    if given:
        return check(given, "POACAL_LANG")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            code = value.split("_", 1)[0].split(".", 1)[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def choose(code: str | None) -> str:
    """Use `code` (None: the default) for every link shown from now on in this run."""
    chosen = check(code, "--lang") if code is not None else default()
    _chosen.set(chosen)
    return chosen


def current() -> str:
    return _chosen.get()


def default_languages(url: str, symbol: str | None) -> tuple[str, ...]:
    """A document linked by its symbol at undocs.org exists in the six languages (the
    General Assembly's resolutions and its conferences' final reports); any other page
    is one link, in whatever language it has."""
    return LANGUAGES if symbol and url == UNDOCS + symbol else ()


def urls(doc: Document) -> dict[str, str]:
    """The document's link in each language it exists in ({} for a plain web page)."""
    if not doc.languages or not doc.symbol:
        return {}
    return {code: f"{UNDOCS}{code}/{doc.symbol}" for code in doc.languages}


def link(doc: Document, code: str | None = None) -> str:
    """The document's link in `code` (default: the language chosen for this run), or
    its own URL when it does not exist in that language or is English."""
    code = code or current()
    if code == "en":
        return doc.url
    return urls(doc).get(code, doc.url)
