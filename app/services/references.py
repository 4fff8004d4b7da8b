"""References by name follow a rename: when a sticky or lane is renamed on the board, every
reference to it by its old name becomes its new name, so renaming never breaks the design.

Which values are references is read from the model itself: every field typed ``Ref`` (or a list
of them, or a model holding them, as workflow steps and emitted events do), so a new kind of
link is followed without a list to keep up to date. References by code or id are untouched (a
rename changes neither). Unchanged elements keep their identity (their dumped text is reused).
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from app.model.base import Ref
from app.model.elements import KINDS, Context

Data = dict[str, Any]
REF = "ref"
_REF_CONSTRAINT = get_args(Ref)[1]
_SHAPES: dict[type[BaseModel], dict[str, Any]] = {}


def rename_references(data: Data, old: str, new: str) -> tuple[Data, int]:
    """`data` with every reference to `old` (a name, compared as references are) made `new`,
    and how many were changed."""
    wanted = old.strip().lower()
    if not wanted or wanted == new.strip().lower():
        return data, 0
    changed = 0
    contexts = []
    context_shape = _shape_of_model(Context)
    for context in data.get("contexts", []):
        head = {k: v for k, v in context.items() if k not in KINDS}
        new_head, count = _rewrite(head, context_shape, wanted, new)
        changed += count
        rebuilt = {**context, **new_head} if count else context
        for kind, model in KINDS.items():
            elements = context.get(kind)
            if not elements:
                continue
            shape = _shape_of_model(model)
            items, count = [], 0
            for element in elements:
                rewritten, found = _rewrite(element, shape, wanted, new)
                items.append(rewritten)
                count += found
            if count:
                rebuilt = {**rebuilt, kind: items}
                changed += count
        contexts.append(rebuilt)
    return ({**data, "contexts": contexts} if changed else data), changed


def _rewrite(value: Any, shape: Any, wanted: str, new: str) -> tuple[Any, int]:
    if shape == REF:
        if isinstance(value, str) and value.strip().lower() == wanted:
            return new, 1
        return value, 0
    if isinstance(shape, tuple):  # a list or a mapping of something holding references
        container, inner = shape
        if container == "list" and isinstance(value, list):
            results = [_rewrite(item, inner, wanted, new) for item in value]
            count = sum(n for _, n in results)
            return ([v for v, _ in results] if count else value), count
        if container == "dict" and isinstance(value, dict):
            by_key = {k: _rewrite(v, inner, wanted, new) for k, v in value.items()}
            count = sum(n for _, n in by_key.values())
            return ({k: v for k, (v, _) in by_key.items()} if count else value), count
        return value, 0
    if isinstance(shape, dict):
        if isinstance(value, str):
            # The short form of a model with one reference ("emits: [Order placed]").
            refs = [key for key, inner in shape.items() if inner == REF]
            return _rewrite(value, REF, wanted, new) if len(refs) == 1 else (value, 0)
        if isinstance(value, dict):
            count, updated = 0, dict(value)
            for key, inner in shape.items():
                if key in value:
                    updated[key], found = _rewrite(value[key], inner, wanted, new)
                    count += found
            return (updated if count else value), count
    return value, 0


def _shape_of_model(model: type[BaseModel]) -> dict[str, Any]:
    """Where a model holds references: field name → REF, ("list", shape), ("dict", shape) or
    the shape of a nested model. Recursive models share one (filling) shape."""
    if model in _SHAPES:
        return _SHAPES[model]
    shape: dict[str, Any] = {}
    _SHAPES[model] = shape
    for name, field in model.model_fields.items():
        found = _shape(field.annotation, tuple(field.metadata))
        if found:
            shape[field.alias or name] = found
    return shape


def _shape(annotation: Any, metadata: tuple[Any, ...] = ()) -> Any:
    if any(item is _REF_CONSTRAINT for item in metadata):
        return REF
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extra = get_args(annotation)
        return _shape(inner, tuple(extra))
    if origin in (Union, types.UnionType):
        found = [s for s in (_shape(arg) for arg in get_args(annotation)) if s]
        if REF in found or not found:
            return REF if found else None
        models = [s for s in found if isinstance(s, dict)]
        if models:  # one of several models (workflow steps): every reference any of them has
            return {key: inner for shape in models for key, inner in shape.items()}
        return found[0]
    if origin in (list, tuple, set, frozenset):
        args = get_args(annotation)
        inner = _shape(args[0]) if args else None
        return ("list", inner) if inner else None
    if origin is dict:
        args = get_args(annotation)
        inner = _shape(args[1]) if len(args) == 2 else None
        return ("dict", inner) if inner else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _shape_of_model(annotation) or None
    return None
