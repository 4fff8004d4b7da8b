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
    candidates: list[type[BaseModel]] = [Design]
    node = raw
    for key in loc:
        node = node[key] if isinstance(node, (dict, list)) and _has(node, key) else None  # type: ignore[index]
        if isinstance(key, int):
            continue  # a list item: the same candidates as the list
        model = _pick(candidates, node)
        field = model.model_fields.get(key) if model is not None else None
        candidates = _models_in(field.annotation) if field is not None else []
    model = _pick(candidates, node)
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _pick(candidates: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    """The one model among ``candidates`` that ``node`` is (workflow steps by their kind key)."""
    if len(candidates) == 1:
        return candidates[0]
    kind = _step_kind(node) if isinstance(node, dict) else None
    return _STEP_CLASSES.get(kind or "") if candidates else None


def _has(node: Any, key: str | int) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(key, int) and 0 <= key < len(node)
