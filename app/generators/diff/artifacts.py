"""How the generated artifacts differ: OpenAPI operations, table plan, state machines, SAM
template, cost.

Each section is computed only when both designs can generate the artifact; otherwise the
section says plainly why not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from app.generators.api import openapi_document
from app.generators.cost import price_design
from app.generators.cost.prices import has_prices, price_list
from app.generators.diff.changes import ArtifactDiff
from app.generators.diff.sentences import number
from app.generators.diff.template import template_lines
from app.generators.sam.template import build_template
from app.generators.table import TablePlan, plan_table
from app.generators.workflows import StateMachine, state_machines
from app.model import DesignError, ValidDesign

T = TypeVar("T")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
OPERATION_PARTS = {
    "parameters": "parameters",
    "requestBody": "request body",
    "responses": "responses",
    "security": "security",
    "summary": "summary",
    "description": "description",
    "operationId": "operation id",
    "tags": "tags",
}


def artifact_diffs(old: ValidDesign, new: ValidDesign) -> tuple[ArtifactDiff, ...]:
    """The OpenAPI, table plan, workflow, SAM template and cost sections, in that order."""
    return (
        _section("openapi", "OpenAPI", old, new, openapi_document, _openapi_lines),
        _section("table", "Table plan", old, new, plan_table, _table_lines),
        _section("workflows", "Workflows", old, new, state_machines, _workflow_lines),
        _section("template", "SAM template", old, new, build_template, template_lines),
        _cost(old, new),
    )


def _section(
    artifact: str,
    title: str,
    old: ValidDesign,
    new: ValidDesign,
    generate: Callable[[ValidDesign], T],
    compare: Callable[[T, T], tuple[list[str], dict[str, Any]]],
) -> ArtifactDiff:
    made: list[T] = []
    for side, valid in (("old", old), ("new", new)):
        try:
            made.append(generate(valid))
        except DesignError as exc:
            first = exc.problems[0].message if exc.problems else str(exc)
            reason = f"the {side} version cannot generate it ({first})"
            return ArtifactDiff(artifact, title, unavailable=reason)
    lines, figures = compare(made[0], made[1])
    return ArtifactDiff(artifact, title, tuple(lines), figures=figures)


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in METHODS
    }


def _openapi_lines(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    a, b = _operations(old), _operations(new)
    lines = [f"added the operation {k} ({b[k].get('operationId', '')})" for k in b if k not in a]
    lines += [f"removed the operation {k} ({a[k].get('operationId', '')})" for k in a if k not in b]
    for key in [k for k in b if k in a and a[k] != b[k]]:
        parts = set(a[key]) | set(b[key])
        changed = sorted(
            {_part(p) for p in parts if a[key].get(p) != b[key].get(p)},
            key=lambda p: (p not in OPERATION_PARTS.values(), p),
        )
        lines.append(f"the operation {key} changed: {', '.join(changed)}")
    schemas_a = old.get("components", {}).get("schemas", {})
    schemas_b = new.get("components", {}).get("schemas", {})
    lines += [f"added the schema {k}" for k in sorted(schemas_b) if k not in schemas_a]
    lines += [f"removed the schema {k}" for k in sorted(schemas_a) if k not in schemas_b]
    lines += [
        f"the schema {k} changed"
        for k in sorted(schemas_b)
        if k in schemas_a and schemas_a[k] != schemas_b[k]
    ]
    outer = ("openapi", "info", "tags", "paths", "components")
    rest_a = {k: v for k, v in old.items() if k not in outer}
    rest_b = {k: v for k, v in new.items() if k not in outer}
    schemes_a = old.get("components", {}).get("securitySchemes")
    schemes_b = new.get("components", {}).get("securitySchemes")
    if rest_a != rest_b or schemes_a != schemes_b:
        lines.append("the API's security schemes or gateway settings changed")
    return lines, {"operations": [len(a), len(b)]}


def _part(key: str) -> str:
    if key.startswith("x-amazon-apigateway"):
        return "gateway integration"
    return OPERATION_PARTS.get(key, key)


def _indexes(plan: TablePlan) -> str:
    gsis = len(plan.gsis)
    return f"{gsis} global secondary {'index' if gsis == 1 else 'indexes'}"


def _table_lines(old: TablePlan, new: TablePlan) -> tuple[list[str], dict[str, Any]]:
    lines: list[str] = []
    if len(old.gsis) != len(new.gsis):
        lines.append(f"the table now has {_indexes(new)} (was {len(old.gsis)})")
    if len(old.lsis) != len(new.lsis):
        lines.append(f"the table now has {len(new.lsis)} local indexes (was {len(old.lsis)})")
    for code in new.entities:
        entity = new.entities[code].name
        if code not in old.entities:
            lines.append(f"{entity} items are now stored in the table")
            continue
        before, after = old.templates(code), new.templates(code)
        for slot in [*after, *(s for s in before if s not in after)]:
            where = _where(new, old, slot)
            if slot not in before:
                lines.append(f"{entity} is now keyed in {where} as {_key(after[slot])}")
            elif slot not in after:
                lines.append(f"{entity} is no longer keyed in {where} (was {_key(before[slot])})")
            elif before[slot] != after[slot]:
                lines.append(
                    f"the key of {entity} in {where} changed from {_key(before[slot])} "
                    f"to {_key(after[slot])}"
                )
    lines += [
        f"{old.entities[c].name} items are no longer stored in the table"
        for c in old.entities
        if c not in new.entities
    ]
    old_unserved = {u.element_id for u in old.unserved}
    new_unserved = {u.element_id for u in new.unserved}
    lines += [
        f"the access pattern {u.name} is now unserved: {u.reason}"
        for u in new.unserved
        if u.element_id not in old_unserved
    ]
    lines += [
        f"the access pattern {u.name} is served again"
        for u in old.unserved
        if u.element_id not in new_unserved
    ]
    for pattern, operation in new.operations.items():
        was = old.operations.get(pattern)
        if was is not None and (was.call, was.index) != (operation.call, operation.index):
            lines.append(
                f"the access pattern {operation.name} now runs as {_runs(operation)} "
                f"(was {_runs(was)})"
            )
    figures = {
        "gsis": [len(old.gsis), len(new.gsis)],
        "unserved": [len(old.unserved), len(new.unserved)],
    }
    return lines, figures


def _where(new: TablePlan, old: TablePlan, slot: str) -> str:
    """Where a slot's key lives, in words: "the table" or "the index GSI1"."""
    plan = new if any(s.name == slot for s in new.slots) else old
    return "the table" if plan.slot(slot).kind == "table" else f"the index {slot}"


def _key(templates: tuple[str, str]) -> str:
    return f"{templates[0]} / {templates[1]}"


def _runs(operation: Any) -> str:
    return f"{operation.call} on {operation.index}" if operation.index else operation.call


def count_states(states: dict[str, Any]) -> int:
    """The states of a machine, those inside parallel branches and maps included."""
    total = 0
    for state in states.values():
        total += 1
        for branch in state.get("Branches", []):
            total += count_states(branch.get("States", {}))
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                total += count_states(state[key].get("States", {}))
    return total


def _workflow_lines(
    old: list[StateMachine], new: list[StateMachine]
) -> tuple[list[str], dict[str, Any]]:
    a = {m.code: m for m in old}
    b = {m.code: m for m in new}
    lines = [f"added the state machine {k} ({b[k].kind.type})" for k in b if k not in a]
    lines += [f"removed the state machine {k}" for k in a if k not in b]
    for code in [k for k in b if k in a]:
        before, after = a[code], b[code]
        if before.kind.type != after.kind.type:
            lines.append(
                f"the state machine {code} changed from {before.kind.type} to "
                f"{after.kind.type}: {after.kind.reason}"
            )
        count_a = count_states(before.asl["States"])
        count_b = count_states(after.asl["States"])
        if count_a != count_b:
            lines.append(f"the state machine {code} now has {count_b} states (was {count_a})")
        elif before.asl != after.asl:
            lines.append(f"the definition of the state machine {code} changed")
    return lines, {"state_machines": [len(a), len(b)]}


def money(value: float, currency: str) -> str:
    """$12.34 (other currencies by their code)."""
    sign = "-" if value < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{abs(value):,.2f}"


def _cost(old: ValidDesign, new: ValidDesign) -> ArtifactDiff:
    for side, valid in (("old", old), ("new", new)):
        region = valid.design.settings.region
        if not has_prices(region):
            return ArtifactDiff(
                "cost",
                "Cost",
                unavailable=f"the pricing catalog has no prices for {region}, the {side} "
                "version's region",
            )
    return _section("cost", "Cost", old, new, price_design, _cost_lines)


def _cost_lines(old: Any, new: Any) -> tuple[list[str], dict[str, Any]]:
    currency = new.currency
    a, b = round(old.total, 2), round(new.total, 2)
    figures = {"currency": currency, "monthly": [a, b], "delta": round(b - a, 2)}
    if a == b:
        return [], figures
    delta = b - a
    sign = "+" if delta > 0 else ""
    share = f", {sign}{number(round(delta / a * 100, 1))}%" if a else ""
    lines = [
        f"the monthly cost went from {money(a, currency)} to {money(b, currency)} "
        f"({sign}{money(delta, currency)}{share})"
    ]
    titles = {k: v.title for k, v in price_list(new.region).services.items()}
    services = sorted(set(old.priced.by_service) | set(new.priced.by_service))
    for service in services:
        x = round(old.priced.by_service.get(service, 0.0), 2)
        y = round(new.priced.by_service.get(service, 0.0), 2)
        if x != y:
            plus = "+" if y > x else ""
            change = f"{plus}{money(y - x, currency)}"
            title = titles.get(service, service)
            lines.append(f"{title}: {money(x, currency)} → {money(y, currency)} ({change})")
    return lines, figures
