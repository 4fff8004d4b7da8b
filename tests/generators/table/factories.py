"""Small builders for table-planner test designs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.model import ValidDesign, load_design

HERE = Path(__file__).parent
DESIGNS = HERE / "designs"
STARTERS = HERE.parent.parent.parent / "catalog" / "starters"


def aggregate(name: str, attributes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "attributes": attributes, **extra}


def pattern(name: str, entity: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "entity": entity, **fields}


def design_data(
    aggregates: list[dict[str, Any]], patterns: list[dict[str, Any]], name: str = "Test shop"
) -> dict[str, Any]:
    return {
        "format": 1,
        "name": name,
        "contexts": [{"name": "Main", "aggregates": aggregates, "access_patterns": patterns}],
    }


def design(
    aggregates: list[dict[str, Any]], patterns: list[dict[str, Any]], name: str = "Test shop"
) -> ValidDesign:
    return load_design(yaml.safe_dump(design_data(aggregates, patterns, name), sort_keys=False))


def load(path: Path) -> ValidDesign:
    return load_design(path.read_text(encoding="utf-8"))


def shop(extra_patterns: list[dict[str, Any]] | None = None) -> ValidDesign:
    """Customers with orders and order lines, products, and a handful of patterns."""
    return design(
        [
            aggregate(
                "Customer",
                {"customerId": "string", "email": "string", "tier": "enum(FREE, GOLD)"},
                relationships=[{"entity": "Order"}],
            ),
            aggregate(
                "Order",
                {
                    "orderId": "string",
                    "customerId": "string",
                    "status": "enum(OPEN, PAID, SHIPPED)",
                    "total": "decimal",
                    "createdAt": "datetime",
                    "couponCode": "string?",
                    "version": "integer",
                },
                relationships=[{"entity": "Order line"}],
            ),
            aggregate(
                "Order line",
                {"lineId": "string", "orderId": "string", "sku": "string", "quantity": "integer"},
                identifier="lineId",
            ),
        ],
        [
            pattern("Customer by id", "Customer", by=["customerId"]),
            pattern(
                "Orders of customer",
                "Order",
                by=["customerId"],
                sort="createdAt",
                order="desc",
                range="between",
            ),
            pattern("Order with lines", "Order", by=["orderId"], include=["Order line"]),
            pattern(
                "Open orders of customer",
                "Order",
                by=["customerId"],
                filters={"status": "OPEN"},
                sort="createdAt",
            ),
            pattern("Orders with coupon", "Order", by=["customerId"], exists=["couponCode"]),
            pattern("Place order", "Order", action="put", condition="create-only"),
            pattern("Pay order", "Order", action="update", condition="version"),
            *(extra_patterns or []),
        ],
    )
