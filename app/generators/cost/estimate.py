"""The cost estimate: priced usage with projections, recommendations and a budget threshold.

``price_usage`` prices a usage file; ``price_design`` prices a design's traffic flow;
``what_if`` recomputes a design's estimate under changed choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from app.generators.cost.pricer import (
    HOURS_PER_MONTH,
    Priced,
    PricedLine,
    UsageSums,
    add_sums,
    meter,
    price_lines,
    price_sums,
    price_totals,
)
from app.generators.cost.prices import PriceList, price_list
from app.generators.cost.usage import WhatIf, design_usage
from app.generators.cost.usage_file import UsageFile, read_usage, read_usage_text
from app.model import ValidDesign

PROJECTIONS = (1.0, 2.0, 5.0)
BUDGET_HEADROOM = 0.20
"""The budget alert fires at the projected spend plus 20%."""


@dataclass(frozen=True)
class Projection:
    """The monthly cost at a multiple of the design's traffic."""

    traffic: float
    total: float
    by_service: dict[str, float]


@dataclass(frozen=True)
class Recommendation:
    """A change to the design with its monthly saving at 1× traffic."""

    id: str
    title: str
    detail: str
    saving: float
    what_if: WhatIf = field(default_factory=WhatIf)


@dataclass(frozen=True)
class CostOptions:
    """How to price a design: free tier on or off, what-if changes, what to add."""

    free_tier: bool = True
    what_if: WhatIf = field(default_factory=WhatIf)
    projections: tuple[float, ...] = PROJECTIONS
    recommendations: bool = True
    region: str | None = None
    """Price in another region than the design's (to compare, or where the design's has no
    price list)."""


@dataclass(frozen=True)
class CostEstimate:
    """A monthly cost estimate: priced lines, totals, and (for designs) what comes with them."""

    priced: Priced
    currency: str
    prices_as_of: str
    hours_per_month: float = HOURS_PER_MONTH
    projections: tuple[Projection, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()

    @property
    def total(self) -> float:
        return self.priced.total

    @property
    def total_without_free_tier(self) -> float:
        return self.priced.total_without_free_tier

    @property
    def lines(self) -> tuple[PricedLine, ...]:
        return self.priced.lines

    @property
    def region(self) -> str:
        return self.priced.region

    @property
    def free_tier(self) -> bool:
        return self.priced.free_tier

    @property
    def budget_threshold(self) -> float:
        """Monthly spend above which a budget alert fires: the projected spend plus 20%."""
        return self.total * (1 + BUDGET_HEADROOM)


def price_usage(data: Any) -> CostEstimate:
    """Price a usage file's data (see ``app.generators.cost.usage_file`` for the format)."""
    return price_usage_file(read_usage(data))


def price_usage_text(text: str | bytes) -> CostEstimate:
    """Price a usage file's text (YAML or JSON): what ``stormdraft cost --usage`` calls."""
    return price_usage_file(read_usage_text(text))


def price_usage_file(usage: UsageFile) -> CostEstimate:
    """Price a validated usage file."""
    prices = price_list(usage.region, "region")
    lines = usage.usage_lines()
    priced = price_lines(
        lines, prices, free_tier=usage.free_tier, hours_per_month=usage.hours_per_month
    )
    return CostEstimate(priced, prices.currency, prices.as_of, usage.hours_per_month)


def design_priced(
    valid: ValidDesign,
    what_if: WhatIf,
    free_tier: bool = True,
    region: str | None = None,
    services: frozenset[str] | None = None,
) -> Priced:
    """The totals per service of a design under a what-if (only of ``services``, when given:
    each service is priced on its own, so the others' totals do not change)."""
    prices = price_list(region or valid.design.settings.region)
    return price_totals(
        design_usage(valid, what_if, services), prices, free_tier=free_tier, expiring=False
    )


def scaled_sums(
    valid: ValidDesign, what_if: WhatIf, priced: Priced, prices: PriceList
) -> UsageSums:
    """The billable quantities of a priced design's lines that scale with the traffic."""
    sums = {key: list(value) for key, value in priced.sums.items()}
    unscaled = meter(design_usage(valid, what_if, scaled=False), prices)
    return add_sums(sums, unscaled, priced.free_tier, -1)


def scaled_priced(
    valid: ValidDesign,
    what_if: WhatIf,
    scaled: UsageSums,
    prices: PriceList,
    k: float,
    free_tier: bool,
) -> Priced:
    """The totals per service at ``k`` times the traffic of a design priced under ``what_if``:
    the lines that scale with the traffic (``scaled_sums``) count ``k`` times; only the others
    (alarms, storage, capacity for the peak, traces, provisioned concurrency, workflows whose
    type follows the volume) are made again."""
    sums = {key: [gross * k, eligible * k] for key, (gross, eligible) in scaled.items()}
    change = replace(what_if, traffic=what_if.traffic * k)
    add_sums(sums, meter(design_usage(valid, change, scaled=False), prices), free_tier)
    return price_sums(sums, prices, free_tier=free_tier, expiring=False)


def price_design(valid: ValidDesign, options: CostOptions | None = None) -> CostEstimate:
    """The monthly cost of a design from its traffic flow, with projections and recommendations."""
    from app.generators.cost.recommend import recommendations

    options = options or CostOptions()
    prices = price_list(options.region or valid.design.settings.region)
    lines = design_usage(valid, options.what_if)
    priced = price_lines(lines, prices, free_tier=options.free_tier, expiring=False)
    scaled = (
        scaled_sums(valid, options.what_if, priced, prices)
        if any(k != 1 for k in options.projections)
        else {}
    )
    projections = tuple(
        Projection(k, p.total, p.by_service)
        for k in options.projections
        for p in [
            priced
            if k == 1
            else scaled_priced(valid, options.what_if, scaled, prices, k, options.free_tier)
        ]
    )
    found = (
        recommendations(valid, options.what_if, priced, options.free_tier, prices.region)
        if options.recommendations
        else ()
    )
    return CostEstimate(priced, prices.currency, prices.as_of, HOURS_PER_MONTH, projections, found)


def what_if(
    valid: ValidDesign, change: WhatIf, free_tier: bool = True, region: str | None = None
) -> CostEstimate:
    """Recompute a design's estimate under a what-if, quickly: no projections, no
    recommendations."""
    return price_design(valid, CostOptions(free_tier, change, (), False, region))
