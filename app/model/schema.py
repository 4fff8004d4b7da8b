"""The storm file's JSON Schema (for editor completion) and the keys allowed at a location."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from app.model.elements import Design
from app.model.stormfile import FORMAT_VERSION
from app.model.workflow import _STEP_CLASSES, _step_kind


def storm_schema() -> dict[str, Any]:
    """JSON Schema of the storm file, generated from the model."""
    schema = Design.model_json_schema(mode="validation", by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://stormdraft.dev/schema/storm-{FORMAT_VERSION}.json"
    schema["title"] = "Stormdraft storm file"
    return schema


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Model classes an annotation can hold (through Optional, list, dict and Annotated)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if origin is dict:
        return _models_in(typing.get_args(annotation)[1])
    return []


def keys_at(raw: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The keys the model accepts for the mapping at ``loc`` of raw storm data."""
    model: type[BaseModel] | None = Design
    node = raw
    for key in loc:
        node = node[key] if isinstance(node, (dict, list)) and _has(node, key) else None  # type: ignore[index]
        if isinstance(key, int) or model is None:
            if model is not None and node is not None and _step_kind(node):
                model = _STEP_CLASSES.get(_step_kind(node) or "", model)
            continue
        field = model.model_fields.get(key)
        candidates = _models_in(field.annotation) if field else []
        model = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1 and isinstance(node, dict):
            kind = _step_kind(node)
            model = _STEP_CLASSES.get(kind or "")
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _has(node: Any, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(key, int) and 0 <= key < len(node)
