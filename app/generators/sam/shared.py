"""Values several parts of the export read, computed once per design (see ``ValidDesign.derived``).

The template, the state-machine files and the architecture docs all read the checked state
machines; the budget and the cost report both read the cost estimate.
"""

from __future__ import annotations

from app.generators.cost import CostEstimate, has_prices, price_design
from app.generators.workflows import StateMachine, checked_state_machines
from app.model import ValidDesign


def export_state_machines(valid: ValidDesign) -> list[StateMachine]:
    """Every workflow's state machine, passed through the workflow generator's own checks."""
    return valid.derived("sam-state-machines", checked_state_machines)


def export_cost(valid: ValidDesign) -> CostEstimate | None:
    """The design's cost estimate (None when its region has no prices)."""
    if not has_prices(valid.design.settings.region):
        return None
    return valid.derived("sam-cost-estimate", lambda v: price_design(v))
