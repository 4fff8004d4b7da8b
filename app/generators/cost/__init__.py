"""The cost model: a design's traffic flow as usage lines, priced from a dated catalog per region.

``price_design(valid, options)`` and ``price_usage(usage_data)`` return a ``CostEstimate``;
``what_if`` recomputes under changed choices; ``cost_files`` is the generator writing
``cost/cost.json``, ``cost/cost-report.md`` and ``cost/cost.csv``; ``format_cost`` is the
terminal summary.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.generators.cost.estimate import (
    CostEstimate,
    CostOptions,
    price_design,
    price_usage,
    price_usage_text,
    what_if,
)
from app.generators.cost.prices import has_prices, regions
from app.generators.cost.report import cost_csv, cost_json, cost_report, format_cost
from app.generators.cost.usage import WhatIf
from app.generators.output import Artifact
from app.model import ValidDesign


def cost_files(valid: ValidDesign) -> Iterator[Artifact]:
    """The design's monthly cost estimate as JSON, Markdown and CSV; where the design's region
    has no price list, a report that says so (the rest of the export still runs)."""
    region = valid.design.settings.region
    if not has_prices(region):
        priced = ", ".join(regions())
        yield Artifact.json(
            "cost/cost.json",
            "cost",
            {
                "region": region,
                "error": f"no prices for region {region}",
                "priced_regions": list(regions()),
            },
        )
        yield Artifact.text(
            "cost/cost-report.md",
            "cost-report",
            (
                f"# Monthly cost estimate: {valid.design.name}\n\nNo estimate: the pricing catalog "
                f"has no confirmed prices for {region} yet (priced regions: {priced}). Price the "
                "design in one of those regions to compare, or add catalog/pricing/"
                f"{region}.yaml with each price's source and date.\n"
            ),
        )
        return
    estimate = price_design(valid)
    yield Artifact.json("cost/cost.json", "cost", cost_json(estimate))
    yield Artifact.text(
        "cost/cost-report.md", "cost-report", cost_report(estimate, valid.design.name)
    )
    yield Artifact.text("cost/cost.csv", "cost-lines", cost_csv(estimate))


__all__ = [
    "CostEstimate",
    "CostOptions",
    "WhatIf",
    "cost_files",
    "format_cost",
    "price_design",
    "price_usage",
    "price_usage_text",
    "what_if",
]
