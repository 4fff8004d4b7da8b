"""Dry-run scenarios of a state machine: scenario copies of its ASL and what each should do.

In a copy every task is replaced by a mock: a Pass state returning a sample result, or a
single-branch Parallel whose branch is a Fail state raising a named error, which keeps the task's
own Retry and Catch so retries and catches really happen. Pure: ASL in, scenarios out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from app.generators.workflows.asl import REJECTED, StateMachine
from app.generators.workflows.mocks import (
    Located,
    failing,
    find_state,
    located_states,
    mock_all,
    passing,
    steer,
)

FAIL_MARK = "stormdraftFailItem"
"""Set on the one item of a map scenario that fails."""
SAMPLE_TIME = "2030-01-01T00:00:00Z"


@dataclass(frozen=True)
class Expectation:
    """What a run must show: states in this order, these retries, this ending."""

    visits: tuple[str, ...] = ()
    retries: dict[str, int] = field(default_factory=dict)
    status: str | None = None
    error: str | None = None
    avoids: frozenset[str] = frozenset()

    def describe(self) -> str:
        parts = []
        if self.visits:
            parts.append("visits " + " → ".join(self.visits))
        parts += [f"{state} retried {n}×" for state, n in sorted(self.retries.items())]
        if self.status:
            parts.append(f"ends {self.status}" + (f" with {self.error}" if self.error else ""))
        if self.avoids:
            parts.append("no compensation")
        return "; ".join(parts)


@dataclass(frozen=True)
class Scenario:
    """One dry run: its name, the scenario copy to run, the input, what should happen."""

    name: str
    description: str
    asl: dict[str, Any]
    input: dict[str, Any]
    expect: Expectation


def sample_input(scope: dict[str, Any], fail_in: str | None = None) -> dict[str, Any]:
    """An input with every list a map iterates over (three items) and every timestamp waited for."""
    data: dict[str, Any] = {}
    for found in located_states(scope):
        state = found.state
        if found.ancestors:
            continue
        if "TimestampPath" in state:
            _put(data, state["TimestampPath"], SAMPLE_TIME)
        if state.get("Type") == "Map":
            processor = state.get("ItemProcessor", {})
            items = [{"item": i + 1, **sample_input(processor)} for i in range(3)]
            if found.name == fail_in:
                items[1][FAIL_MARK] = True
            _put(data, state.get("ItemsPath", "$"), items)
        for branch in state.get("Branches", []):
            for key, value in sample_input(branch).items():
                data.setdefault(key, value)
    return data


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    keys = [k for k in path.removeprefix("$").split(".") if k]
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    if keys:
        node.setdefault(keys[-1], value)


def _catch_target(state: dict[str, Any], error: str) -> str | None:
    for catch in state.get("Catch", []):
        errors = catch.get("ErrorEquals", [])
        if error in errors or "States.ALL" in errors:
            return catch["Next"]
    return None


def _retries(state: dict[str, Any], error: str) -> int:
    for block in state.get("Retry", []):
        errors = block.get("ErrorEquals", [])
        if error in errors or ("States.ALL" in errors and not error.startswith("States.Runtime")):
            return int(block.get("MaxAttempts", 3))
    return 0


def _walk_on(asl: dict[str, Any], target: str) -> tuple[list[str], str | None, str | None]:
    """States surely visited from ``target`` on, and the ending when it is certain."""
    visits = [target]
    state = find_state(asl, target)
    while True:
        kind = state.get("Type")
        if kind == "Fail":
            return visits, "FAILED", state.get("Error")
        if kind == "Succeed" or state.get("End") is True and kind in ("Task", "Pass", "Wait"):
            return visits, "SUCCEEDED", None
        if kind not in ("Task", "Pass", "Wait") or "Next" not in state or len(visits) > 200:
            return visits, None, None
        visits.append(state["Next"])
        state = find_state(asl, state["Next"])


def _distributed(state: dict[str, Any]) -> bool:
    config = state.get("ItemProcessor", {}).get("ProcessorConfig", {})
    return state.get("Type") == "Map" and config.get("Mode") == "DISTRIBUTED"


def _failure_expectation(
    machine: StateMachine, found: Located, error: str, retried: bool = True
) -> Expectation:
    """Where an error raised at ``found`` ends up: its own catch, or an enclosing state's."""
    asl = machine.asl
    retries = {found.name: _retries(found.state, error)} if retried else {}
    levels = [(found.name, found.state)] + [(a, find_state(asl, a)) for a in found.ancestors]
    for level, (_, state) in enumerate(levels):
        if level > 0 and _retries(state, error):
            retries = {}  # an enclosing retry reruns the failing task: its count multiplies
        target = _catch_target(state, error)
        if target is not None:
            visits, status, ending = _walk_on(asl, target)
            return Expectation((found.name, *visits), retries, status, ending)
    return Expectation((found.name,), retries, "FAILED", error)


def scenarios(machine: StateMachine) -> list[Scenario]:
    """Every dry-run scenario of a state machine, in a stable order."""
    asl, roles = machine.asl, machine.roles
    found_all = list(located_states(asl))
    avoid = frozenset(n for n, r in roles.items() if r in ("compensation", "saga-fail"))
    result = [
        _scenario(
            machine,
            "happy path",
            "every task succeeds and every approval is given",
            {},
            None,
            Expectation((asl["StartAt"],), {}, None, None, avoid),
        )
    ]
    for found in found_all:
        role = roles.get(found.name)
        if role in ("task", "service"):
            retry = found.state.get("Retry", [])
            error = next(
                (e for b in retry for e in b["ErrorEquals"] if not e.startswith("States.")),
                "DryRun.TaskFailed",
            )
            result.append(
                _scenario(
                    machine,
                    f"{found.name} fails",
                    f"{found.name} keeps failing with {error}",
                    {found.name: failing(found.name, found.state, error)},
                    None,
                    _failure_expectation(machine, found, error),
                    goal=found.name,
                )
            )
        elif role == "approval":
            for suffix, error, what in (
                ("rejected", REJECTED, "the approver rejects"),
                ("times out", "States.Timeout", "nobody decides in time"),
            ):
                result.append(
                    _scenario(
                        machine,
                        f"{found.name} {suffix}",
                        f"{found.name}: {what} ({error})",
                        {found.name: failing(found.name, found.state, error, keep_retry=False)},
                        None,
                        _failure_expectation(machine, found, error),
                        goal=found.name,
                    )
                )
    for found in found_all:
        if found.state.get("Type") == "Map" and not found.ancestors:
            result.extend(_map_item_scenario(machine, found))
    return result


def _map_item_scenario(machine: StateMachine, found: Located) -> list[Scenario]:
    processor = found.state["ItemProcessor"]
    first = next(
        (
            f
            for f in located_states(processor)
            if machine.roles.get(f.name) in ("task", "service") and not f.ancestors
        ),
        None,
    )
    if first is None:
        return []
    error = "Item.Failed"
    gate = first.name + " · failing item?"
    replace = {
        first.name: {
            "Type": "Choice",
            "Choices": [{"Variable": "$." + FAIL_MARK, "IsPresent": True, "Next": gate}],
            "Default": first.name + " · passes",
        }
    }
    extra = {
        gate: failing(first.name, first.state, error, keep_retry=False),
        first.name + " · passes": passing(first.state, machine.roles[first.name]),
    }
    map_state = found.state
    tolerated = float(map_state.get("ToleratedFailurePercentage", 0))
    if _distributed(map_state) and tolerated >= 100 / 3:
        expectation = Expectation((found.name,))  # one failed item in three is tolerated
    else:
        expectation = _failure_expectation(machine, found, error, retried=False)
    scenario = _scenario(
        machine,
        f"{found.name} item fails",
        f"one of three items of {found.name} fails with {error}",
        replace,
        found.name,
        expectation,
        goal=found.name,
    )
    processor_copy = find_state(scenario.asl, found.name)["ItemProcessor"]
    processor_copy["States"].update(extra)
    return [scenario]


def _scenario(
    machine: StateMachine,
    name: str,
    description: str,
    replace: dict[str, dict[str, Any]],
    fail_in: str | None,
    expect: Expectation,
    goal: str | None = None,
) -> Scenario:
    asl = copy.deepcopy(machine.asl)
    mock_all(asl, machine.roles, replace)
    if goal is not None:
        steer(asl, machine.asl, goal, set(replace))
    for found in located_states(asl):
        if found.state.get("Type") == "Map":
            found.state["MaxConcurrency"] = 1  # one item at a time: the report reads in order
            if _distributed(found.state):
                # moto runs a distributed map's items as hidden child runs, turns failed items
                # into nulls and ignores ToleratedFailurePercentage: run the same items inline.
                found.state["ItemProcessor"]["ProcessorConfig"] = {"Mode": "INLINE"}
                for key in ("Label", "ToleratedFailurePercentage", "ItemBatcher", "ResultWriter"):
                    found.state.pop(key, None)
    data = sample_input(machine.asl, fail_in)
    _results_carry_items(asl, data)
    return Scenario(name, description, asl, data, expect)


def _get(data: Any, path: str) -> Any:
    for key in [k for k in path.removeprefix("$").split(".") if k]:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _results_carry_items(scope: dict[str, Any], data: dict[str, Any]) -> None:
    """A map may iterate over what an earlier task returned (``$.splitPages.Payload.pages``):
    that task's mock then returns the sample items, since it writes over that part of the state."""
    items_paths = [
        s["ItemsPath"]
        for s in scope["States"].values()
        if s.get("Type") == "Map" and "ItemsPath" in s
    ]
    for state in scope["States"].values():
        result_path = state.get("ResultPath")
        if state.get("Type") != "Pass" or not isinstance(result_path, str) or "Result" not in state:
            continue
        for items_path in items_paths:
            if items_path.startswith(result_path + "."):
                rest = "$" + items_path.removeprefix(result_path)
                if isinstance(state["Result"], dict):
                    _put(state["Result"], rest, _get(data, items_path))
