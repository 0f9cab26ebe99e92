"""Text from the data, made safe at the edges where it leaves poacal.

Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides
that can make text read other than it is are never passed through: on a terminal they
are shown escaped (`\\x1b`), never interpreted, so data cannot move the cursor, set the
clipboard (OSC 52) or fake a hyperlink; in iCalendar they are dropped. The loader
rejects them in one-line fields in the first place (`control_chars`), so these
functions are the last line, for text that did not come through it (state notes,
command-line arguments echoed in messages).
"""

from __future__ import annotations

import re

_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROL = (*range(0x20), 0x7F, *range(0x80, 0xA0))

# one-line text: every control character escaped, newline and tab too
_LINE = {c: f"\\x{c:02x}" for c in _CONTROL} | {c: f"\\u{c:04x}" for c in _BIDI}
# multi-line text (descriptions, notes): newline and tab kept
_BLOCK = {c: v for c, v in _LINE.items() if c not in (0x09, 0x0A)}
# iCalendar: dropped, not escaped; line breaks kept as such (icalendar escapes them)
_ICAL = {c: None for c in _CONTROL if c not in (0x09, 0x0A)} | dict.fromkeys(_BIDI)
_ICAL_LINE = _ICAL | {0x0A: " ", 0x09: " "}

_ANY_LINE = re.compile("[" + "".join(re.escape(chr(c)) for c in (*_CONTROL, *_BIDI)) + "]")
_ANY_BLOCK = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in (*_CONTROL, *_BIDI) if c not in (9, 10)) + "]"
)


def _valid(text: str) -> str:
    """Lone surrogates (from undecodable bytes) shown as escapes, never a crash."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def terminal(text: str, multiline: bool = False) -> str:
    """`text` for a terminal or a plain-text stream: controls shown as escapes."""
    return _valid(text.translate(_BLOCK if multiline else _LINE))


def ical(text: str, multiline: bool = True) -> str:
    """`text` for an iCalendar property: controls dropped; CR LF and lone CR become
    line breaks in multi-line text and spaces in one-line text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _valid(text.translate(_ICAL if multiline else _ICAL_LINE))


def control_chars(text: str, multiline: bool = False) -> str | None:
    """The first control character in `text`, escaped for a message; None if clean."""
    m = (_ANY_BLOCK if multiline else _ANY_LINE).search(text)
    return None if m is None else _LINE[ord(m.group())]
