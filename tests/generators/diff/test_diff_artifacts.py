"""Artifact sections: OpenAPI operations, table plan, state machines, SAM template and the
cost delta."""

from __future__ import annotations

from typing import Any

from app.generators.diff import ArtifactDiff, diff_designs
from tests.generators.diff.factories import base, edited, load, named, ordering

BASE = load(base())


def section(change: Any, artifact: str) -> ArtifactDiff:
    sections = {a.artifact: a for a in diff_designs(BASE, edited(change)).artifacts}
    return sections[artifact]


def test_sections_come_in_a_fixed_order_and_say_unchanged() -> None:
    diff = diff_designs(BASE, load(base()))
    assert [(a.artifact, a.lines, a.unavailable) for a in diff.artifacts] == [
        ("openapi", (), None),
        ("table", (), None),
        ("workflows", (), None),
        ("template", (), None),
        ("cost", (), None),
    ]


def test_openapi_operations_added_removed_and_changed() -> None:
    def change(data: dict[str, Any]) -> None:
        named(ordering(data)["commands"], "Place order")["route"] = "POST /v2/orders"
        named(ordering(data)["read_models"], "Orders of customer")["fields"] = {"total": "decimal"}

    found = section(change, "openapi")
    assert found.lines[:3] == (
        "added the operation POST /v2/orders (placeOrder)",
        "removed the operation POST /orders (placeOrder)",
        "the schema OrdersOfCustomer changed",
    )
    assert found.figures == {"operations": [2, 2]}


def test_table_plan_gains_an_index() -> None:
    def change(data: dict[str, Any]) -> None:
        ordering(data)["access_patterns"].append(
            {"name": "Orders by time", "entity": "Order", "sort": "createdAt", "range": "between"}
        )

    found = section(change, "table")
    assert found.lines == (
        "the table now has 1 global secondary index (was 0)",
        "Order is now keyed in the index GSI1 as ORDER / ORDER#{createdAt}#{orderId}",
    )
    assert found.figures["gsis"] == [0, 1]


def test_state_machine_gains_states() -> None:
    def change(data: dict[str, Any]) -> None:
        steps = named(ordering(data)["workflows"], "Fulfil order")["steps"]
        steps.insert(1, {"name": "Approve", "approval": {"approver": "Customer"}})

    found = section(change, "workflows")
    assert found.lines == ("the state machine FulfilOrder now has 7 states (was 4)",)


def test_state_machine_type_change_names_the_reason() -> None:
    def change(data: dict[str, Any]) -> None:
        named(ordering(data)["workflows"], "Fulfil order")["type"] = "express"

    found = section(change, "workflows")
    assert len(found.lines) == 1
    assert found.lines[0].startswith(
        "the state machine FulfilOrder changed from STANDARD to EXPRESS: Express, as the design "
        "sets (type: express)"
    )


def test_cost_delta_with_its_services() -> None:
    def change(data: dict[str, Any]) -> None:
        named(ordering(data)["commands"], "Charge payment")["workload"] = {
            "requests_per_month": 5_000_000
        }

    found = section(change, "cost")
    # Pinned to the dated us-east-1 price list in catalog/pricing/.
    assert found.lines == (
        "the monthly cost went from $1.80 to $19.56 (+$17.76, +986.7%)",
        "Amazon CloudWatch: $1.10 → $1.86 (+$0.76)",
        "Amazon DynamoDB: $0.20 → $3.32 (+$3.12)",
        "AWS Lambda: $0.00 → $0.85 (+$0.85)",
        "AWS X-Ray: $0.25 → $13.27 (+$13.02)",
    )
    assert found.figures == {"currency": "USD", "monthly": [1.8, 19.56], "delta": 17.76}


def test_cost_going_down_reads_as_a_saving() -> None:
    def change(data: dict[str, Any]) -> None:
        named(ordering(data)["commands"], "Place order")["workload"] = {"requests_per_month": 10}

    found = section(change, "cost")
    assert found.lines[0].startswith("the monthly cost went from $1.80 to $")
    assert "(-$" in found.lines[0]


def test_cost_says_plainly_when_a_side_has_no_prices() -> None:
    found = section(lambda d: d["settings"].update(region="eu-central-1"), "cost")
    assert found.lines == ()
    assert found.unavailable == (
        "the pricing catalog has no prices for eu-central-1, the new version's region"
    )
