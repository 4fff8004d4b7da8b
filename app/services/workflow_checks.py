"""Whether a changed workflow may be kept, said in the step editor's words.

A changed workflow must still be a valid workflow (the model's structure), and must not gain a
problem the design's validation reports (a ``next`` naming no step of its branch, an unknown
command, two steps of one name, a heartbeat longer than its timeout, …). Problems it already had
do not block other changes. Each refusal names the step, the field and, for the editor's line
formats, the line: ``Step “Charge”, on error, line 2 · next: no step named 'Refnd' …``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import ValidationError

from app.model import DesignError, parse_design
from app.model.errors import Loc
from app.model.validate import check_design
from app.model.workflow import STEP_KINDS, Workflow
from app.services.edits import Data, EditRefused
from app.services.step_forms import LABELS

LINKED_KINDS = ("actors", "commands", "read_models", "aggregates", "events")
"""The kinds a step may name (commands, compensations, approvers, service targets)."""


def check_change(data: Data, context_index: int, before: Data, after: Data) -> None:
    """Refuse `after` (a changed workflow of the context at `context_index`) when it is not a
    valid workflow, or when the design's validation finds a problem in it `before` had not."""
    _check_structure(after)
    known = Counter(message for _loc, message in workflow_problems(data, context_index, before))
    fresh = []
    for loc, message in workflow_problems(data, context_index, after):
        if known[message]:
            known[message] -= 1
        else:
            fresh.append(f"{describe_place(after, loc)}: {message}")
    if fresh:
        raise EditRefused(_not_saved(fresh))


def _check_structure(workflow: Data) -> None:
    try:
        Workflow.model_validate(workflow)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _clean_loc(tuple(error["loc"]))
            if loc is None:
                continue
            problems.append(f"{describe_place(workflow, loc)}: {_message(error)}")
        raise EditRefused(_not_saved(list(dict.fromkeys(problems)))) from None


def _not_saved(problems: list[str]) -> str:
    shown = problems[:5]
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return "Not saved: " + "; ".join(shown) + more + "."


def _clean_loc(loc: tuple[Any, ...]) -> Loc | None:
    """A pydantic error's location without the union tags it adds (None: an error about a union
    member that does not apply, such as `retry: false` when a retry policy was given)."""
    cleaned: list[str | int] = []
    for i, key in enumerate(loc):
        if isinstance(key, str) and key.startswith("literal["):
            return None
        after_steps = i >= 2 and isinstance(loc[i - 1], int) and loc[i - 2] == "steps"
        if (isinstance(key, str) and key in STEP_KINDS and after_steps) or key == "Retry":
            continue
        cleaned.append(key)
    return tuple(cleaned)


def _message(error: Any) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}'"
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "literal_error":
        return f"must be one of {error.get('ctx', {}).get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return "letters, digits, '_' and '.', starting with a letter"
    message = str(error["msg"]).replace("Input should be", "must be")
    return message[:1].lower() + message[1:]


def workflow_problems(data: Data, context_index: int, workflow: Data) -> list[tuple[Loc, str]]:
    """What the design's validation reports inside `workflow`, were it the workflow of that
    context: (location in the workflow, message). Checked on a design made of the workflow and
    the names it can refer to, so a large design costs little."""
    contexts = []
    for index, context in enumerate(data.get("contexts", [])):
        reduced: Data = _identity(context)
        for kind in LINKED_KINDS:
            if context.get(kind):
                reduced[kind] = [_identity(element) for element in context[kind]]
        if index == context_index:
            reduced["workflows"] = [workflow]
        contexts.append(reduced)
    here = ("contexts", context_index, "workflows", 0)
    try:
        check_design(parse_design({"name": data.get("name", "Design"), "contexts": contexts}))
    except DesignError as exc:
        return [
            (p.loc[len(here) :], p.message)
            for p in exc.problems
            if p.loc is not None and p.loc[: len(here)] == here
        ]
    return []


def _identity(element: Data) -> Data:
    return {key: element[key] for key in ("id", "name", "code") if key in element}


# -- readable places ---------------------------------------------------------------------------


def describe_place(workflow: Data, loc: Loc) -> str:
    """A location in a workflow as the editor names it: ``Step “Charge”, retry · max attempts``
    or ``Step “Large?”, branches, line 2 · next``."""
    node: Any = workflow
    step: Data | None = None
    rest: list[str | int] = []
    i = 0
    while i < len(loc):
        key, following = loc[i], loc[i + 1] if i + 1 < len(loc) else None
        if key == "steps" and isinstance(following, int) and isinstance(node, dict):
            items = node.get("steps")
            if isinstance(items, list) and 0 <= following < len(items):
                step = node = items[following]
                rest = []
                i += 2
                continue
        if key == "parallel" and isinstance(following, int) and node is step and step:
            branches = step.get("parallel")
            if isinstance(branches, list) and loc[i + 2 : i + 3] == ("steps",):
                node = branches[following]
                i += 2
                continue
        if key == "map" and following == "steps" and node is step and step:
            node = step["map"]
            i += 1
            continue
        rest.append(key)
        i += 1
    where = f"Step “{step['name']}”" if step else f"Workflow “{workflow.get('name', '')}”"
    field = _field_label(rest)
    return f"{where}, {field}" if field else where


def _field_label(rest: list[str | int]) -> str:
    labels: list[str] = []
    i = 0
    while i < len(rest):
        key, following = rest[i], rest[i + 1] if i + 1 < len(rest) else None
        if key in ("choice", "on_error") and isinstance(following, int):
            labels.append(f"{LABELS[str(key)]}, line {following + 1}")
            i += 2
            continue
        if key == "parallel" and isinstance(following, int):
            labels.append(f"branch {following + 1}")
            i += 2
            continue
        if key == "input" and isinstance(following, str):
            labels.append(f"input mapping, “{following}”")
            i += 2
            continue
        if isinstance(key, int):
            labels.append(f"item {key + 1}")
        elif key not in ("wait", "fail", "succeed", "approval", "map"):
            labels.append(LABELS.get(key, key.replace("_", " ")))
        i += 1
    return " · ".join(labels)
