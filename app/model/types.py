"""Field types of commands, events, entities and read models, with a short text form.

A field is written either as a short type string — ``string``, ``decimal?`` (optional),
``list<string>``, ``map<integer>``, ``enum(OPEN, PAID)`` — or as a mapping with ``type`` and
the details (``values`` for enums, ``items`` for lists and maps, ``fields`` for objects,
``description``, ``example``, ``optional``). The canonical dump uses the short form whenever it
says everything.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_serializer,
    model_validator,
)

ScalarKind = Literal[
    "string", "number", "integer", "decimal", "boolean", "datetime", "date", "binary"
]
TypeKind = Literal[
    "string",
    "number",
    "integer",
    "decimal",
    "boolean",
    "datetime",
    "date",
    "binary",
    "enum",
    "list",
    "object",
    "map",
]
SCALARS: frozenset[str] = frozenset(
    ("string", "number", "integer", "decimal", "boolean", "datetime", "date", "binary")
)
FIELD_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,63}$"
ENUM_VALUE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_ENUM = re.compile(r"^enum\((.*)\)$")
_CONTAINER = re.compile(r"^(list|map)<(.+)>$")


def parse_short_type(text: str) -> dict[str, Any]:
    """Expand a short type string into the mapping form (raises ValueError when unreadable)."""
    text = text.strip()
    result: dict[str, Any] = {}
    if text.endswith("?"):
        result["optional"] = True
        text = text[:-1].strip()
    if text in SCALARS:
        result["type"] = text
        return result
    if m := _ENUM.match(text):
        values = [v.strip() for v in m.group(1).split(",") if v.strip()]
        result.update(type="enum", values=values)
        return result
    if m := _CONTAINER.match(text):
        result.update(type=m.group(1), items=parse_short_type(m.group(2)))
        if result["items"].get("optional"):
            raise ValueError(f"items of {text!r} cannot be optional")
        return result
    raise ValueError(
        f"unknown type {text!r}; use one of {', '.join(sorted(SCALARS))}, "
        "enum(A, B), list<T>, map<T> or a mapping with 'type: object' and 'fields'"
    )


class FieldType(BaseModel):
    """The type of one field (or of the items of a list or map)."""

    model_config = ConfigDict(extra="forbid")

    type: TypeKind
    optional: bool = False
    values: list[str] | None = Field(default=None, min_length=1)
    items: FieldType | None = None
    fields: (
        dict[Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)], FieldType] | None
    ) = None
    description: str = ""
    example: Any = None

    @model_validator(mode="before")
    @classmethod
    def _expand_short_form(cls, data: Any) -> Any:
        if isinstance(data, str):
            return parse_short_type(data)
        return data

    @model_validator(mode="after")
    def _check_shape(self) -> FieldType:
        if (self.type == "enum") != (self.values is not None):
            raise ValueError("'values' is required for enum types and only allowed there")
        if self.values is not None:
            for value in self.values:
                if not re.match(ENUM_VALUE_PATTERN, value):
                    raise ValueError(
                        f"enum value {value!r} must be letters, digits, '_', '.' or '-'"
                    )
            if len(set(self.values)) != len(self.values):
                raise ValueError("enum values must be unique")
        if (self.type in ("list", "map")) != (self.items is not None):
            raise ValueError("'items' is required for list and map types and only allowed there")
        if self.items is not None and self.items.optional:
            raise ValueError("the items of a list or map cannot be optional")
        if self.type == "object" and not self.fields:
            raise ValueError("an object type needs 'fields'")
        if self.type != "object" and self.fields is not None:
            raise ValueError("'fields' is only allowed on object types")
        return self

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        short = {
            "type": "string",
            "description": "short form: string, decimal?, list<string>, enum(A, B), map<integer>",
            "examples": ["string", "integer?", "list<string>", "enum(OPEN, CLOSED)"],
        }
        return {"anyOf": [short, schema]}

    def short(self) -> str | None:
        """The short text form, or None when the mapping form is needed."""
        if self.description or self.example is not None or self.fields is not None:
            return None
        text: str
        if self.type in SCALARS:
            text = self.type
        elif self.type == "enum":
            text = f"enum({', '.join(self.values or [])})"
        else:
            assert self.items is not None
            inner = self.items.short()
            if inner is None:
                return None
            text = f"{self.type}<{inner}>"
        return text + ("?" if self.optional else "")

    @model_serializer(mode="wrap")
    def _dump(self, handler: Any) -> Any:
        short = self.short()
        if short is not None:
            return short
        data = handler(self)
        omit = {"optional": False, "description": ""}
        return {k: v for k, v in data.items() if v is not None and not (k in omit and v == omit[k])}


FieldName = Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)]
Fields = dict[FieldName, FieldType]
