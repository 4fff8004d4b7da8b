"""A workflow's steps as the inspector edits them: each step found by a path through the nested
step lists, then added, changed, moved, removed or renamed, with references to it following.

A step's path is its index in the workflow's steps, then for each level of nesting the container
and the index in it: ``2`` is the third step, ``2.b1.0`` the first step of the second branch of
parallel step ``2``, ``3.m.1`` the second step inside map step ``3``. A list of steps is written
the same way without the last index: ``""`` is the workflow's own steps, ``2.b1`` a branch,
``3.m`` a map's steps.

Every change is checked before it is kept (see ``workflow_checks``); a refusal leaves the design
as it was.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.services.edits import (
    Data,
    EditRefused,
    ElementConflict,
    Outcome,
    element_digest,
    find,
    new_element_id,
    update_element,
)
from app.services.step_forms import kind_of
from app.services.workflow_checks import check_change

Path = tuple[int | str, ...]
MAX_DEPTH = 8
WORKFLOW_TYPES = ("standard", "express")
_INDEX = re.compile(r"^(0|[1-9][0-9]{0,3})$")
_CONTAINER = re.compile(r"^(b(0|[1-9][0-9]{0,2})|m)$")


# -- paths -------------------------------------------------------------------------------------


def parse_path(text: str) -> Path:
    """A step's path from its text (``2.b1.0``); EditRefused (400) when it is not one."""
    path = _parts(text)
    if len(path) % 2 == 0:
        raise _not_a_path(text)
    return path


def parse_list_path(text: str) -> Path:
    """A step list's path from its text (``""``, ``2.b1``, ``3.m``)."""
    path = _parts(text)
    if len(path) % 2 == 1:
        raise _not_a_path(text)
    return path


def path_text(path: Path) -> str:
    return ".".join(str(part) for part in path)


def _parts(text: str) -> Path:
    pieces = text.split(".") if text else []
    if len(pieces) > 2 * MAX_DEPTH + 1:
        raise _not_a_path(text)
    parts: list[int | str] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0 and _INDEX.match(piece):
            parts.append(int(piece))
        elif i % 2 == 1 and _CONTAINER.match(piece):
            parts.append(piece)
        else:
            raise _not_a_path(text)
    return tuple(parts)


def _not_a_path(text: str) -> EditRefused:
    return EditRefused(
        f"“{text[:40]}” is not a place in a workflow "
        "(a step is addressed like 2, 2.b1.0 or 3.m.1).",
        status=400,
    )


def step_list(steps: list[Data], path: Path) -> list[Data]:
    """The list of steps a list path names, within `steps` (the same list objects)."""
    current = steps
    for i in range(0, len(path), 2):
        step = _item(current, path[: i + 1])
        container = path[i + 1]
        if container == "m":
            spec = step.get("map")
            if not isinstance(spec, dict):
                raise EditRefused(f"“{step['name']}” is not a map step.")
            current = spec["steps"]
        else:
            branches = step.get("parallel")
            if not isinstance(branches, list):
                raise EditRefused(f"“{step['name']}” is not a parallel step.")
            branch = int(str(container)[1:])
            if branch >= len(branches):
                raise EditRefused(f"“{step['name']}” has no branch {branch + 1}.")
            current = branches[branch]["steps"]
    return current


def step_at(steps: list[Data], path: Path) -> Data:
    """The step at a path."""
    return _item(step_list(steps, path[:-1]), path)


def step_names(steps: list[Data]) -> set[str]:
    """The name of every step, at any depth (inside parallel branches and maps too)."""
    names: set[str] = set()
    for step in steps:
        names.add(step["name"])
        spec = step.get("map")
        if isinstance(spec, dict):
            names |= step_names(spec.get("steps", []))
        for branch in step.get("parallel") or []:
            names |= step_names(branch.get("steps", []))
    return names


def _item(steps: list[Data], path: Path) -> Data:
    index = path[-1]
    assert isinstance(index, int)
    if index >= len(steps):
        raise EditRefused(f"There is no step at {path_text(path)} in this workflow.")
    return steps[index]


# -- changes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepsChange:
    """A workflow's new steps, what happened, and the path of the step to show open."""

    steps: list[Data]
    summary: str
    open: str | None = None


StepsEdit = Callable[[list[Data]], StepsChange]
"""A change of a copy of a workflow's steps (it may change that copy in place)."""


def add_step(steps: list[Data], where: str, step: Data) -> StepsChange:
    """Add `step` at the start or end of a list (``start:2.b1``, ``end:``), after a step
    (``after:3``), or as the first step of a new branch of a parallel step (``branch:1``)."""
    step = with_ids(step)
    how, _, at = where.partition(":")
    if how in ("start", "end"):
        path = parse_list_path(at)
        target = step_list(steps, path)
        index = 0 if how == "start" else len(target)
        target.insert(index, step)
        placed: Path = (*path, index)
    elif how == "after":
        path = parse_path(at)
        target = step_list(steps, path[:-1])
        _item(target, path)
        index = int(path[-1]) + 1
        target.insert(index, step)
        placed = (*path[:-1], index)
    elif how == "branch":
        path = parse_path(at)
        parent = step_at(steps, path)
        branches = parent.get("parallel")
        if not isinstance(branches, list):
            raise EditRefused(f"“{parent['name']}” is not a parallel step: it has no branches.")
        branches.append({"steps": [step]})
        placed = (*path, f"b{len(branches) - 1}", 0)
    else:
        raise EditRefused("Choose where the new step goes.", status=400)
    return StepsChange(steps, f"Added step “{step['name']}”", path_text(placed))


def with_ids(step: Data) -> Data:
    """A new step (and the steps inside it) with fresh ids, as steps loaded from a file get."""
    step = {"id": new_element_id("steps"), **step} if "id" not in step else step
    if isinstance(step.get("parallel"), list):
        step["parallel"] = [
            {**branch, "steps": [with_ids(s) for s in branch["steps"]]}
            for branch in step["parallel"]
        ]
    if isinstance(step.get("map"), dict):
        step["map"] = {**step["map"], "steps": [with_ids(s) for s in step["map"]["steps"]]}
    return step


def update_step(steps: list[Data], where: str, change: Callable[[Data], Data]) -> StepsChange:
    """Replace the step at a path by `change(step)`; a new name is followed by every step of its
    list that names it (only steps of the same list may name it)."""
    path = parse_path(where)
    siblings = step_list(steps, path[:-1])
    before = _item(siblings, path)
    after = change(before)
    if kind_of(after) != kind_of(before):
        raise EditRefused(f"“{before['name']}” stays a {kind_of(before)} step.")
    index = int(path[-1])
    siblings[index] = after
    summary = f"Changed step “{after['name']}”"
    if after["name"] != before["name"]:
        moved = rename_references(siblings, before["name"], after["name"])
        summary = f"Renamed step “{before['name']}” to “{after['name']}”"
        if moved:
            summary += f" and {moved} reference{'s' if moved != 1 else ''} to it"
    return StepsChange(steps, summary, where)


def move_step(steps: list[Data], where: str, direction: str) -> StepsChange:
    """Swap a step with the one before (``up``) or after it (``down``) in its list."""
    path = parse_path(where)
    siblings = step_list(steps, path[:-1])
    step = _item(siblings, path)
    if direction not in ("up", "down"):
        raise EditRefused("Move a step up or down.", status=400)
    index = int(path[-1])
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        edge = "first" if direction == "up" else "last"
        raise EditRefused(f"“{step['name']}” is already the {edge} step of its list.")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    moved = path_text((*path[:-1], other))
    return StepsChange(steps, f"Moved step “{step['name']}” {direction}", moved)


def remove_step(steps: list[Data], where: str, *, clear_references: bool = False) -> StepsChange:
    """Remove a step. Steps that name it are refused unless `clear_references` says to drop
    those references (a `next` or default left out, a catch or choice branch removed). The last
    step of a parallel branch takes its branch along; a list never becomes empty."""
    path = parse_path(where)
    siblings = step_list(steps, path[:-1])
    step = _item(siblings, path)
    name = step["name"]
    pointing = [r for r in references_to(siblings, name) if r.step is not step]
    if pointing and not clear_references:
        raise EditRefused(
            f"“{name}” cannot be removed: {describe_references(pointing)}. Point "
            "those elsewhere first, or tick “Also clear the references to it”."
        )
    del siblings[int(path[-1])]
    summary = f"Removed step “{name}”"
    if pointing:
        _clear_references(siblings, name)
        summary += f" and {len(pointing)} reference{'s' if len(pointing) != 1 else ''} to it"
    if not siblings:
        summary += _drop_empty_list(steps, path, name)
    return StepsChange(steps, summary)


def _drop_empty_list(steps: list[Data], path: Path, name: str) -> str:
    """Remove the branch a removed step leaves empty; refuse when its list cannot go."""
    if len(path) == 1:
        raise EditRefused(f"“{name}” is the workflow's only step: a workflow needs at least one.")
    parent = step_at(steps, path[:-2])
    container = str(path[-2])
    if container == "m":
        raise EditRefused(
            f"“{name}” is the only step inside map “{parent['name']}”: add another step inside "
            "it first, or remove the map step."
        )
    branches = parent["parallel"]
    if len(branches) == 1:
        raise EditRefused(
            f"“{name}” is the only step of the only branch of “{parent['name']}”: add another "
            "step or branch first, or remove the parallel step."
        )
    del branches[int(container[1:])]
    return f" with its branch of “{parent['name']}”"


def set_workflow_type(
    data: Data, element_id: str, value: str, *, base: str | None = None
) -> Outcome:
    """Run a workflow as Standard or Express, or let the generator choose (``""``)."""
    _workflow(data, element_id)
    if value not in ("", *WORKFLOW_TYPES):
        raise EditRefused("A workflow runs as standard or express, or the choice is automatic.")
    return update_element(data, element_id, {"type": value or None}, base=base)


# -- references between steps ------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """One place where a step names another: the step, and how it reads (``by default``)."""

    step: Data
    how: str


def _slots(step: Data) -> Iterator[tuple[Data, str, str]]:
    """Every place in a step that names a step of its list: (holder, key, how it reads)."""
    if "next" in step:
        yield step, "next", "as its next step"
    if "default" in step:
        yield step, "default", "by default"
    for branch in step.get("choice", []):
        yield branch, "next", f"when {branch['when']}"
    for catch in step.get("on_error", []):
        errors = [e for e in catch.get("errors", []) if e != "States.ALL"]
        yield catch, "next", f"on error {', '.join(errors)}" if errors else "on any error"
    approval = step.get("approval")
    if isinstance(approval, dict):
        for key, how in (("on_reject", "when rejected"), ("on_timeout", "when it times out")):
            if key in approval:
                yield approval, key, how


def references_to(siblings: list[Data], name: str) -> list[Reference]:
    """Where the steps of a list name the step `name`."""
    return [
        Reference(step, how)
        for step in siblings
        for holder, key, how in _slots(step)
        if holder[key] == name
    ]


def describe_references(references: list[Reference]) -> str:
    """``“Charge” goes to it on error Payments.Declined; “Large?” goes to it by default``"""
    by_step: dict[str, list[str]] = {}
    for reference in references:
        by_step.setdefault(reference.step["name"], []).append(reference.how)
    return "; ".join(f"“{step}” goes to it {' and '.join(hows)}" for step, hows in by_step.items())


def rename_references(siblings: list[Data], old: str, new: str) -> int:
    """Make the steps of a list that name `old` name `new`; how many references changed."""
    moved = 0
    for step in siblings:
        for holder, key, _how in _slots(step):
            if holder[key] == old:
                holder[key] = new
                moved += 1
    return moved


def _clear_references(siblings: list[Data], name: str) -> None:
    for step in siblings:
        for key in ("next", "default"):
            if step.get(key) == name:
                del step[key]
        if "choice" in step:
            step["choice"] = [b for b in step["choice"] if b["next"] != name]
            if not step["choice"]:
                raise EditRefused(
                    f"Clearing the references would leave choice “{step['name']}” without a "
                    "branch: give it another branch first."
                )
        if "on_error" in step:
            step["on_error"] = [c for c in step["on_error"] if c["next"] != name]
            if not step["on_error"]:
                del step["on_error"]
        approval = step.get("approval")
        if isinstance(approval, dict):
            for key in ("on_reject", "on_timeout"):
                if approval.get(key) == name:
                    del approval[key]


# -- one checked edit --------------------------------------------------------------------------


def edit_steps(data: Data, element_id: str, edit: StepsEdit, *, base: str | None) -> Outcome:
    """Apply `edit` to a copy of a workflow's steps; keep the result only when the workflow is
    still valid and has no new problem. The outcome's `extra["open"]` is the step to show."""
    place, workflow = _workflow(data, element_id)
    if base is not None and base != element_digest(workflow):
        raise ElementConflict(workflow["name"], workflow)
    change = edit(copy.deepcopy(workflow["steps"]))
    after = {**workflow, "steps": change.steps}
    check_change(data, place.context, workflow, after)
    updated = update_element(data, element_id, {"steps": change.steps}, base=base)
    summary = f"{change.summary} in workflow “{workflow['name']}”"
    return Outcome(updated.data, element_id, summary, {"open": change.open})


def _workflow(data: Data, element_id: str) -> tuple[Any, Data]:
    place, element = find(data, element_id)
    if place.kind != "workflows":
        raise EditRefused(f"“{element['name']}” is not a workflow: it has no steps.")
    return place, element
