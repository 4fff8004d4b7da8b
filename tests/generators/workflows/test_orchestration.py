"""Choreography to orchestration: a chain of policies offered as the equivalent workflow."""

from __future__ import annotations

import pytest

from app.generators.workflows import check_state_machine, state_machines
from app.generators.workflows.orchestration import orchestrate
from app.model import DesignError, dump_design, load_design
from app.model.workflow import ChoiceStep, ParallelStep, TaskStep
from app.proofs.asl_validator import validate_definitions
from tests.generators.workflows.factories import DESIGNS, load


def test_a_chain_of_policies_becomes_tasks_in_the_same_order() -> None:
    valid = load(DESIGNS / "choreography.storm.yaml")
    workflow = orchestrate(valid, "Trial started")
    first, fan_out, done = workflow.steps
    assert isinstance(first, TaskStep) and first.name == "Provision workspace"
    assert isinstance(fan_out, ParallelStep) and fan_out.name == "After Workspace ready"
    welcome, invoice = fan_out.parallel
    assert [s.name for s in welcome.steps] == ["Send welcome"]
    assert [s.name for s in invoice.steps] == [
        "Schedule first invoice",
        "Discount granted?",
        "Notify sales",
        "No Discount granted",
    ]
    choice = invoice.steps[1]
    assert isinstance(choice, ChoiceStep)
    assert choice.choice[0].when == "scheduleFirstInvoice.Payload.discountGranted"
    assert choice.choice[0].probability == 0.2
    assert done.name == "Done"


def test_the_offered_workflow_generates_valid_asl() -> None:
    valid = load(DESIGNS / "choreography.storm.yaml")
    valid.design.contexts[0].workflows.append(orchestrate(valid, "TrialStarted"))
    again = load_design(dump_design(valid.design))
    (machine,) = state_machines(again)
    assert check_state_machine(machine.asl) == []
    assert validate_definitions({"offered": machine.asl})["offered"].valid


def test_an_event_without_policies_has_nothing_to_orchestrate() -> None:
    valid = load(DESIGNS / "choreography.storm.yaml")
    with pytest.raises(DesignError, match="nothing to orchestrate"):
        orchestrate(valid, "Trial ended")
    with pytest.raises(DesignError, match="no single event"):
        orchestrate(valid, "Nothing")
