"""Workflows as Step Functions state machines: ASL, substitutions, IAM, checks, graph.

``workflow_files`` is the generator; ``state_graph`` reads a machine's ASL for diagrams;
``orchestrate`` offers the workflow equivalent to a chain of policies.
"""

from app.generators.workflows.asl import StateMachine, build_state_machine, state_machines
from app.generators.workflows.checks import check_state_machine
from app.generators.workflows.files import checked_state_machines, workflow_files
from app.generators.workflows.graph import StateEdge, StateNode, state_graph
from app.generators.workflows.orchestration import orchestrate

__all__ = [
    "StateEdge",
    "StateMachine",
    "StateNode",
    "build_state_machine",
    "check_state_machine",
    "checked_state_machines",
    "orchestrate",
    "state_graph",
    "state_machines",
    "workflow_files",
]
