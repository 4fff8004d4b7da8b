"""JSON Schemas of the domain events, in the EventBridge envelope, with a sample of each.

Draft-04 on purpose: the EventBridge schema registry takes ``JSONSchemaDraft4`` (or OpenAPI 3)
as a schema type, so these files can be registered as they are. ``source`` is
``<design-code>.<context-code>`` in lower case and ``detail-type`` the event's code; ``detail``
holds the event's fields (decimals as strings with a decimal pattern, like the API). Each
``events/<code>.sample.json`` validates against its ``events/<code>.schema.json``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

from app.generators.api.fields import object_example, object_schema
from app.generators.output import Artifact
from app.model import ValidDesign
from app.model.codes import CodeNameError, derive_code
from app.model.index import Entry

DRAFT_04 = "http://json-schema.org/draft-04/schema#"
SAMPLE_ACCOUNT = "123456789012"
SAMPLE_TIME = "2026-01-15T09:30:00Z"


def event_source(valid: ValidDesign, event: Entry) -> str:
    """The EventBridge ``source`` of an event: ``<design-code>.<context-code>``, lower case."""
    try:
        design = derive_code(valid.design.name)
    except CodeNameError:
        design = "design"
    context = valid.code(event.context) if event.context is not None else "shared"
    return f"{design}.{context}".lower()


def event_schema(valid: ValidDesign, event: Entry) -> dict[str, Any]:
    """The draft-04 schema of one event: the EventBridge envelope with the event as detail."""
    element = event.element
    code = valid.code(element)
    detail = object_schema(element.fields, "string", with_example=False)  # type: ignore[attr-defined]
    detail["title"] = code
    string = {"type": "string"}
    return {
        "$schema": DRAFT_04,
        "title": code,
        "description": element.description
        or f"{element.name} (version {element.version}) as delivered by EventBridge",  # type: ignore[attr-defined]
        "type": "object",
        "required": [
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail",
        ],
        "properties": {
            "version": string,
            "id": string,
            "detail-type": {"type": "string", "enum": [code]},
            "source": {"type": "string", "enum": [event_source(valid, event)]},
            "account": {"type": "string", "pattern": "^[0-9]{12}$"},
            "time": {"type": "string", "format": "date-time"},
            "region": string,
            "resources": {"type": "array", "items": string},
            "detail": {"$ref": f"#/definitions/{code}"},
        },
        "definitions": {code: detail},
    }


def event_sample(valid: ValidDesign, event: Entry) -> dict[str, Any]:
    """A sample event of this type, as a rule target would receive it."""
    code = valid.code(event.element)
    seed = hashlib.sha256(f"{valid.design.name}\x1f{code}".encode()).digest()
    return {
        "version": "0",
        "id": str(uuid.UUID(bytes=seed[:16], version=4)),
        "detail-type": code,
        "source": event_source(valid, event),
        "account": SAMPLE_ACCOUNT,
        "time": SAMPLE_TIME,
        "region": valid.design.settings.region,
        "resources": [],
        "detail": object_example(event.element.fields, "string"),  # type: ignore[attr-defined]
    }


def event_schema_files(valid: ValidDesign) -> Iterator[Artifact]:
    """``events/<code>.schema.json`` and ``events/<code>.sample.json`` for every domain event."""
    for event in valid.of_kind("events"):
        code = valid.code(event.element)
        schema, sample = event_schema(valid, event), event_sample(valid, event)
        yield Artifact.json(f"events/{code}.schema.json", "event-schema", schema)
        yield Artifact.json(f"events/{code}.sample.json", "event-sample", sample)
