"""Every workflow of the large benchmark design, and steps that nothing leads to."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import yaml

from app.generators.workflows import check_state_machine, state_machines, workflow_files
from app.model import load_design
from app.model.stormfile import dump_yaml
from app.proofs.asl_validator import validate_definitions
from tests.generators.workflows.factories import design_text, states

LARGE = Path(__file__).resolve().parents[3] / "bench" / "large_design.py"


def make_large_design(seed: int) -> str:
    """The benchmark's large design (the bench folder is not a package on the test path)."""
    spec = importlib.util.spec_from_file_location("large_design", LARGE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while loading
    spec.loader.exec_module(module)
    text: str = module.make_large_design(seed=seed)
    return text


def _large_design_without_type_overrides() -> str:
    """The large design as the export sees it: its deliberately wrong Express overrides (review
    material) dropped, so each machine's type is chosen by the generator."""
    data = yaml.safe_load(make_large_design(seed=7))
    for context in data["contexts"]:
        for workflow in context.get("workflows") or []:
            workflow.pop("type", None)
    return dump_yaml(data)


def test_every_workflow_of_the_large_design_passes_our_checks_and_asl_validator() -> None:
    valid = load_design(_large_design_without_type_overrides())
    machines = state_machines(valid)
    assert len(machines) == 20
    assert {m.code: check_state_machine(m.asl) for m in machines} == {m.code: [] for m in machines}
    verdicts = validate_definitions({m.code: m.asl for m in machines})
    assert {c: v.messages for c, v in verdicts.items() if not v.valid} == {}
    # The export's path: the checked machines become files without a BrokenStateMachine.
    index = [a for a in workflow_files(valid) if a.path == "workflows/index.json"]
    assert len(index) == 1
    # The seed has workflows whose 'Rejected' step nothing leads to; they are left out.
    dropped = {m.code: m.unreachable for m in machines if m.unreachable}
    assert dropped and all(
        names == [f"{m.name}: Rejected"] for m in machines for names in [m.unreachable] if names
    )


UNREACHABLE = textwrap.dedent(
    """\
      - name: Settle
        steps:
          - name: Pay
            task: Pay
            next: Done
          - name: Orphan
            task: Pay
          - name: Done
            succeed: {}
          - name: After the end
            fail:
              error: Never
          - name: In parallel
            parallel:
              - steps:
                  - name: Branch done
                    succeed: {}
                  - name: Branch orphan
                    task: Pay
"""
)


def test_steps_that_nothing_leads_to_are_left_out_and_reported() -> None:
    workflow = textwrap.indent(UNREACHABLE, "    ")
    (built,) = state_machines(load_design(design_text(workflow, ["Pay"])))
    assert check_state_machine(built.asl) == []
    assert set(states(built.asl)) == {"Pay", "Done"}
    assert built.unreachable == [
        "Settle: Orphan",
        "Settle: After the end",
        "Settle: In parallel",
    ]
    assert set(built.step_states.values()) == {"Pay", "Done"}
