"""The studio's what-if control: a design's estimate recomputed under changed assumptions.

``what_if_estimate(valid, change)`` answers one position of the control: the estimate under
``change`` beside the design's own, with the difference in total and per service. It reuses
the design's pricing facts (``usage_basis``: traffic flow, table plan, observability plan,
workflow types), which are computed once per validated design; a traffic multiplier scales the
flow instead of propagating it again (the flow is linear in what enters the system), so only
the usage lines are made and priced again.

``parse_what_if(data)`` reads the control's JSON (the keys of ``WhatIf``, see ``WHAT_IF_KEYS``)
and locates every wrong value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.generators.cost.estimate import CostEstimate, CostOptions, price_design
from app.generators.cost.usage import WhatIf
from app.model import ValidDesign
from app.model.errors import DesignError, Problem

MAX_TRAFFIC = 1000.0
"""Largest traffic multiplier the control offers (and the smallest is its inverse)."""
MEMORY_RANGE = (128, 10_240)
"""Lambda's memory limits, in MB."""
WHAT_IF_KEYS = {
    "traffic": "multiplier of every entry into the system (requests, uploads, stream records, "
    "schedule runs), 0.001 to 1000",
    "architecture": "arm64 or x86_64, for every function",
    "api_type": "http or rest",
    "memory_mb": "memory of every function, 128 to 10240 MB",
    "memory": "memory per function code",
    "step_functions": "standard or express, for every workflow that can run as either",
    "workflow_type": "standard, express or split per workflow code",
    "batch_size": "messages per batch for every queue-fed function, 1 to 10000",
    "provisioned": "provisioned concurrency per function code",
    "table_capacity": "on-demand or provisioned",
}
"""The control's keys and what each takes (all optional)."""


@dataclass(frozen=True)
class WhatIfResult:
    """One what-if beside the design's own estimate."""

    change: WhatIf
    estimate: CostEstimate
    base_total: float
    base_by_service: dict[str, float]

    @property
    def total(self) -> float:
        return self.estimate.total

    @property
    def delta(self) -> float:
        """Monthly difference against the design as it is (negative: a saving)."""
        return self.estimate.total - self.base_total

    @property
    def delta_by_service(self) -> dict[str, float]:
        services = sorted({*self.base_by_service, *self.estimate.priced.by_service})
        return {
            s: self.estimate.priced.by_service.get(s, 0.0) - self.base_by_service.get(s, 0.0)
            for s in services
        }

    def to_json(self) -> dict[str, Any]:
        """What the studio shows: totals, differences and the breakdowns, rounded to cents."""
        priced = self.estimate.priced
        return {
            "region": self.estimate.region,
            "currency": self.estimate.currency,
            "free_tier": self.estimate.free_tier,
            "total": round(self.total, 2),
            "base_total": round(self.base_total, 2),
            "delta": round(self.delta, 2),
            "delta_percent": round(100 * self.delta / self.base_total, 1)
            if self.base_total
            else None,
            "by_service": _cents(priced.by_service),
            "delta_by_service": _cents(self.delta_by_service),
            "by_context": _cents(priced.by_context),
            "by_function": _cents(priced.by_function),
            "budget_threshold": round(self.estimate.budget_threshold, 2),
        }


def _cents(values: Mapping[str, float]) -> dict[str, float]:
    return {key: round(value, 2) for key, value in values.items()}


def base_estimate(
    valid: ValidDesign, free_tier: bool = True, region: str | None = None
) -> CostEstimate:
    """The design's own estimate, lines and totals only (what a what-if compares with)."""
    return price_design(valid, CostOptions(free_tier, WhatIf(), (), False, region))


def what_if_estimate(
    valid: ValidDesign,
    change: WhatIf,
    *,
    free_tier: bool = True,
    region: str | None = None,
    base: CostEstimate | None = None,
) -> WhatIfResult:
    """The estimate under ``change`` (lines and totals; no projections, no recommendations)
    beside the design's own: ``base`` when the caller kept it (for instance the estimate the
    studio already shows; it must be priced with the same free tier and region), else priced
    here. DesignError when the change is one the design could not make (an HTTP API where
    the design uses API keys, which need a REST API)."""
    if change.api_type == "http" and valid.design.settings.api.auth == "api-key":
        raise DesignError.one(
            "api_type",
            "API keys and usage plans need a REST API; the design uses API keys, so its API "
            "cannot be an HTTP API",
        )
    estimate = price_design(valid, CostOptions(free_tier, change, (), False, region))
    if base is None:
        base = estimate if change == WhatIf() else base_estimate(valid, free_tier, region)
    return WhatIfResult(change, estimate, base.total, dict(base.priced.by_service))


def parse_what_if(data: Mapping[str, Any]) -> WhatIf:
    """A ``WhatIf`` from the control's JSON; DesignError locating every wrong value."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(key, message))

    for key in data:
        if key not in WHAT_IF_KEYS:
            bad(key, f"unknown what-if; known: {', '.join(WHAT_IF_KEYS)}")
    values: dict[str, Any] = {}
    traffic = data.get("traffic", 1.0)
    if _number(traffic) and 1 / MAX_TRAFFIC <= traffic <= MAX_TRAFFIC:
        values["traffic"] = float(traffic)
    else:
        bad("traffic", f"a number from {1 / MAX_TRAFFIC:g} to {MAX_TRAFFIC:g}")
    for key, allowed in (
        ("architecture", ("arm64", "x86_64")),
        ("api_type", ("http", "rest")),
        ("step_functions", ("standard", "express")),
        ("table_capacity", ("on-demand", "provisioned")),
    ):
        value = data.get(key)
        if value is None:
            continue
        if value in allowed:
            values[key] = value
        else:
            bad(key, f"one of {', '.join(allowed)}")
    if data.get("memory_mb") is not None:
        if _memory(data["memory_mb"]):
            values["memory_mb"] = int(data["memory_mb"])
        else:
            bad("memory_mb", f"a whole number of MB from {MEMORY_RANGE[0]} to {MEMORY_RANGE[1]}")
    if data.get("batch_size") is not None:
        size = data["batch_size"]
        if _whole(size) and 1 <= size <= 10_000:
            values["batch_size"] = int(size)
        else:
            bad("batch_size", "a whole number from 1 to 10000")
    for key, ok, expected in (
        ("memory", _memory, f"a whole number of MB from {MEMORY_RANGE[0]} to {MEMORY_RANGE[1]}"),
        ("provisioned", lambda v: _whole(v) and 0 <= v <= 10_000, "a whole number, 0 to 10000"),
        (
            "workflow_type",
            lambda v: v in ("standard", "express", "split"),
            "standard, express or split",
        ),
    ):
        per_code = data.get(key)
        if per_code is None:
            continue
        if not isinstance(per_code, Mapping):
            bad(key, "an object keyed by code")
            continue
        for code, value in per_code.items():
            if not ok(value):
                bad(f"{key}.{code}", expected)
        values[key] = {
            str(code): (int(value) if key != "workflow_type" else value)
            for code, value in per_code.items()
            if ok(value)
        }
    if problems:
        raise DesignError(problems)
    return WhatIf(**values)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value: object) -> bool:
    return _number(value) and float(value).is_integer()  # type: ignore[arg-type]


def _memory(value: object) -> bool:
    return _whole(value) and MEMORY_RANGE[0] <= value <= MEMORY_RANGE[1]  # type: ignore[operator]


__all__ = [
    "WHAT_IF_KEYS",
    "WhatIfResult",
    "base_estimate",
    "parse_what_if",
    "what_if_estimate",
]
