"""Small designs for diff tests: a base with one element of every kind, and edits of it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from app.model import ValidDesign, parse_design, validate


def base() -> dict[str, Any]:
    """Two contexts; Ordering holds one element of every kind, Shipping a command and event."""
    return {
        "name": "Shop",
        "settings": {"region": "us-east-1", "api": {"type": "http", "auth": "jwt"}},
        "contexts": [
            {
                "name": "Ordering",
                "actors": [{"name": "Customer"}],
                "aggregates": [
                    {
                        "name": "Order",
                        "identifier": "orderId",
                        "attributes": {
                            "orderId": "string",
                            "customerId": "string",
                            "createdAt": "datetime",
                        },
                    }
                ],
                "commands": [
                    {
                        "name": "Place order",
                        "actors": ["Customer"],
                        "route": "POST /orders",
                        "aggregate": "Order",
                        "input": {"customerId": "string"},
                        "emits": ["Order placed"],
                        "workload": {"requests_per_month": 100000},
                    },
                    {"name": "Charge payment", "aggregate": "Order"},
                    {"name": "Refund payment"},
                ],
                "events": [{"name": "Order placed", "fields": {"orderId": "string"}}],
                "policies": [
                    {
                        "name": "Charge when placed",
                        "event": "Order placed",
                        "command": "Charge payment",
                    }
                ],
                "read_models": [
                    {
                        "name": "Orders of customer",
                        "route": "GET /customers/{customerId}/orders",
                        "access_patterns": ["Orders by customer"],
                        "workload": {"requests_per_month": 50000},
                    }
                ],
                "access_patterns": [
                    {
                        "name": "Orders by customer",
                        "entity": "Order",
                        "by": ["customerId"],
                        "sort": "createdAt",
                    }
                ],
                "external_systems": [{"name": "Payment provider", "called_by": ["Charge payment"]}],
                "calls": [{"caller": "Place order", "callee": "Charge payment"}],
                "schedules": [
                    {
                        "name": "Nightly report",
                        "expression": "rate(1 day)",
                        "command": "Refund payment",
                    }
                ],
                "sources": [
                    {"name": "Order uploads", "kind": "bucket", "consumer": "Refund payment"}
                ],
                "workflows": [
                    {
                        "name": "Fulfil order",
                        "steps": [
                            {
                                "name": "Charge",
                                "task": "Charge payment",
                                "compensate": "Refund payment",
                            },
                            {"name": "Pause", "wait": {"seconds": 60}},
                            {"name": "Done", "succeed": {}},
                        ],
                    }
                ],
                "hotspots": [{"name": "Who refunds?", "about": "Refund payment"}],
            },
            {
                "name": "Shipping",
                "commands": [{"name": "Ship order", "emits": ["Order shipped"]}],
                "events": [{"name": "Order shipped"}],
            },
        ],
    }


def load(data: dict[str, Any]) -> ValidDesign:
    return validate(parse_design(copy.deepcopy(data)))


def edited(change: Callable[[dict[str, Any]], object]) -> ValidDesign:
    """The base design after ``change`` edited its data in place."""
    data = base()
    change(data)
    return load(data)


def ordering(data: dict[str, Any]) -> dict[str, Any]:
    return data["contexts"][0]


def shipping(data: dict[str, Any]) -> dict[str, Any]:
    return data["contexts"][1]


def named(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(item for item in items if item.get("name") == name)
