"""Usage lines from a design's traffic flow, with figures worked out by hand."""

from __future__ import annotations

import pytest

from app.generators.cost.estimate import CostOptions, price_design, what_if
from app.generators.cost.usage import WhatIf, design_usage, functions
from tests.generators.cost.factories import command, context, design


def lines_of(valid, service: str, usage_type: str, what: WhatIf | None = None):
    return [
        line
        for line in design_usage(valid, what)
        if line.service == service and line.usage_type == usage_type
    ]


def single_api(**load) -> object:
    return design(
        context(
            commands=[
                command(
                    "Place order",
                    route="POST /orders",
                    workload={
                        "requests_per_month": 3_000_000,
                        "duration_ms": 120,
                        "memory_mb": 1536,
                        **load,
                    },
                )
            ]
        ),
        architecture="x86_64",
    )


def test_function_requests_and_duration_follow_the_traffic() -> None:
    valid = single_api()
    [requests] = lines_of(valid, "lambda", "requests")
    [duration] = lines_of(valid, "lambda", "duration-x86_64")
    assert (requests.quantity, requests.function, requests.context) == (3e6, "PlaceOrder", "Sales")
    # 3 M x 120 ms x 1536 MB, priced: 3e6 x 0.12 s x 1.5 GB = 540,000 GB-s
    assert (duration.quantity, duration.duration_ms, duration.memory_mb) == (3e6, 120, 1536)
    estimate = price_design(valid, CostOptions(free_tier=False, recommendations=False))
    lambda_lines = [p for p in estimate.lines if p.line.service == "lambda"]
    assert sum(p.billable for p in lambda_lines if p.usage_type.unit == "GB-seconds") == (
        pytest.approx(540_000)
    )
    # 540,000 x 0.0000166667 + 3 x 0.20
    assert sum(p.usd for p in lambda_lines) == pytest.approx(540_000 * 0.0000166667 + 0.6)


def test_api_requests_are_metered_by_payload_and_type() -> None:
    valid = single_api(payload_kb=600)
    [http] = lines_of(valid, "api_gateway", "http-requests")
    assert (http.quantity, http.size_kb, http.resource) == (3e6, 600, "POST /orders")
    [rest] = lines_of(valid, "api_gateway", "rest-requests", WhatIf(api_type="rest"))
    assert rest.quantity == 3e6
    [out] = lines_of(valid, "data_transfer", "out-to-internet")
    assert (out.quantity, out.unit) == (3e6 * 600, "KB")


def queue_design(batch: int = 10, size_kb: float = 2.0) -> object:
    return design(
        context(
            commands=[
                command(
                    "Place order",
                    route="POST /orders",
                    emits=["Order placed"],
                    workload={"requests_per_month": 1_000_000},
                ),
                command("Reserve stock"),
            ],
            events=[{"name": "Order placed", "size_kb": size_kb}],
            policies=[
                {
                    "name": "Reserve when placed",
                    "event": "Order placed",
                    "command": "Reserve stock",
                    "batch_size": batch,
                }
            ],
        )
    )


def test_queue_requests_send_receive_delete_by_batch() -> None:
    lines = lines_of(queue_design(batch=5), "sqs", "standard-requests")
    by_label = {line.label: line for line in lines}
    # 1 M sends; batches of 5: 200,000 receives of 10 KB and 200,000 deletes
    assert by_label["send"].quantity == 1e6
    assert by_label["receive"].quantity == pytest.approx(200_000)
    assert by_label["receive"].size_kb == pytest.approx(10)
    assert by_label["delete"].quantity == pytest.approx(200_000)
    [fn] = [f for f in functions(queue_design(batch=5), WhatIf()) if f.code == "ReserveStock"]
    assert fn.invocations == pytest.approx(200_000)
    # ReceiveMessage takes at most 10 messages: a batch of 100 still needs 10 receives
    lines = lines_of(queue_design(batch=100), "sqs", "standard-requests")
    assert {ln.label: ln.quantity for ln in lines}["receive"] == pytest.approx(100_000)


def test_events_are_published_in_64_kb_chunks() -> None:
    valid = queue_design(size_kb=100)
    [events] = lines_of(valid, "eventbridge", "custom-events")
    assert (events.quantity, events.size_kb) == (1e6, 100)
    estimate = price_design(valid, CostOptions(free_tier=False, recommendations=False))
    [priced] = [p for p in estimate.lines if p.line.usage_type == "custom-events"]
    assert priced.billable == 2e6
    assert priced.usd == pytest.approx(2.0)


def workflow_design(kind: str | None = "standard", failure_rate: float = 0.0) -> object:
    workflow = {
        "name": "Fulfil",
        "route": "POST /fulfil",
        "workload": {"requests_per_month": 100_000},
        "steps": [
            {
                "name": "Reserve",
                "task": "Reserve stock",
                "failure_rate": failure_rate,
                "retry": {"max_attempts": 1},
            },
            {"name": "Charge", "task": "Charge payment"},
            {"name": "Done", "succeed": {}},
        ],
    }
    if kind:
        workflow["type"] = kind
    return design(
        context(
            commands=[
                command("Reserve stock", workload={"duration_ms": 200, "memory_mb": 512}),
                command("Charge payment", workload={"duration_ms": 300, "memory_mb": 512}),
            ],
            workflows=[workflow],
        )
    )


def test_standard_transitions_count_every_step_and_retry() -> None:
    # 100,000 executions x 3 steps = 300,000 transitions
    [line] = lines_of(workflow_design(), "step_functions", "standard-transitions")
    assert line.quantity == pytest.approx(300_000)
    # 10% of Reserve attempts fail and retry once: 10,000 more transitions; 1% still fail
    # (0.1 x 0.1) and stop there: Charge and Done see 99,000 each
    [line] = lines_of(workflow_design(failure_rate=0.1), "step_functions", "standard-transitions")
    assert line.quantity == pytest.approx(110_000 + 2 * 99_000)


def test_express_requests_and_duration() -> None:
    valid = workflow_design("express")
    [requests] = lines_of(valid, "step_functions", "express-requests")
    [duration] = lines_of(valid, "step_functions", "express-duration")
    assert requests.quantity == 100_000
    # 200 ms + 300 ms of tasks per execution, billed at 64 MB
    assert (duration.quantity, duration.duration_ms, duration.memory_mb) == (100_000, 500, 64)


def table_design() -> object:
    return design(
        context(
            aggregates=[
                {
                    "name": "Order",
                    "item_size_kb": 1.5,
                    "item_count": 1_000_000,
                    "attributes": {"orderId": "string", "customerId": "string"},
                }
            ],
            access_patterns=[
                {"name": "Order by id", "entity": "Order", "by": ["orderId"]},
                {"name": "Orders of customer", "entity": "Order", "by": ["customerId"]},
            ],
            commands=[
                command(
                    "Place order", aggregate="Order", workload={"requests_per_month": 1_000_000}
                )
            ],
            read_models=[
                {
                    "name": "Order details",
                    "route": "GET /orders/{orderId}",
                    "fields": {"orderId": "string"},
                    "access_patterns": ["Order by id"],
                    "workload": {"requests_per_month": 2_000_000},
                }
            ],
        )
    )


def test_table_request_units_with_index_write_amplification() -> None:
    valid = table_design()
    [reads] = lines_of(valid, "dynamodb", "read-request-units")
    # GetItem of 1.5 KB, eventually consistent: one 4 KB unit, half a unit each
    assert (reads.quantity, reads.factor) == (2e6, 0.5)
    [writes] = lines_of(valid, "dynamodb", "write-request-units")
    # 1.5 KB = 2 WRU, written to the table and to the GSI the plan gives "Orders of customer"
    assert (writes.quantity, writes.factor) == (1e6, 4.0)
    estimate = price_design(valid, CostOptions(free_tier=False, recommendations=False))
    units = {p.line.usage_type: p.billable for p in estimate.lines if p.line.service == "dynamodb"}
    assert units["read-request-units"] == pytest.approx(1e6)
    assert units["write-request-units"] == pytest.approx(4e6)
    # storage: 1 M items x (1.5 + 0.1) KB x 2 copies = 3.2 M KB = 3.0518 GB
    assert units["storage"] == pytest.approx(3.2e6 / 1024**2)


def test_alarms_and_dashboards_the_export_creates() -> None:
    valid = queue_design()
    alarms = lines_of(valid, "cloudwatch", "alarm-metrics-standard")
    # 2 functions x (2 + 1 + 1) alarm metrics + 1 DLQ alarm
    assert sum(line.quantity for line in alarms) == 9
    assert len(lines_of(valid, "cloudwatch", "dashboards")) == 1


def test_what_if_traffic_architecture_and_memory() -> None:
    valid = single_api(cpu_bound=1.0)
    base = what_if(valid, WhatIf(), free_tier=False)
    double = what_if(valid, WhatIf(traffic=2), free_tier=False)
    assert double.priced.by_service["lambda"] == pytest.approx(2 * base.priced.by_service["lambda"])
    arm = lines_of(valid, "lambda", "duration-arm64", WhatIf(architecture="arm64"))
    assert arm and not lines_of(valid, "lambda", "duration-x86_64", WhatIf(architecture="arm64"))
    # fully CPU-bound below 1,769 MB: half the memory, twice the duration
    [half] = lines_of(valid, "lambda", "duration-x86_64", WhatIf(memory={"PlaceOrder": 768}))
    assert (half.memory_mb, half.duration_ms) == (768, pytest.approx(240))


def test_estimate_totals_projections_and_budget() -> None:
    estimate = price_design(queue_design())
    assert [p.traffic for p in estimate.projections] == [1, 2, 5]
    assert estimate.projections[0].total == estimate.total
    assert estimate.projections[2].total > estimate.projections[1].total > estimate.total
    assert estimate.budget_threshold == pytest.approx(estimate.total * 1.2)
    assert sum(estimate.priced.by_service.values()) == pytest.approx(estimate.total)
    assert sum(estimate.priced.by_function.values()) <= estimate.total + 1e-9
    assert set(estimate.priced.by_context) == {"Sales", "(shared)"}
    assert sum(estimate.priced.by_context.values()) == pytest.approx(estimate.total)
    assert estimate.total_without_free_tier > estimate.total


def test_designs_get_only_the_always_free_tier() -> None:
    estimate = price_design(single_api(), CostOptions(recommendations=False, projections=()))
    api = [p for p in estimate.lines if p.line.service == "api_gateway"]
    lam = [p for p in estimate.lines if p.line.usage_type == "requests"]
    # API Gateway's 1 M free requests last 12 months: not taken off; Lambda's are always free
    assert sum(p.free for p in api) == 0
    assert sum(p.free for p in lam) == pytest.approx(1e6)
