"""The workflow files of a design: ASL, definition substitutions and IAM needs per workflow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.generators.output import Artifact
from app.generators.workflows.asl import StateMachine, state_machines
from app.generators.workflows.checks import check_state_machine, nested_scopes
from app.model.validate import ValidDesign


class BrokenStateMachine(AssertionError):
    """A generated state machine failed our own structural checks: a bug in the generator."""


def checked_state_machines(valid: ValidDesign) -> list[StateMachine]:
    """Every workflow's state machine, each passed through our own structural checks."""
    machines = state_machines(valid)
    for machine in machines:
        problems = check_state_machine(machine.asl)
        if problems:
            raise BrokenStateMachine(f"{machine.code}: " + "; ".join(problems))
    return machines


def workflow_files(valid: ValidDesign) -> Iterator[Artifact]:
    """``workflows/<code>.asl.json``, ``.substitutions.json``, ``.iam.json`` and an index."""
    index = []
    for machine in checked_state_machines(valid):
        base = f"workflows/{machine.code}"
        yield Artifact.json(f"{base}.asl.json", "state-machine", machine.asl)
        yield Artifact.json(
            f"{base}.substitutions.json",
            "definition-substitutions",
            machine.needs.substitutions_json(),
        )
        yield Artifact.json(f"{base}.iam.json", "iam-policy", machine.needs.iam_json())
        index.append(
            {
                "code": machine.code,
                "name": machine.name,
                "type": machine.kind.type,
                "reason": machine.kind.reason,
                "states": sum(1 for _ in _all_states(machine.asl)),
                "definition": f"{base}.asl.json",
                "substitutions": f"{base}.substitutions.json",
                "policy": f"{base}.iam.json",
            }
        )
    if index:
        yield Artifact.json("workflows/index.json", "workflow-index", {"workflows": index})


def _all_states(scope: dict[str, Any]) -> Iterator[str]:
    for name, state in scope.get("States", {}).items():
        yield name
        for _, inner in nested_scopes(state):
            yield from _all_states(inner)
