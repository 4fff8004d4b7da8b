"""Test designs and helpers for the workflow generator tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.generators.workflows import StateMachine, state_machines
from app.generators.workflows.checks import nested_scopes
from app.model import ValidDesign, load_design

HERE = Path(__file__).parent
DESIGNS = HERE / "designs"
STARTERS = HERE.parents[2] / "catalog" / "starters"


def load(path: Path) -> ValidDesign:
    return load_design(path.read_text(encoding="utf-8"))


def machine(design: str, code: str) -> StateMachine:
    """The state machine of workflow ``code`` in the test design ``design`` (file stem)."""
    valid = load(DESIGNS / f"{design}.storm.yaml")
    return next(m for m in state_machines(valid) if m.code == code)


def states(asl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every state of a machine by name, nested branches and item processors included."""
    found: dict[str, dict[str, Any]] = {}
    for name, state in asl["States"].items():
        found[name] = state
        for _, inner in nested_scopes(state):
            found.update(states(inner))
    return found


def chain(asl: dict[str, Any], start: str) -> list[str]:
    """The states from ``start`` along Next until a state without Next."""
    every = states(asl)
    path = [start]
    while "Next" in every[path[-1]] and len(path) < 100:
        path.append(every[path[-1]]["Next"])
    return path


def catch_targets(state: dict[str, Any]) -> dict[str, str]:
    """Each caught error of a state and where it goes."""
    return {error: c["Next"] for c in state.get("Catch", []) for error in c["ErrorEquals"]}


def retried_errors(state: dict[str, Any]) -> list[str]:
    return [e for block in state.get("Retry", []) for e in block["ErrorEquals"]]


def design_text(workflow_yaml: str, commands: list[str], extra: str = "") -> str:
    """A small design around one workflow (YAML indented for a context's ``workflows``)."""
    listed = "\n".join(f"      - name: {c}" for c in commands)
    return (
        "format: 1\nname: Small\ncontexts:\n  - name: Shop\n    actors:\n      - name: Clerk\n"
        f"    commands:\n{listed}\n{extra}    workflows:\n{workflow_yaml}"
    )
