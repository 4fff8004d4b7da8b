"""The estimate as files and terminal text."""

from __future__ import annotations

import csv
import io
import json

import pytest

from app.generators.cost import cost_files, format_cost, price_design, price_usage
from app.generators.cost.report import CSV_COLUMNS
from tests.generators.cost.factories import command, context, design


def sample():
    return design(
        context(
            commands=[
                command(
                    "Place order",
                    route="POST /orders",
                    workload={"requests_per_month": 20_000_000, "memory_mb": 1024},
                )
            ]
        ),
        api="rest",
        architecture="x86_64",
    )


def test_cost_files_agree_with_each_other() -> None:
    files = {a.path: a.content.decode() for a in cost_files(sample())}
    assert set(files) == {"cost/cost.json", "cost/cost-report.md", "cost/cost.csv"}
    data = json.loads(files["cost/cost.json"])
    rows = list(csv.DictReader(io.StringIO(files["cost/cost.csv"])))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sum(float(r["monthly_usd"]) for r in rows) == pytest.approx(data["total_usd"], abs=0.01)
    assert data["budget_alert_threshold_usd"] == pytest.approx(data["total_usd"] * 1.2, abs=1e-3)
    assert [p["traffic"] for p in data["projections"]] == [1, 2, 5]
    assert {r["id"] for r in data["recommendations"]} >= {"arm64", "http-api"}
    report = files["cost/cost-report.md"]
    for heading in (
        "## Per service",
        "## Per bounded context",
        "## Per function",
        "## Projections",
        "## Recommendations",
        "## Lines",
        "## Prices",
    ):
        assert heading in report
    assert f"${data['total_usd']:,.2f} a month" in report


def test_format_cost_for_the_terminal() -> None:
    estimate = price_design(sample())
    text = format_cost(estimate)
    assert text.startswith("Monthly cost in us-east-1 (free tier on, prices as of ")
    assert f"${estimate.total:,.2f}" in text
    assert "Save $" in text and "Budget alert threshold" in text
    usage = price_usage(
        {
            "region": "us-east-1",
            "free_tier": False,
            "lines": [
                {
                    "service": "sqs",
                    "usage_type": "standard-requests",
                    "quantity": 1e6,
                    "unit": "requests",
                }
            ],
        }
    )
    assert format_cost(usage) == (
        "Monthly cost in us-east-1 (free tier off, prices as of 2026-11-28): $0.40\n"
        "  sqs         $0.40\n"
    )
