"""How the export carries a correlation id across asynchronous hops, and the schemas that allow it.

One request is traced end to end by one id: an API request takes the caller's
``x-correlation-id`` header (else its request id); a published event carries it in its detail's
``_metadata.correlationId``; a message the runtime sends carries it as the SQS message attribute
``correlationId``; a workflow's input carries it in ``_metadata`` and every Lambda task receives
the whole state. Each generated handler reads it and sets Powertools Logger's correlation id.

The events' schemas are closed (``additionalProperties: false``), so the export's copies (the
``events/*.schema.json`` files and the schema-registry entries) declare ``_metadata`` as an
optional property of the detail. Design field names start with a letter, so it cannot clash.
"""

from __future__ import annotations

from typing import Any

from app.generators.event_schemas import event_schema
from app.generators.output import json_text
from app.model import ValidDesign
from app.model.index import Entry

METADATA = "_metadata"
HEADER = "x-correlation-id"
SQS_ATTRIBUTE = "correlationId"

METADATA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Envelope metadata added by the publisher: the correlation id of the request that led "
        "to this event, carried across every asynchronous hop"
    ),
    "properties": {"correlationId": {"type": "string", "minLength": 1, "maxLength": 256}},
    "required": ["correlationId"],
    "additionalProperties": False,
}


def export_event_schema_texts(valid: ValidDesign) -> dict[str, str]:
    """Per event code: its export schema as canonical JSON (the file and the registry entry
    share it; computed once per design)."""
    return valid.derived(
        "sam-event-schema-texts",
        lambda v: {
            v.code(e.element): json_text(export_event_schema(v, e)) for e in v.of_kind("events")
        },
    )


def export_event_schema(valid: ValidDesign, entry: Entry) -> dict[str, Any]:
    """The event's schema with the optional ``_metadata`` envelope field in its detail."""
    schema = event_schema(valid, entry)
    code = valid.code(entry.element)
    detail = schema["definitions"][code]
    properties = {**detail.get("properties", {}), METADATA: METADATA_SCHEMA}
    definitions = {**schema["definitions"], code: {**detail, "properties": properties}}
    return {**schema, "definitions": definitions}
