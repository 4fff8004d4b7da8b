"""Designs for the diagram, OpenAPI and event-schema tests: starters, the hostile corpus, the large
design, and a small factory for designs built in a test."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from typing import Any

from app.model import ValidDesign, load_design
from app.model.stormfile import dump_yaml

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
STARTERS = sorted((ROOT / "catalog" / "starters").glob("*.storm.yaml"))
HOSTILE = HERE / "designs" / "hostile.storm.yaml"
CASES = [*STARTERS, HOSTILE]
"""Every design with goldens: the starters and the hostile corpus."""


def case_id(path: Path) -> str:
    return path.name.removesuffix(".storm.yaml")


@cache
def load(path: Path) -> ValidDesign:
    return load_design(path.read_text(encoding="utf-8"))


@cache
def large() -> ValidDesign:
    """The large design (``bench/large_design.py`` when present, else the bench's stand-in)."""
    spec = importlib.util.spec_from_file_location(
        "bench_diagrams", ROOT / "bench" / "bench_diagrams.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_diagrams", module)
    spec.loader.exec_module(module)
    return load_design(module.large_design_text(7))


def design(
    contexts: list[dict[str, Any]], api: dict[str, str] | None = None, name: str = "Shop"
) -> ValidDesign:
    """A design from context mappings written in the storm file's own form."""
    data: dict[str, Any] = {"format": 1, "name": name, "contexts": contexts}
    if api is not None:
        data["settings"] = {"api": api}
    return load_design(dump_yaml(data))


def ordering(**extra: Any) -> dict[str, Any]:
    """A small Ordering context: place an order, react to it, read orders of a customer."""
    context: dict[str, Any] = {
        "name": "Ordering",
        "actors": [{"name": "Customer"}],
        "aggregates": [
            {
                "name": "Order",
                "attributes": {
                    "orderId": "string",
                    "customerId": "string",
                    "status": "enum(OPEN, PAID)",
                    "total": "decimal",
                    "placedAt": "datetime",
                    "tags": "list<string>",
                    "extras": "map<integer>",
                    "note": "string?",
                    "address": {"type": "object", "fields": {"street": "string", "zip": "string?"}},
                },
            }
        ],
        "commands": [
            {
                "name": "Place order",
                "actors": ["Customer"],
                "route": "POST /orders",
                "aggregate": "Order",
                "emits": ["Order placed"],
                "input": {
                    "customerId": "string",
                    "total": "decimal",
                    "day": "date",
                    "photo": "binary?",
                    "count": {"type": "integer", "example": 3},
                },
            },
            {
                "name": "Cancel order",
                "actors": ["Customer"],
                "aggregate": "Order",
                "route": "DELETE /orders/{orderId}",
                "input": {"orderId": "string"},
                "emits": ["Order cancelled"],
            },
            {"name": "Ship order", "emits": ["Order shipped"]},
        ],
        "events": [
            {
                "name": "Order placed",
                "fields": {
                    "orderId": "string",
                    "total": "decimal",
                    "placedAt": "datetime",
                    "lines": "list<string>",
                },
            },
            {"name": "Order cancelled", "fields": {"orderId": "string", "reason": "string?"}},
            {"name": "Order shipped"},
        ],
        "policies": [
            {"name": "Ship when placed", "event": "Order placed", "command": "Ship order"}
        ],
        "read_models": [
            {
                "name": "Orders of customer",
                "route": "GET /customers/{customerId}/orders",
                "actors": ["Customer"],
                "access_patterns": ["Orders by customer"],
            },
            {
                "name": "Order details",
                "route": "GET /orders/{orderId}",
                "access_patterns": ["Order by id"],
            },
            {
                "name": "Orders by status",
                "route": "GET /orders",
                "access_patterns": ["Orders with status"],
            },
        ],
        "access_patterns": [
            {
                "name": "Orders by customer",
                "entity": "Order",
                "by": ["customerId"],
                "sort": "placedAt",
            },
            {"name": "Order by id", "entity": "Order", "by": ["orderId"]},
            {"name": "Orders with status", "entity": "Order", "by": ["status"]},
        ],
    }
    context.update(extra)
    return context


def billing() -> dict[str, Any]:
    """A Billing context that reacts to Ordering's events and calls a payment provider."""
    return {
        "name": "Billing",
        "commands": [{"name": "Charge", "emits": ["Charged"]}],
        "events": [{"name": "Charged", "fields": {"orderId": "string"}}],
        "policies": [
            {
                "name": "Charge when placed",
                "event": "Order placed",
                "command": "Charge",
                "delivery": "direct",
            }
        ],
        "external_systems": [
            {
                "name": "Payment provider",
                "called_by": ["Charge"],
                "webhook": {"route": "POST /hooks/payments", "emits": ["Charged"]},
            }
        ],
        "schedules": [{"name": "Nightly charge", "expression": "rate(1 day)", "command": "Charge"}],
        "hotspots": [{"name": "Refunds?", "about": "Charge"}],
    }
