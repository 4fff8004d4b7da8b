"""The shared layer ``layers/common``: generated models, the table and event plan as data, and
the runtime that handlers share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.generators.event_schemas import event_source
from app.generators.output import Artifact
from app.generators.sam.models import models_source
from app.generators.table import plan_table
from app.generators.table.keys import partition_template, sort_template
from app.generators.table.plan import key_names
from app.model import ValidDesign
from app.model.types import FieldType

ROOT = "layers/common/python/common"
STATIC = Path(__file__).parent / "static"


def model_groups(valid: ValidDesign) -> dict[str, dict[str, FieldType]]:
    """Every model of the design by class name: command inputs, events, entities, views."""
    groups: dict[str, dict[str, FieldType]] = {}
    for kind, suffix, attribute in (
        ("commands", "Input", "input"),
        ("events", "Event", "fields"),
        ("aggregates", "Item", "attributes"),
        ("read_models", "View", "fields"),
    ):
        for entry in valid.of_kind(kind):
            groups[valid.code(entry.element) + suffix] = getattr(entry.element, attribute)
    return groups


def layer_plan(valid: ValidDesign, samples: dict[str, Any]) -> dict[str, Any]:
    """What the runtime reads: entity keys per index, operations, events, samples."""
    entities: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    key_attributes = {"PK", "SK", "entity", "ttl"}
    if valid.of_kind("aggregates"):
        plan = plan_table(valid)
        for code, entity in plan.entities.items():
            slots = []
            for slot in plan.slots:
                layout = slot.layouts.get(code)
                if layout is None:
                    continue
                pk, sk = key_names(slot)
                key_attributes |= {pk, sk}
                slots.append(
                    {
                        "pk": pk,
                        "sk": sk,
                        "pk_template": partition_template(layout.partition, entity, plan.labels, 1),
                        "sk_template": sort_template(layout.sort, entity),
                        "attributes": list(layout.attributes),
                        "sparse": [[a, v] for a, v in layout.sparse],
                    }
                )
            entities[code] = {
                "ids": list(entity.ids),
                "model": f"{code}Item" if f"{code}Item" in samples else "",
                "types": {name: field.type for name, field in entity.attributes.items()},
                "slots": slots,
            }
        operations = {code: op.to_json() for code, op in plan.operations.items()}
    events = {
        valid.code(e.element): {
            "source": event_source(valid, e),
            "model": f"{valid.code(e.element)}Event",
        }
        for e in valid.of_kind("events")
    }
    return {
        "api": valid.design.settings.api.type,
        "entities": entities,
        "operations": operations,
        "events": events,
        "samples": samples,
        "key_attributes": sorted(key_attributes),
    }


def layer_files(valid: ValidDesign) -> Iterator[Artifact]:
    """``layers/common``: requirements, models, plan and runtime."""
    source, samples = models_source(model_groups(valid))
    yield Artifact.text(
        "layers/common/requirements.txt",
        "requirements",
        "aws-lambda-powertools[tracer]==3.*\npydantic==2.*\n",
    )
    yield Artifact.text(f"{ROOT}/__init__.py", "python", '"""Shared code of the functions."""\n')
    yield Artifact.text(f"{ROOT}/models.py", "python", source)
    yield Artifact.json(f"{ROOT}/plan.json", "layer-plan", layer_plan(valid, samples))
    yield Artifact.text(
        f"{ROOT}/runtime.py", "python", (STATIC / "runtime.py.txt").read_text("utf-8")
    )
