"""The JSON Schemas of poacal's --json outputs, from one source: the shared definitions
(an item, a decision, a change, a reminder, a source, dates) are written once here and
referenced; the vocabularies come from the model (kinds, statuses, standings,
confidence, precision, the decision facts, reminder reasons). Each shipped file
(poacal/schemas/NAME.json) carries the definitions it uses, so `poacal schema NAME` is
self-contained. `make generate` writes them; a test checks that doing so changes
nothing. Not imported when poacal runs."""

from __future__ import annotations

from typing import Any

from poacal.model import Confidence, Kind, Precision, Process, Status
from poacal.queries import STANDING_KEYS
from poacal.remind import Reason
from poacal.vocabulary import FACT_KEYS

DAY = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
TEXT: dict[str, Any] = {"type": "string"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CONTRACT = (
    "poacal's JSON contract (schema_version 1); keys are only ever added within a version. "
    "See docs/json.md."
)


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def maybe(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def nullable(t: str) -> dict[str, Any]:
    return {"type": [t, "null"]}


def array(items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "array", **extra, "items": items}


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """A closed object; every key required unless `required` says otherwise."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def enum(values: Any) -> dict[str, Any]:
    return {"enum": [str(v) for v in values]}


FACTS = {key: nullable("string") for key in FACT_KEYS}
KIND = enum(Kind)
SOURCES = array(ref("source"))

DEFS: dict[str, dict[str, Any]] = {
    "date": DAY,
    "dates": obj(
        {
            "precision": enum(Precision),
            "start": maybe(DAY),
            "end": maybe(DAY),
            "year": nullable("integer"),
            "month": nullable("integer"),
            "length": nullable("string"),
            "opens": nullable("string"),
            "closes": nullable("string"),
            "timezone": nullable("string"),
            "label": TEXT,
        }
    ),
    "source": obj(
        {
            "id": TEXT,
            "symbol": nullable("string"),
            "title": nullable("string"),
            "paragraph": nullable("string"),
            "url": nullable("string"),
            "urls": {
                "description": "The document's link in each official UN language it exists "
                "in (ar, zh, en, fr, ru, es); empty for a web page",
                "type": "object",
                "propertyNames": enum(("ar", "zh", "en", "fr", "ru", "es")),
                "additionalProperties": TEXT,
            },
        }
    ),
    "confidence": enum(Confidence),
    "decision": obj(
        {
            "taken": maybe(DAY),
            "taken_exact": {"type": "boolean"},
            "confidence": ref("confidence"),
            "sources": SOURCES,
            "dates": maybe(ref("dates")),
            "due_at": nullable("string"),
            "status": nullable("string"),
            **FACTS,
            "note": nullable("string"),
        }
    ),
}
_ITEM = {
    "id": TEXT,
    "kind": KIND,
    "type": TEXT,
    "code": TEXT,
    "name": TEXT,
    "cycle": nullable("string"),
    "dates": ref("dates"),
    "status": enum(Status),
    "standing": enum(STANDING_KEYS.values()),
    "days": nullable("integer"),
    **FACTS,
    "confidence": ref("confidence"),
    "tied_to": nullable("string"),
    "serves": nullable("string"),
    "addressee": nullable("string"),
    "sources": SOURCES,
    "done": {"anyOf": [{"type": "null"}, obj({"on": DAY, "note": nullable("string")})]},
    "notes": array(obj({"on": DAY, "text": TEXT})),
    "origin": {"type": "string", "pattern": "^[^/\\\\]*$"},
}
# `show` adds the last three; `process` is there when --process shows more than one
DEFS["item"] = obj(
    {
        **_ITEM,
        "process": enum(Process),
        "description": nullable("string"),
        "date_explained": TEXT,
        "decisions": array(ref("decision")),
    },
    required=list(_ITEM),
)
DEFS["change"] = obj(
    {
        "id": TEXT,
        "kind": KIND,
        "code": TEXT,
        "decision": {"type": "integer", "minimum": 1},
        **DEFS["decision"]["properties"],
        "changed": array(obj({"field": TEXT, "before": nullable("string"), "after": TEXT})),
        "follows": nullable("string"),
    }
)
DEFS["reminder"] = obj(
    {
        "id": TEXT,
        "kind": KIND,
        "code": TEXT,
        "name": TEXT,
        "due": DAY,
        "weekday": enum(WEEKDAYS),
        "days": {"type": "integer"},
        "reason": enum(Reason),
        "band": {
            "anyOf": [
                {"type": "null"},
                {"type": "string", "pattern": "^([0-9]+d|session|overdue)$"},
            ]
        },
        "horizon": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": "^[0-9]+d$"}]},
        "relative": TEXT,
        "text": TEXT,
        "moved_from": nullable("string"),
        "next_reminder": {"anyOf": [{"type": "null"}, DAY]},
        "dates": TEXT,
        "confidence": ref("confidence"),
        "sources": SOURCES,
        "process": enum(Process),
    },
    required=[
        "id",
        "kind",
        "code",
        "name",
        "due",
        "weekday",
        "days",
        "reason",
        "band",
        "horizon",
        "relative",
        "text",
        "moved_from",
        "next_reminder",
        "dates",
        "confidence",
        "sources",
    ],
)

ITEMS = array(ref("item"))
CHANGES = array(ref("change"))

# name: (title, properties, keys not required)
OUTPUTS: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {
    "listing": (
        "meetings, deadlines, mandates --json",
        {
            "items": ITEMS,
            "date_not_set": array(
                ref("item"),
                description="with --within or --until: items known only to the month or year "
                "that may fall in the window (not in items)",
            ),
        },
        ("date_not_set",),
    ),
    "status": (
        "status --json",
        {
            "items": ITEMS,
            "counts": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
        },
        (),
    ),
    "show": ("show ID --json", {"item": ref("item")}, ()),
    "changes": (
        "changes --json",
        {"since": DAY, "changes": CHANGES, "undated": CHANGES},
        (),
    ),
    "dashboard": (
        "poacal --json (the dashboard)",
        {
            "in_session": ITEMS,
            "next_meeting": maybe(ref("item")),
            "then": ITEMS,
            "deadlines": ITEMS,
            "overdue": ITEMS,
            "mandates": ITEMS,
            "changes": CHANGES,
        },
        (),
    ),
    "remind": (
        "remind --format json",
        {"horizons": array(TEXT), "once": {"type": "boolean"}, "reminders": array(ref("reminder"))},
        (),
    ),
    "agenda": (
        "agenda --json",
        {
            "start": {**DAY, "description": "first day of the window (the as-of date)"},
            "end": {**DAY, "description": "last day of the window"},
            "items": array(
                ref("item"),
                description="events whose days are known, in date order (a session once)",
            ),
            "date_not_set": array(
                ref("item"),
                description="items known only to the month or year that may fall in the window",
            ),
        },
        (),
    ),
}


def _used(schema: Any, found: set[str]) -> set[str]:
    """The names of the definitions `schema` refers to, directly or through others."""
    if isinstance(schema, dict):
        target = schema.get("$ref", "")
        if isinstance(target, str) and target.startswith("#/$defs/"):
            name = target.removeprefix("#/$defs/")
            if name not in found:
                found.add(name)
                _used(DEFS[name], found)
        for value in schema.values():
            _used(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _used(value, found)
    return found


def schema(name: str) -> dict[str, Any]:
    title, own, optional = OUTPUTS[name]
    properties = {"schema_version": {"const": 1}, "as_of": DAY, "revision": DAY, **own}
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"poacal:{name}",
        "title": title,
        "description": CONTRACT,
    }
    out |= obj(properties, required=[k for k in properties if k not in optional])
    used = _used(out, set())
    out["$defs"] = {k: v for k, v in DEFS.items() if k in used}
    return out
