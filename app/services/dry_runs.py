"""Workflow dry runs for the studio: one scenario at a time, run only when asked, cached.

A run is kept by (content hash, workflow, scenario), so replaying an unchanged design's run
never runs it again. The emulated Step Functions engine is process-wide: one run at a time.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from app.generators.diagrams import state_machine_graph, state_machine_svg
from app.generators.workflows.scenarios import scenarios
from app.model import DesignError, ValidDesign
from app.proofs.workflows import RunReport, find_workflow, simulate
from app.services.previews import GENERATOR_FAILURES, validated

logger = logging.getLogger(__name__)

_RUNS: OrderedDict[tuple[str, str, str], DryRun] = OrderedDict()
_RUNNING = threading.Lock()


@dataclass(frozen=True)
class WorkflowScenarios:
    """A workflow of the design and the scenarios it can be dry-run with."""

    code: str
    name: str
    scenarios: tuple[str, ...]


@dataclass(frozen=True)
class DryRun:
    """One scenario's run on its workflow's diagram, or why there is none."""

    report: RunReport | None
    svg: str = ""
    node_of_state: dict[str, str] | None = None
    message: str = ""


def workflow_scenarios(valid: ValidDesign) -> list[WorkflowScenarios]:
    """Each workflow that can be built, with its scenario names (nothing is run)."""
    found = []
    for entry in valid.of_kind("workflows"):
        try:
            machine = find_workflow(valid, entry.id)
        except DesignError:
            continue
        names = tuple(s.name for s in scenarios(machine))
        found.append(WorkflowScenarios(machine.code, entry.element.name, names))
    return found


def dry_run(digest: str, text: str, workflow: str, scenario: str) -> DryRun:
    """The run of one scenario of one workflow of a storm file (cached by content hash)."""
    key = (digest, workflow, scenario)
    with _RUNNING:
        if key in _RUNS:
            _RUNS.move_to_end(key)
            return _RUNS[key]
        found = _run(digest, text, workflow, scenario)
        _RUNS[key] = found
        while len(_RUNS) > 32:
            _RUNS.popitem(last=False)
        return found


def _run(digest: str, text: str, workflow: str, scenario: str) -> DryRun:
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return DryRun(None, message="Fix the design's problems before running its workflows.")
    try:
        machine = find_workflow(valid, workflow)
        reports = simulate(valid, workflow, scenario)
    except DesignError as exc:
        return DryRun(None, message=exc.problems[0].message if exc.problems else str(exc))
    except (*GENERATOR_FAILURES, ClientError, BotoCoreError) as exc:
        logger.warning("the dry run failed", exc_info=exc)
        return DryRun(None, message=f"The dry run could not finish ({type(exc).__name__}).")
    title = f"{machine.name} — state machine"
    svg = state_machine_svg(machine.asl, title).decode("utf-8")
    return DryRun(reports[0], svg, node_of_state(machine.asl, title))


def node_of_state(asl: dict, title: str) -> dict[str, str]:
    """The diagram's node id (``n3``…) of each state name, nested states included."""
    ids = state_machine_graph(asl, title).node_ids()
    nodes: dict[str, str] = {}
    for key, node_id in ids.items():
        nodes.setdefault(key.rsplit("/", 1)[-1], node_id)
    return nodes
