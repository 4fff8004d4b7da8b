"""Scenario copies of a state machine: tasks replaced by mocks, the way to a state steered.

A passing mock is a Pass state with a sample result; a failing mock is a single-branch Parallel
whose branch is a Fail state, so the task's own Retry and Catch still apply. Pure: ASL in, ASL out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.generators.workflows.checks import nested_scopes, transitions

MOCK_ERROR_SUFFIX = " · mock error"
"""Appended to a failing task's name to name the Fail state inside its mock."""
MOCK_SETUP_SUFFIX = " · mock setup"
TIMES_OUT_MARK = "dry run: times out after"
"""A mock whose Comment starts so raises States.Timeout in the dry-run engine."""
MOCKED_ROLES = frozenset(("task", "service", "approval", "compensation"))


@dataclass(frozen=True)
class Located:
    name: str
    state: dict[str, Any]
    ancestors: tuple[str, ...]
    """Enclosing Parallel/Map states, innermost first."""


def located_states(scope: dict[str, Any], ancestors: tuple[str, ...] = ()) -> Iterator[Located]:
    for name, state in scope.get("States", {}).items():
        yield Located(name, state, ancestors)
        for _, inner in nested_scopes(state):
            yield from located_states(inner, (name, *ancestors))


def find_state(asl: dict[str, Any], name: str) -> dict[str, Any]:
    return next(found.state for found in located_states(asl) if found.name == name)


def mock_result(state: dict[str, Any], role: str) -> Any:
    """What a mocked task returns, shaped like the real answer after its ResultSelector."""
    if role == "approval":
        return {"approved": True}
    if "ResultSelector" in state:
        return {"Payload": {"ok": True}}
    return {"ok": True}


def passing(state: dict[str, Any], role: str) -> dict[str, Any]:
    mock: dict[str, Any] = {"Type": "Pass", "Result": mock_result(state, role)}
    for key in ("ResultPath", "Next", "End", "Comment"):
        if key in state:
            mock[key] = state[key]
    return mock


def failing(
    name: str, state: dict[str, Any], error: str, keep_retry: bool = True
) -> dict[str, Any]:
    """A Parallel whose one branch fails with ``error``: the task's Retry and Catch still apply.

    The branch's Fail state reads the error from its input (``ErrorPath``), since ASL forbids a
    literal ``States.`` error name such as ``States.Timeout`` in a Fail state.
    """
    if error == "States.Timeout":
        return timing_out(name, state)
    raising = {"Type": "Fail", "ErrorPath": "$.error", "CausePath": "$.cause"}
    setup = {
        "Type": "Pass",
        "Result": {"error": error, "cause": f"dry run: {name} fails with {error}"},
        "Next": name + MOCK_ERROR_SUFFIX,
    }
    mock: dict[str, Any] = {
        "Type": "Parallel",
        "Branches": [
            {
                "StartAt": name + MOCK_SETUP_SUFFIX,
                "States": {name + MOCK_SETUP_SUFFIX: setup, name + MOCK_ERROR_SUFFIX: raising},
            }
        ],
    }
    for key in ("Retry" if keep_retry else "", "Catch", "ResultPath", "Next", "End"):
        if key in state:
            mock[key] = state[key]
    return mock


def timing_out(name: str, state: dict[str, Any]) -> dict[str, Any]:
    """A Parallel the dry-run engine times out at once (its Comment says so), after advancing the
    virtual clock by the task's timeout: ASL has no way to raise ``States.Timeout`` itself."""
    seconds = int(state.get("TimeoutSeconds", 60))
    mock: dict[str, Any] = {
        "Type": "Parallel",
        "Comment": f"{TIMES_OUT_MARK} {seconds}",
        "Branches": [
            {
                "StartAt": name + MOCK_SETUP_SUFFIX,
                "States": {name + MOCK_SETUP_SUFFIX: {"Type": "Pass", "End": True}},
            }
        ],
    }
    for key in ("Catch", "ResultPath", "Next", "End"):
        if key in state:
            mock[key] = state[key]
    return mock


def mock_all(
    scope: dict[str, Any], roles: dict[str, str], replace: dict[str, dict[str, Any]]
) -> None:
    """Replace every task in place: by ``replace[name]`` when given, else by a passing mock."""
    for name, state in scope.get("States", {}).items():
        role = roles.get(name, "")
        if name in replace:
            scope["States"][name] = replace[name]
        elif role in MOCKED_ROLES:
            scope["States"][name] = passing(state, role)
        for _, inner in nested_scopes(state):
            mock_all(inner, roles, replace)


def _scope_of(scope: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The States-holding scope that directly contains the state ``name``."""
    if name in scope.get("States", {}):
        return scope
    for state in scope.get("States", {}).values():
        for _, inner in nested_scopes(state):
            if (found := _scope_of(inner, name)) is not None:
                return found
    return None


def _hops(scope: dict[str, Any], goal: str) -> list[tuple[str, str, list[str]]]:
    """The shortest way from StartAt to ``goal`` in one scope, using as few catches as can be:
    each hop is (state, where it goes, the errors it must raise to go there or [])."""
    states = scope["States"]
    best: dict[str, tuple[int, list[tuple[str, str, list[str]]]]] = {scope["StartAt"]: (0, [])}
    todo = [scope["StartAt"]]
    while todo:
        todo.sort(key=lambda n: (best[n][0], len(best[n][1])))
        name = todo.pop(0)
        cost, path = best[name]
        if name == goal:
            return path
        state = states[name]
        edges: list[tuple[str, list[str]]] = [
            (target, []) for kind, target in transitions(state) if kind != "catch"
        ]
        edges += [(c["Next"], c["ErrorEquals"]) for c in state.get("Catch", [])]
        for target, errors in edges:
            step = (cost + (1 if errors else 0), [*path, (name, target, errors)])
            if target in states and (target not in best or step[0] < best[target][0]):
                best[target] = step
                todo.append(target)
    return []


def steer(asl: dict[str, Any], original: dict[str, Any], goal: str, keep: set[str]) -> None:
    """Make the copy reach ``goal``: choices on the way go where the way goes, and a state the
    way leaves through a catch raises an error that catch takes."""
    chain = [goal, *next(f.ancestors for f in located_states(original) if f.name == goal)]
    for inner in reversed(chain):
        scope, copied = _scope_of(original, inner), _scope_of(asl, inner)
        if scope is None or copied is None:
            return
        for name, target, errors in _hops(scope, inner):
            if name in keep:
                continue
            state = scope["States"][name]
            if errors:
                error = next((e for e in errors if e != "States.ALL"), "DryRun.Failed")
                copied["States"][name] = failing(name, state, error, keep_retry=False)
            elif state.get("Type") == "Choice":
                copied["States"][name] = {
                    "Type": "Pass",
                    "Next": target,
                    "Comment": "dry run: steered",
                }
