"""The estimate as files and text: ``cost/cost.json``, ``cost/cost-report.md``, ``cost/cost.csv``,
and the terminal summary the CLI prints."""

from __future__ import annotations

import csv
import io
from typing import Any

from app.generators.cost.estimate import CostEstimate
from app.generators.cost.prices import price_list
from app.generators.cost.usage_observability import LOG_COMPRESSION, LOG_KB_PER_INVOCATION
from app.generators.cost.usage_table import TARGET_UTILISATION

ASSUMPTIONS = (
    "A month is 730 hours.",
    "The free tier taken off is the always-free one; the 12-month free tiers (API Gateway, S3) "
    "are left out: they end a year after sign-up.",
    "Data sizes count 1 GB as 1,024 MB.",
    "Traffic comes from the design's traffic flow (model/traffic.json); projections multiply "
    "every traffic-driven quantity; storage, alarms and dashboards stay as they are.",
    "Functions: requests and GB-seconds (duration rounded up to 1 ms) per invocation; a "
    "queue-fed function is invoked once per batch.",
    "Queues: one send per message, one receive and one delete per batch of up to 10; empty "
    "receives of idle long polling are not counted.",
    "Table: request units per access pattern from the table plan (table/), each index holding "
    "a copy of every write; provisioned capacity is sized for the peak at "
    f"{TARGET_UTILISATION:.0%} utilisation.",
    f"Logs: {LOG_KB_PER_INVOCATION} KB per invocation, archived at {LOG_COMPRESSION:.0%} of "
    "their size and kept one month; X-Ray samples 1 request a second and 5% of the rest.",
    "Alarms: per function error rate (two metrics), throttles and duration; per queue DLQ "
    "depth; per stream iterator age. One dashboard per bounded context.",
)


def _usd(value: float) -> float:
    return round(value, 4)


def _qty(value: float) -> float:
    return float(f"{value:.9g}")


def line_rows(estimate: CostEstimate) -> list[dict[str, Any]]:
    """Every priced line as a flat row, in a stable order."""
    rows = [
        {
            "service": p.line.service,
            "usage_type": p.line.usage_type,
            "resource": p.line.resource,
            "context": p.line.context,
            "function": p.line.function,
            "label": p.line.label,
            "usage_quantity": _qty(p.billable),
            "unit": p.usage_type.unit,
            "free_quantity": _qty(p.free),
            "unit_price_usd": float(f"{p.unit_price:.6g}"),
            "monthly_usd": _usd(p.usd),
        }
        for p in estimate.lines
    ]
    return sorted(rows, key=lambda r: (r["service"], r["resource"], r["usage_type"], r["label"]))


def cost_json(estimate: CostEstimate) -> dict[str, Any]:
    """The machine-readable estimate."""
    return {
        "region": estimate.region,
        "currency": estimate.currency,
        "prices_as_of": estimate.prices_as_of,
        "hours_per_month": estimate.hours_per_month,
        "free_tier": estimate.free_tier,
        "total_usd": _usd(estimate.total),
        "total_without_free_tier_usd": _usd(estimate.total_without_free_tier),
        "budget_alert_threshold_usd": _usd(estimate.budget_threshold),
        "by_service": {k: _usd(v) for k, v in estimate.priced.by_service.items()},
        "by_context": {k: _usd(v) for k, v in estimate.priced.by_context.items()},
        "by_function": {k: _usd(v) for k, v in estimate.priced.by_function.items()},
        "projections": [
            {
                "traffic": p.traffic,
                "total_usd": _usd(p.total),
                "by_service": {k: _usd(v) for k, v in p.by_service.items()},
            }
            for p in estimate.projections
        ],
        "recommendations": [
            {"id": r.id, "title": r.title, "detail": r.detail, "monthly_saving_usd": _usd(r.saving)}
            for r in estimate.recommendations
        ],
        "lines": line_rows(estimate),
        "assumptions": list(ASSUMPTIONS),
    }


CSV_COLUMNS = (
    "service",
    "usage_type",
    "resource",
    "context",
    "function",
    "label",
    "usage_quantity",
    "unit",
    "free_quantity",
    "unit_price_usd",
    "monthly_usd",
)


def cost_csv(estimate: CostEstimate) -> str:
    """One row per priced line, for spreadsheets."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(line_rows(estimate))
    return out.getvalue()


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:.6g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(
    title: str, column: str, totals: dict[str, float], total: float, names: dict[str, str]
) -> list[str]:
    rows = sorted(totals.items(), key=lambda kv: (-round(kv[1], 6), kv[0]))
    lines = [f"## {title}", "", f"| {column} | monthly | share |", "|---|---:|---:|"]
    for name, usd in rows:
        share = f"{usd / total:.0%}" if total > 0 else "–"
        lines.append(f"| {_cell(names.get(name, name))} | {_money(usd)} | {share} |")
    return [*lines, ""]


def cost_report(estimate: CostEstimate, design_name: str = "") -> str:
    """The estimate in plain words for reviewers."""
    prices = price_list(estimate.region)
    free = "with the always-free tier taken off" if estimate.free_tier else "without the free tier"
    out = [
        f"# Monthly cost estimate{': ' + design_name if design_name else ''}",
        "",
        f"**{_money(estimate.total)} a month** in {prices.name} ({estimate.region}), {free} "
        f"({_money(estimate.total_without_free_tier)} without it). "
        f"Prices as of {estimate.prices_as_of}.",
        "",
        f"Budget alert threshold: **{_money(estimate.budget_threshold)}** (projected spend + 20%).",
        "",
    ]
    titles = {name: service.title for name, service in prices.services.items()}
    out += _table("Per service", "service", estimate.priced.by_service, estimate.total, titles)
    out += _table("Per bounded context", "context", estimate.priced.by_context, estimate.total, {})
    out += _table("Per function", "function", estimate.priced.by_function, estimate.total, {})
    if estimate.projections:
        out += ["## Projections", "", "| traffic | monthly |", "|---:|---:|"]
        out += [f"| {p.traffic:g}× | {_money(p.total)} |" for p in estimate.projections]
        out.append("")
    out += ["## Recommendations", ""]
    if estimate.recommendations:
        out += ["| recommendation | saving a month | why |", "|---|---:|---|"]
        out += [
            f"| {_cell(r.title)} | {_money(r.saving)} | {_cell(r.detail)} |"
            for r in estimate.recommendations
        ]
    else:
        out.append("None: no change the cost model knows would save money.")
    out += [
        "",
        "## Lines",
        "",
        "| service | resource | usage type | quantity | unit | monthly |",
        "|---|---|---|---:|---|---:|",
    ]
    for row in line_rows(estimate):
        out.append(
            f"| {row['service']} | {_cell(row['resource'])} | {row['usage_type']}"
            f"{' (' + row['label'] + ')' if row['label'] else ''} | "
            f"{_amount(row['usage_quantity'])} | {row['unit']} | {_money(row['monthly_usd'])} |"
        )
    out += ["", "## Assumptions", ""] + [f"- {a}" for a in ASSUMPTIONS]
    out += [
        "",
        "## Prices",
        "",
        "| service | source | grades of the prices used |",
        "|---|---|---|",
    ]
    used: dict[str, set[str]] = {}
    for p in estimate.lines:
        used.setdefault(p.line.service, set()).add(p.usage_type.confidence)
    for service, grades in sorted(used.items()):
        sp = prices.services[service]
        out.append(f"| {sp.title} | {sp.source} | {''.join(sorted(grades))} |")
    out += [
        "",
        "Grades: A = stated in AWS page text; B = AWS Price List values quoted by a third "
        "party; C = secondary or recalled, not confirmed (see catalog/pricing).",
        "",
    ]
    return "\n".join(out)


def format_cost(estimate: CostEstimate) -> str:
    """A short terminal summary: total, per service, recommendations, budget threshold."""
    free = "free tier on" if estimate.free_tier else "free tier off"
    out = [
        f"Monthly cost in {estimate.region} ({free}, prices as of {estimate.prices_as_of}): "
        f"{_money(estimate.total)}"
    ]
    width = max((len(s) for s in estimate.priced.by_service), default=0)
    for service, usd in sorted(
        estimate.priced.by_service.items(), key=lambda kv: (-round(kv[1], 6), kv[0])
    ):
        out.append(f"  {service:<{width}}  {_money(usd):>12}")
    if estimate.projections:
        out.append(
            "Projections: "
            + ", ".join(f"{p.traffic:g}× {_money(p.total)}" for p in estimate.projections)
        )
    for rec in estimate.recommendations:
        out.append(f"Save {_money(rec.saving)}/month: {rec.title}")
    if estimate.projections or estimate.recommendations:
        out.append(f"Budget alert threshold: {_money(estimate.budget_threshold)}")
    return "\n".join(out) + "\n"
