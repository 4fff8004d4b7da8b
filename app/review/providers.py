"""What rules may need beyond the design, computed by the generators that own it."""

from __future__ import annotations

from app.model import ValidDesign


def table_plan(valid: ValidDesign) -> object:
    """The DynamoDB single-table plan (``app.generators.table.plan_table``)."""
    # Imported when first needed: the generators package may itself import the review.
    from app.generators.table import plan_table

    return plan_table(valid)
