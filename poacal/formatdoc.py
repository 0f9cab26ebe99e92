"""What is made from the declared vocabularies for people, editors and scripts: the key
tables of docs/data-format.md, the JSON Schema of a schedule file (poacal/schemas/
schedule.json, printed by `poacal schema schedule`; taplo and the Even Better TOML
extension read it) and the --json outputs' schemas (from outschema.py).
`python -m poacal.formatdoc` (`make generate`) rewrites them all; a test checks that
doing so changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from poacal.model import STATUSES, YEARS, Kind
from poacal.vocabulary import (
    DECISION_KEYS,
    DOCUMENT_KEYS,
    ITEM_KEYS,
    MAX_BLOCK,
    MAX_LINE,
    SCHEDULE_KEYS,
    SCHEMA,
    TYPES,
    Key,
)

# Every control character and bidirectional override, which a one-line key refuses; a
# multi-line key allows newline and tab (text.control_chars).
_LINE_CHARS = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$"
_BLOCK_CHARS = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$"
_KINDS = {Kind.MEETING: "meetings", Kind.DEADLINE: "deadlines", Kind.MANDATE: "mandates"}


def _by_kind(values: dict[Kind, Any]) -> str:
    return "; ".join(
        f"{_KINDS[k]}: " + ", ".join(f"`{v}`" for v in sorted(values[k], key=str)) for k in Kind
    )


def allowed(key: Key) -> str:
    """The allowed values of a key, in words, for the docs."""
    if key.type == "type":
        return _by_kind({k: TYPES[k] for k in Kind})
    if key.type == "status":
        return _by_kind({k: {s.value for s in STATUSES[k]} for k in Kind})
    if key.values:
        return ", ".join(f"`{v}`" for v in key.values)
    if key.type == "id":
        return "lower-case letters, digits, `-`, `.`"
    if key.type == "cycle":
        return "`YYYY-YYYY`"
    if key.type == "string":
        return (
            f"one line, at most {MAX_LINE} characters"
            if not key.multiline
            else (f"text, at most {MAX_BLOCK:,} characters")
        )
    return ""


def markdown(keys: tuple[Key, ...]) -> str:
    """One table of docs/data-format.md."""
    rows = ["| key | type | required | allowed | meaning |", "|---|---|---|---|---|"]
    for k in keys:
        required = k.needs or ("yes" if k.required else "no")
        rows.append(f"| `{k.name}` | {k.type} | {required} | {allowed(k)} | {k.about} |")
    return "\n".join(rows)


DOC_TABLES = {
    "schedule": SCHEDULE_KEYS,
    "document": DOCUMENT_KEYS,
    "item": ITEM_KEYS,
    "decision": DECISION_KEYS,
}
_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(\n<!-- end -->)", re.S)


def docs(text: str) -> str:
    """docs/data-format.md with each generated table made anew."""
    return _BLOCK.sub(lambda m: m.group(1) + markdown(DOC_TABLES[m.group(2)]) + m.group(4), text)


def _value(key: Key, kind: Kind | None) -> dict[str, Any]:
    """The JSON Schema of one key's value."""
    out: dict[str, Any] = {"description": key.about.replace("`", "")}
    t = key.type
    if t == "date":
        out |= {"type": "string", "format": "date"}
    elif t == "time":
        out |= {"type": "string", "format": "partial-time"}
    elif t == "boolean":
        out["type"] = "boolean"
    elif t == "integer":
        out["type"] = "integer"
        if key.name == "year":
            out |= {"minimum": YEARS[0], "maximum": YEARS[1]}
        elif key.name == "month":
            out |= {"minimum": 1, "maximum": 12}
    elif t == "array of strings":
        items: dict[str, Any] = {"type": "string"}
        if key.values:
            items = {"enum": list(key.values)}
        out |= {"type": "array", "minItems": 1, "items": items}
    elif t == "type" and kind is not None:
        out["enum"] = list(TYPES[kind])
    elif t == "status" and kind is not None:
        out["enum"] = sorted(s.value for s in STATUSES[kind])
    elif key.values and t != "integer":
        out["enum"] = list(key.values)
    elif t == "id":
        out |= {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]{0,63}$"}
    elif t == "cycle":
        out |= {"type": "string", "pattern": "^[0-9]{4}-[0-9]{4}$"}
    else:
        out |= {
            "type": "string",
            "maxLength": MAX_BLOCK if key.multiline else MAX_LINE,
            "pattern": _BLOCK_CHARS if key.multiline else _LINE_CHARS,
        }
    if key.name == "schema":
        out["const"] = SCHEMA
    return out


def _table(keys: tuple[Key, ...], kind: Kind | None = None, **extra: Any) -> dict[str, Any]:
    properties = {k.name: _value(k, kind) for k in keys if k.type != "array of tables"}
    properties |= extra
    required = [k.name for k in keys if k.required]
    out: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if required:
        out["required"] = required
    out["properties"] = properties
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a schedule file (draft-07, which editors' TOML tools read).
    What it cannot say (a meeting's end not before its start, references between
    items, the two forms of an item) `poacal validate` checks."""
    decision_about = next(k for k in ITEM_KEYS if k.name == "decision").about
    properties: dict[str, Any] = {
        "schedule": _table(SCHEDULE_KEYS) | {"description": "the file's own facts"},
        "document": {
            "description": "the register of sources that decisions cite",
            "type": "array",
            "items": _table(DOCUMENT_KEYS),
        },
    }
    for kind in Kind:
        decision = _table(DECISION_KEYS, kind)
        properties[kind.value] = {
            "description": f"the {_KINDS[kind]} of the schedule",
            "type": "array",
            "items": _table(
                ITEM_KEYS,
                kind,
                decision={"description": decision_about, "type": "array", "items": decision},
            ),
        }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "poacal:schedule",
        "title": "poacal schedule file",
        "description": f"A schedule file of poacal (schema {SCHEMA}); see docs/data-format.md. "
        "`poacal validate FILE` checks what a schema cannot.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def output_schemas() -> dict[str, str]:
    """Each --json output's schema file (outschema.py), by name."""
    from poacal import outschema

    return {name: json.dumps(outschema.schema(name), indent=2) + "\n" for name in outschema.OUTPUTS}


def main() -> None:
    """Rewrite the generated files (run from the top of a checkout)."""
    package = Path(__file__).resolve().parent
    (package / "schemas" / "schedule.json").write_text(schema_text(), encoding="utf-8")
    for name, text in output_schemas().items():
        (package / "schemas" / f"{name}.json").write_text(text, encoding="utf-8")
    page = package.parent / "docs" / "data-format.md"
    page.write_text(docs(page.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
