"""Recommendations: each priced as a what-if, never breaking a latency-sensitive function's p99."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.generators.cost.basis import usage_basis
from app.generators.cost.estimate import CostOptions, design_priced, price_design
from app.generators.cost.recommend import recommended_what_if, right_size
from app.generators.cost.usage import WhatIf, function_use, functions
from app.model import load_design
from tests.generators.cost.factories import command, context, design

STARTERS = Path(__file__).parents[3] / "catalog" / "starters"
NAIVE = WhatIf(architecture="x86_64", api_type="rest", memory_mb=1024, batch_size=1)
"""The naive configuration: x86, REST API, 1,024 MB everywhere, no batching."""


def ids(valid, base: WhatIf | None = None) -> list[str]:
    options = CostOptions(what_if=base or WhatIf())
    return [r.id for r in price_design(valid, options).recommendations]


def api_design(**settings) -> object:
    return design(
        context(
            commands=[
                command(
                    "Place order",
                    route="POST /orders",
                    workload={
                        "requests_per_month": 20_000_000,
                        "duration_ms": 100,
                        "memory_mb": 512,
                    },
                )
            ]
        ),
        **settings,
    )


def test_arm64_and_http_recommended_with_their_saving() -> None:
    valid = api_design(api="rest", architecture="x86_64")
    estimate = price_design(valid)
    found = {r.id: r for r in estimate.recommendations}
    assert {"arm64", "http-api"} <= set(found)
    # 20 M REST requests at $3.50/M against HTTP at $1.00/M (a design gets no 12-month free
    # tier): 20 x 2.50
    assert found["http-api"].saving == pytest.approx(20 * 2.5, rel=1e-6)
    # 20 M x 0.1 s x 0.5 GB = 1 M GB-s, 600,000 after the free tier:
    # (0.0000166667 - 0.0000133334) x 600,000
    assert found["arm64"].saving == pytest.approx(600_000 * (0.0000166667 - 0.0000133334), rel=0.01)


def test_no_http_api_where_api_keys_need_rest() -> None:
    assert "http-api" not in ids(api_design(api="rest", auth="api-key"))


def test_right_sizing_keeps_latency_budget() -> None:
    valid = design(
        context(
            commands=[
                command(
                    "Fast",
                    route="POST /fast",
                    workload={
                        "requests_per_month": 1e6,
                        "duration_ms": 100,
                        "p99_ms": 300,
                        "memory_mb": 1024,
                        "latency_sensitive": True,
                        "cpu_bound": 0.8,
                    },
                ),
                command(
                    "Batchy",
                    route="POST /batchy",
                    workload={
                        "requests_per_month": 1e6,
                        "duration_ms": 100,
                        "memory_mb": 1024,
                        "cpu_bound": 0.1,
                    },
                ),
            ]
        )
    )
    fast, batchy = (function_use(f, WhatIf()) for f in usage_basis(valid).functions)
    # latency-sensitive and CPU-bound: going below 1,024 MB would break its p99 of 300 ms
    assert right_size(fast) >= 1024
    # mostly waiting: less memory barely slows it, so the cheapest size is small
    assert right_size(batchy) == 256


def test_provisioned_concurrency_only_where_latency_sensitive() -> None:
    valid = design(
        context(
            commands=[
                command(
                    "Nightly",
                    route="POST /nightly",
                    workload={
                        "requests_per_month": 10_000,
                        "overrides": {"provisioned_concurrency": 2},
                    },
                )
            ]
        )
    )
    assert "provisioned-concurrency" in ids(valid)


def test_sqs_batching_recommended_for_single_message_consumers() -> None:
    valid = design(
        context(
            commands=[
                command(
                    "Place order",
                    route="POST /orders",
                    emits=["Order placed"],
                    workload={"requests_per_month": 5_000_000},
                ),
                command("Reserve stock"),
            ],
            events=[{"name": "Order placed"}],
            policies=[
                {
                    "name": "Reserve",
                    "event": "Order placed",
                    "command": "Reserve stock",
                    "batch_size": 1,
                }
            ],
        )
    )
    assert "sqs-batching" in ids(valid)


def test_express_recommended_for_short_standard_workflows() -> None:
    valid = design(
        context(
            commands=[command("Score", workload={"duration_ms": 50})],
            workflows=[
                {
                    "name": "Check",
                    "type": "standard",
                    "route": "POST /check",
                    "workload": {"requests_per_month": 5_000_000},
                    "steps": [{"name": "Score", "task": "Score"}, {"name": "Done", "succeed": {}}],
                }
            ],
        )
    )
    assert "express:Check" in ids(valid)


def test_order_processing_recommendations_save_a_quarter_of_the_naive_bill() -> None:
    valid = load_design((STARTERS / "order-processing.storm.yaml").read_text(encoding="utf-8"))
    naive = design_priced(valid, NAIVE).total
    recommended = recommended_what_if(valid, NAIVE)
    saved = naive - design_priced(valid, recommended).total
    assert saved >= 0.25 * naive
    for fn in functions(valid, recommended):
        if fn.latency_sensitive:
            assert fn.p99_ms <= fn.designed_p99_ms + 1e-9, fn.code


def approval_design(share: float) -> object:
    return design(
        context(
            actors=[{"name": "Manager"}],
            commands=[command("Score", workload={"duration_ms": 50})],
            workflows=[
                {
                    "name": "Check",
                    "type": "standard",
                    "route": "POST /check",
                    "workload": {"requests_per_month": 2_000_000},
                    "steps": [
                        {"name": "Score", "task": "Score"},
                        {
                            "name": "Big?",
                            "choice": [
                                {"when": "total > 10", "next": "Approve", "probability": share}
                            ],
                            "default": "Done",
                        },
                        {"name": "Approve", "approval": {"approver": "Manager"}},
                        {"name": "Done", "succeed": {}},
                    ],
                }
            ],
        )
    )


def test_express_with_a_standard_child_where_few_executions_wait() -> None:
    assert "express-split:Check" in ids(approval_design(0.05))
    # every execution waits for the manager: nothing to split off
    assert not any(i.startswith("express") for i in ids(approval_design(1.0)))
