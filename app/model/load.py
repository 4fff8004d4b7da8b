"""Reading and writing storm files: text ⇄ validated design, with every problem located."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from app.model.elements import Design
from app.model.errors import DesignError, Loc, Problem, format_loc, locate
from app.model.index import assign_ids
from app.model.stormfile import FORMAT_VERSION, Marks, dump_yaml, parse_yaml, upgrade
from app.model.validate import ValidDesign, check_design
from app.model.workflow import STEP_KINDS

_FRIENDLY_PATTERNS = {
    "code": "a code name is ASCII letters and digits, starting with a letter (at most 64)",
    "route": "a route looks like 'POST /orders/{orderId}'",
    "id": "an id looks like 'cmd-k3j4h5' (a short prefix, a dash, letters and digits)",
    "region": "a region looks like 'us-east-1'",
}


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop the union tags pydantic inserts after a workflow step's index."""
    cleaned: list[str | int] = []
    for i, key in enumerate(loc):
        if (
            isinstance(key, str)
            and key in STEP_KINDS
            and i >= 2
            and isinstance(loc[i - 1], int)
            and loc[i - 2] == "steps"
        ):
            continue
        if key == "[key]":
            continue
        cleaned.append(key)
    return tuple(cleaned)


def _message(error: Any, model: type[BaseModel] | None) -> str:
    kind = error["type"]
    loc = error["loc"]
    last = loc[-1] if loc else ""
    if kind == "missing":
        return f"'{last}' is required"
    if kind == "extra_forbidden":
        return f"unknown key '{last}'"
    if kind == "string_pattern_mismatch":
        if "[key]" in loc:
            return "a field name is a letter followed by letters, digits or '_'"
        return _FRIENDLY_PATTERNS.get(str(last), "this value does not have the expected form")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}"
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    msg = str(error["msg"]).replace("Input should be", "must be")
    return msg[:1].lower() + msg[1:]


def _allowed_keys(raw: Any, loc: Loc) -> list[str]:
    """Keys the model would accept at ``loc`` (for did-you-mean on unknown keys)."""
    from app.model.schema import keys_at

    return keys_at(raw, loc)


def structure_problems(exc: ValidationError, raw: Any, marks: Marks) -> list[Problem]:
    """Turn pydantic's errors into located, readable problems."""
    problems: list[Problem] = []
    for error in exc.errors():
        loc = _clean_loc(tuple(error["loc"]))
        message = _message(error, None)
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _allowed_keys(raw, loc[:-1]), n=1)
            if close:
                message += f" — did you mean '{close[0]}'?"
        line, column = locate(loc, marks)
        problems.append(Problem(format_loc(loc, raw), message, line, column))
    return sorted(set(problems), key=lambda p: (p.line or 0, p.column or 0, p.path, p.message))


def validate(design: Design, raw: Any = None, marks: Marks | None = None) -> ValidDesign:
    """Check a design's meaning and its traffic flow; raise DesignError with every problem."""
    try:
        valid = check_design(design, raw)
        _ = valid.traffic  # an amplifying cycle is a design error
    except DesignError as exc:
        if marks is None or raw is None:
            raise
        raise DesignError(_with_lines(exc.problems, raw, marks)) from None
    return valid


def _with_lines(problems: tuple[Problem, ...], raw: Any, marks: Marks) -> list[Problem]:
    """Attach the line and column in the file to problems found in the parsed design."""
    located = []
    for p in problems:
        line, column = locate(p.loc, marks) if p.loc is not None else (p.line, p.column)
        located.append(Problem(p.path, p.message, line, column, loc=p.loc))
    return located


def parse_design(data: Any, marks: Marks | None = None) -> Design:
    """Build a design from plain data (a parsed storm file or JSON), assigning missing ids."""
    if not isinstance(data, dict):
        raise DesignError.one("", "a design is a mapping with at least 'name' and 'contexts'")
    try:
        data = upgrade(data)
    except DesignError as exc:
        line, column = locate(("format",), marks or {})
        raise DesignError(Problem(p.path, p.message, line, column) for p in exc.problems) from None
    try:
        design = Design.model_validate(data)
    except ValidationError as exc:
        raise DesignError(structure_problems(exc, data, marks or {})) from None
    return assign_ids(design)


def load_design(text: str | bytes) -> ValidDesign:
    """Read storm-file text into a validated design; raise DesignError on any problem."""
    data, marks = parse_yaml(text)
    design = parse_design(data, marks)
    return validate(design, data, marks)


def design_data(design: Design) -> dict[str, Any]:
    """The design as canonical plain data: format first, defaults left out, positions sorted."""
    data = whole_numbers(design.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    data = {"format": FORMAT_VERSION, **{k: v for k, v in data.items() if k != "format"}}
    positions = data.get("layout", {}).get("positions")
    if positions:
        data["layout"]["positions"] = dict(sorted(positions.items()))
    return data


def whole_numbers(node: Any) -> Any:
    """Write 3000000.0 as 3000000: the file reads as a person would write it."""
    if isinstance(node, float) and node.is_integer() and abs(node) < 2**53:
        return int(node)
    if isinstance(node, dict):
        return {k: whole_numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [whole_numbers(v) for v in node]
    return node


def dump_design(design: Design) -> str:
    """The canonical storm-file text of a design (``load_design(dump_design(d)).design == d``)."""
    return dump_yaml(design_data(design))
