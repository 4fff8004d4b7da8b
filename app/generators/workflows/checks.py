"""Our own structural checks of a state machine, independent of how it was generated.

Every transition target exists in its own scope, every state is reachable from ``StartAt``,
each scope can end, every Choice has a Default, and Retry and Catch blocks are well formed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.generators.workflows.names import MAX_STATE_NAME

STATE_TYPES = frozenset(("Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"))
TERMINAL_TYPES = frozenset(("Succeed", "Fail"))
_NO_TRANSITION = frozenset(("Choice", "Succeed", "Fail"))
_RETRY_KEYS = frozenset(
    (
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    )
)
_CATCH_KEYS = frozenset(("ErrorEquals", "Next", "ResultPath", "Comment"))


def transitions(state: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (kind, target) a state can go to: next, choice, default, catch."""
    if "Next" in state:
        yield "next", state["Next"]
    for rule in state.get("Choices", []):
        if "Next" in rule:
            yield "choice", rule["Next"]
    if "Default" in state:
        yield "default", state["Default"]
    for catch in state.get("Catch", []):
        if "Next" in catch:
            yield "catch", catch["Next"]


def nested_scopes(state: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The state machines inside a Parallel (its branches) or a Map (its item processor)."""
    for i, branch in enumerate(state.get("Branches", [])):
        yield f"Branches[{i}]", branch
    processor = state.get("ItemProcessor") or state.get("Iterator")
    if processor is not None:
        yield "ItemProcessor", processor


def check_state_machine(asl: dict[str, Any]) -> list[str]:
    """Every structural problem of a state machine, each prefixed with where it is."""
    problems: list[str] = []
    _check_scope(asl, "", problems, set())
    return problems


def _check_scope(scope: dict[str, Any], where: str, problems: list[str], names: set[str]) -> None:
    states = scope.get("States")
    if not isinstance(states, dict) or not states:
        problems.append(f"{where}States: missing or empty")
        return
    start = scope.get("StartAt")
    if start not in states:
        problems.append(f"{where}StartAt: no state named {start!r}")
    terminal = False
    for name, state in states.items():
        at = f"{where}States.{name}"
        if len(name) > MAX_STATE_NAME:
            problems.append(f"{at}: the name is longer than {MAX_STATE_NAME} characters")
        if name in names:
            problems.append(f"{at}: the name is used twice in the state machine")
        names.add(name)
        kind = state.get("Type")
        if kind not in STATE_TYPES:
            problems.append(f"{at}.Type: unknown state type {kind!r}")
            continue
        terminal |= kind in TERMINAL_TYPES or state.get("End") is True
        if kind not in _NO_TRANSITION and ("Next" in state) == (state.get("End") is True):
            problems.append(f"{at}: needs exactly one of Next or End")
        if kind == "Choice":
            if not state.get("Choices"):
                problems.append(f"{at}.Choices: a choice needs at least one rule")
            if "Default" not in state:
                problems.append(
                    f"{at}: a choice needs a Default (no rule set is provably exhaustive)"
                )
        for label, target in transitions(state):
            if target not in states:
                problems.append(f"{at}: {label} goes to {target!r}, which is not in this scope")
        _check_retry(state, at, problems)
        _check_catch(state, at, problems)
        for label, inner in nested_scopes(state):
            _check_scope(inner, f"{at}.{label}.", problems, names)
    if not terminal:
        problems.append(f"{where}States: no state ends the execution")
    for name in sorted(set(states) - _reachable(states, start)):
        problems.append(f"{where}States.{name}: not reachable from StartAt")


def _reachable(states: dict[str, Any], start: Any) -> set[str]:
    seen: set[str] = set()
    todo = [start] if start in states else []
    while todo:
        name = todo.pop()
        if name in seen or name not in states:
            continue
        seen.add(name)
        todo.extend(target for _, target in transitions(states[name]))
    return seen


def _check_errors(errors: Any, at: str, problems: list[str]) -> None:
    if not isinstance(errors, list) or not errors or not all(isinstance(e, str) for e in errors):
        problems.append(f"{at}.ErrorEquals: a non-empty list of error names")
    elif "States.ALL" in errors and errors != ["States.ALL"]:
        problems.append(f"{at}.ErrorEquals: States.ALL must stand alone")


def _check_retry(state: dict[str, Any], at: str, problems: list[str]) -> None:
    retry = state.get("Retry", [])
    for i, block in enumerate(retry):
        here = f"{at}.Retry[{i}]"
        if unknown := set(block) - _RETRY_KEYS:
            problems.append(f"{here}: unknown fields {sorted(unknown)}")
        _check_errors(block.get("ErrorEquals"), here, problems)
        if "States.ALL" in block.get("ErrorEquals", []) and i != len(retry) - 1:
            problems.append(f"{here}: a States.ALL retrier must come last")
        if not 1 <= block.get("IntervalSeconds", 1) <= 99_999_999:
            problems.append(f"{here}.IntervalSeconds: between 1 and 99999999")
        if not 0 <= block.get("MaxAttempts", 3) <= 99_999_999:
            problems.append(f"{here}.MaxAttempts: between 0 and 99999999")
        if block.get("BackoffRate", 2.0) < 1:
            problems.append(f"{here}.BackoffRate: at least 1")
        if not 1 <= block.get("MaxDelaySeconds", 1) <= 31_622_400:
            problems.append(f"{here}.MaxDelaySeconds: between 1 and 31622400")
        if block.get("JitterStrategy", "NONE") not in ("FULL", "NONE"):
            problems.append(f"{here}.JitterStrategy: FULL or NONE")


def _check_catch(state: dict[str, Any], at: str, problems: list[str]) -> None:
    catch = state.get("Catch", [])
    for i, block in enumerate(catch):
        here = f"{at}.Catch[{i}]"
        if unknown := set(block) - _CATCH_KEYS:
            problems.append(f"{here}: unknown fields {sorted(unknown)}")
        _check_errors(block.get("ErrorEquals"), here, problems)
        if "States.ALL" in block.get("ErrorEquals", []) and i != len(catch) - 1:
            problems.append(f"{here}: a States.ALL catcher must come last")
        if "Next" not in block:
            problems.append(f"{here}.Next: required")
