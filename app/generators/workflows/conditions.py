"""Choice rules in ASL's JSONPath form, from the model's readable conditions.

``total > 1000 and not express`` becomes an ``And`` of ``NumericGreaterThan`` and ``Not``
``BooleanEquals``. Every comparison is guarded by ``IsPresent`` so that a missing field sends the
execution down the default branch instead of failing it with ``States.Runtime``.
"""

from __future__ import annotations

from typing import Any

from app.model.expressions import (
    And,
    Compare,
    Condition,
    Exists,
    Not,
    Or,
    Path,
    Truthy,
    parse_condition,
)
from app.model.types import Fields

_SUFFIX = {
    "==": "Equals",
    "<": "LessThan",
    "<=": "LessThanEquals",
    ">": "GreaterThan",
    ">=": "GreaterThanEquals",
}
_STRING_TYPES = frozenset(("string", "enum", "datetime", "date", "binary"))
_TIMESTAMP_TYPES = frozenset(("datetime",))


def state_path(path: str) -> str:
    """The JSONPath of a model state path: ``order.total`` → ``$.order.total``."""
    if path == "$" or path.startswith("$."):
        return path
    return "$." + path


def choice_rule(text: str, fields: Fields | None = None) -> dict[str, Any]:
    """The ASL rule (without ``Next``) for a condition; ``fields`` types path-to-path compares."""
    return _rule(parse_condition(text), fields or {})


def _rule(cond: Condition, fields: Fields) -> dict[str, Any]:
    if isinstance(cond, And):
        return {"And": [_rule(c, fields) for c in cond.operands]}
    if isinstance(cond, Or):
        return {"Or": [_rule(c, fields) for c in cond.operands]}
    if isinstance(cond, Not):
        return {"Not": _rule(cond.operand, fields)}
    if isinstance(cond, Exists):
        return {"Variable": state_path(cond.path.text), "IsPresent": True}
    if isinstance(cond, Truthy):
        variable = state_path(cond.path.text)
        return {"And": [_present(variable), {"Variable": variable, "BooleanEquals": True}]}
    return _compare(cond, fields)


def _present(variable: str) -> dict[str, Any]:
    return {"Variable": variable, "IsPresent": True}


def _compare(cond: Compare, fields: Fields) -> dict[str, Any]:
    variable = state_path(cond.left.text)
    negate = cond.op == "!="
    op = "==" if negate else cond.op
    right = cond.right
    if right is None:
        test: dict[str, Any] = {"Variable": variable, "IsNull": True}
    elif isinstance(right, Path):
        family = _family_of(cond.left.text, fields) or _family_of(right.text, fields) or "Numeric"
        if family == "Boolean" and op != "==":
            family = "Numeric"
        test = {"Variable": variable, f"{family}{_SUFFIX[op]}Path": state_path(right.text)}
    elif isinstance(right, bool):
        test = {"Variable": variable, "BooleanEquals": right}
    elif isinstance(right, str):
        test = {"Variable": variable, f"String{_SUFFIX[op]}": right}
    else:
        test = {"Variable": variable, f"Numeric{_SUFFIX[op]}": right}
    guarded = {"And": [_present(variable), test]}
    return {"Not": guarded} if negate else guarded


def _family_of(path: str, fields: Fields) -> str | None:
    """The comparison family (Numeric, String, Timestamp, Boolean) of a typed input field."""
    field = fields.get(path.split(".")[0].split("[")[0])
    if field is None or "." in path:
        return None
    if field.type in _TIMESTAMP_TYPES:
        return "Timestamp"
    if field.type in _STRING_TYPES:
        return "String"
    if field.type == "boolean":
        return "Boolean"
    return "Numeric"
