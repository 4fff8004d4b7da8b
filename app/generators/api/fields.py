"""Field types of the model as schemas (OpenAPI 3.0 or JSON Schema draft-04) and example values.

Both dialects share everything the model can say: ``datetime`` → string ``date-time``, ``date``
→ string ``date``, ``binary`` → base64 string ``byte``, ``decimal`` → a string with a decimal
pattern (exact money amounts survive JSON) or a number, enums, lists, objects (closed: no extra
properties), maps (``additionalProperties``). Optional fields are simply not ``required``.
"""

from __future__ import annotations

from typing import Any, Literal

from jsonschema import Draft4Validator

from app.model.types import FieldType

DecimalAs = Literal["string", "number"]
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"

_SCALARS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer", "format": "int64"},
    "boolean": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "binary": {"type": "string", "format": "byte"},
}


def field_schema(
    field: FieldType, decimal: DecimalAs = "string", with_example: bool = True
) -> dict[str, Any]:
    """The schema of one field type (nested lists, maps and objects included)."""
    if field.type == "decimal":
        schema: dict[str, Any] = (
            {"type": "string", "pattern": DECIMAL_PATTERN}
            if decimal == "string"
            else {"type": "number"}
        )
    elif field.type in _SCALARS:
        schema = dict(_SCALARS[field.type])
    elif field.type == "enum":
        schema = {"type": "string", "enum": list(field.values or [])}
    elif field.type == "list":
        assert field.items is not None
        schema = {"type": "array", "items": field_schema(field.items, decimal, with_example)}
    elif field.type == "map":
        assert field.items is not None
        schema = {
            "type": "object",
            "additionalProperties": field_schema(field.items, decimal, with_example),
        }
    else:
        schema = object_schema(field.fields or {}, decimal, with_example)
    if field.description:
        schema["description"] = field.description
    if with_example and _own_example_fits(field, schema):
        schema["example"] = field.example
    return schema


def _own_example_fits(field: FieldType, schema: dict[str, Any]) -> bool:
    """Whether the designer's example for a scalar field is valid for its schema (a wrong
    example would make the spec lie, so it is left out and one is made up instead)."""
    if field.example is None or field.type not in (*_SCALARS, "decimal", "enum"):
        return False
    checker = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    return checker.is_valid(field.example)


def object_schema(
    fields: dict[str, FieldType], decimal: DecimalAs = "string", with_example: bool = True
) -> dict[str, Any]:
    """A closed object schema whose properties are ``fields``; non-optional ones required."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {name: field_schema(f, decimal, with_example) for name, f in fields.items()},
        "additionalProperties": False,
    }
    required = [name for name, f in fields.items() if not f.optional]
    if required:
        schema["required"] = required
    return schema


def example_value(name: str, field: FieldType, decimal: DecimalAs = "string") -> Any:
    """A plausible value for a field: its own example when given, else one made from its type."""
    if _own_example_fits(field, field_schema(field, decimal, with_example=False)):
        return field.example
    kind = field.type
    if kind == "string":
        lowered = name.lower()
        if lowered.endswith("id"):
            return f"{name[:-2] or 'id'}-0001".lower()
        if "email" in lowered:
            return "someone@example.com"
        return f"example {name}"
    if kind == "decimal":
        return "19.99" if decimal == "string" else 19.99
    values: dict[str, Any] = {
        "number": 1.5,
        "integer": 1,
        "boolean": True,
        "datetime": "2026-01-15T09:30:00Z",
        "date": "2026-01-15",
        "binary": "aGVsbG8=",
    }
    if kind in values:
        return values[kind]
    if kind == "enum":
        return (field.values or [""])[0]
    if kind == "list":
        assert field.items is not None
        return [example_value(name, field.items, decimal)]
    if kind == "map":
        assert field.items is not None
        return {"key": example_value(name, field.items, decimal)}
    return object_example(field.fields or {}, decimal)


def object_example(fields: dict[str, FieldType], decimal: DecimalAs = "string") -> dict[str, Any]:
    """An example object with every field, optional ones included."""
    return {name: example_value(name, f, decimal) for name, f in fields.items()}
