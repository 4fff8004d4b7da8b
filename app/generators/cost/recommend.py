"""Recommendations with their monthly saving, each priced as a what-if against the design.

arm64 over x86_64; HTTP API over REST API where no REST-only feature (API keys and usage plans)
is used; SQS batching; Express over Standard for short workflows; memory right-sizing with the
power-tuning model, keeping every latency-sensitive function within its p99 budget; provisioned
concurrency only where a function is latency-sensitive; provisioned over on-demand DynamoDB
capacity where the load is steady enough to pay.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from app.generators.cost.basis import usage_basis
from app.generators.cost.power import MEMORY_CHOICES, slowdown
from app.generators.cost.pricer import (
    Priced,
    UsageLine,
    add_sums,
    meter,
    price_lines,
    price_sums,
)
from app.generators.cost.prices import UsageType, price_list
from app.generators.cost.usage import (
    FunctionUse,
    WhatIf,
    design_usage,
    function_use,
    workflow_kind,
)
from app.model import ValidDesign

if TYPE_CHECKING:
    from app.generators.cost.estimate import Recommendation

RECOMMENDED_BATCH = 10
MIN_SAVING = 0.005
"""Savings below half a cent a month are not worth a recommendation."""
TIMEOUT_SHARE = 0.8
"""A right-sized function must still finish within 80% of its timeout (the duration alarm)."""


def right_size(fn: FunctionUse) -> int:
    """The memory that makes a function cheapest to run without breaking its latency budget
    (latency-sensitive: p99 within the design's p99) or its timeout."""
    load = fn.workload
    return _cheapest_memory(
        load.cpu_bound,
        load.memory_mb,
        load.p99,
        fn.designed_p99_ms if fn.latency_sensitive else None,
        (load.overrides.timeout_s or 900) * 1000 * TIMEOUT_SHARE,
        fn.memory_mb,
    )


@lru_cache(maxsize=4096)
def _cheapest_memory(
    cpu_bound: float,
    designed_mb: int,
    designed_p99_ms: float,
    budget_ms: float | None,
    timeout_ms: float,
    current_mb: int,
) -> int:
    """``right_size`` from the numbers it depends on (functions often share them)."""
    best: tuple[float, bool, int] | None = None
    for memory in sorted({*MEMORY_CHOICES, current_mb}):
        factor = slowdown(cpu_bound, designed_mb, memory)
        p99 = designed_p99_ms * factor
        if (budget_ms is not None and p99 > budget_ms + 1e-6) or p99 > timeout_ms:
            continue
        # cost per invocation is proportional to memory x duration; ties keep the current size
        key = (round(factor * memory, 6), memory != current_mb, memory)
        if best is None or key < best:
            best = key
    return best[2] if best is not None else current_mb


class Change(NamedTuple):
    """A change worth pricing, with the lines it can change: those of ``services`` (and of the
    lines that belong to a function, only those of ``functions``, when given)."""

    id: str
    title: str
    detail: str
    what_if: WhatIf
    services: frozenset[str]
    functions: frozenset[str] | None = None


LAMBDA = frozenset({"lambda"})
FLOWS = frozenset({"step_functions"})


def candidate_changes(valid: ValidDesign, base: WhatIf) -> Iterator[Change]:
    """Each change worth pricing."""
    basis = usage_basis(valid)
    fns = [function_use(fn, base) for fn in basis.functions]
    x86 = [f.code for f in fns if f.architecture == "x86_64" and f.invocations > 0]
    if x86:
        yield Change(
            "arm64",
            "Run functions on arm64 (Graviton)",
            f"{len(x86)} function(s) on x86_64: {', '.join(x86)}; arm64 costs about 20% less "
            "per GB-second",
            replace(base, architecture="arm64"),
            LAMBDA,
            frozenset(x86),
        )
    api_type = base.api_type or basis.api_type
    if basis.routes and api_type == "rest" and basis.api_auth != "api-key":
        yield Change(
            "http-api",
            "Use an HTTP API instead of a REST API",
            "no REST-only feature (API keys, usage plans) is used; HTTP APIs cost up to 71% "
            "less per request",
            replace(base, api_type="http"),
            frozenset({"api_gateway"}),
        )
    small = [
        q.code
        for q in basis.queues
        if q.messages > 0 and (base.batch_size or q.batch_size) < RECOMMENDED_BATCH
    ]
    if small:
        fed = frozenset(f.code for f in basis.functions if f.queued)
        yield Change(
            "sqs-batching",
            f"Consume queues in batches of {RECOMMENDED_BATCH}",
            f"{', '.join(small)} receive fewer than {RECOMMENDED_BATCH} messages per call; "
            "batching cuts SQS receives and deletes and Lambda requests",
            replace(base, batch_size=RECOMMENDED_BATCH),
            LAMBDA | {"sqs", "cloudwatch"},
            fed,
        )
    for workflow in basis.workflows:
        code = workflow.code
        if workflow.executions <= 0 or workflow_kind(workflow, base) != "standard":
            continue
        if workflow.express_eligible:
            yield Change(
                f"express:{code}",
                f"Run {code} as an Express workflow",
                "short, with no approvals or waits: Express bills requests and duration "
                "instead of every state transition (at least once: its steps must be "
                "idempotent)",
                replace(base, workflow_type={**base.workflow_type, code: "express"}),
                FLOWS,
            )
        elif workflow.split_eligible:
            yield Change(
                f"express-split:{code}",
                f"Run {code} as Express, with a Standard child for approvals",
                f"only {workflow.blocking_share:.1%} of executions wait for an approval or "
                "a time; run the short automatic path as an Express workflow that starts a "
                "Standard child workflow for those executions (at least once: steps must be "
                "idempotent)",
                replace(base, workflow_type={**base.workflow_type, code: "split"}),
                FLOWS,
            )
    sizes = {f.code: right_size(f) for f in fns if f.invocations > 0}
    current = {f.code: f.memory_mb for f in fns}
    changed = {code: m for code, m in sizes.items() if m != current[code]}
    if changed:
        listed = ", ".join(f"{code} {m} MB" for code, m in sorted(changed.items()))
        yield Change(
            "memory",
            "Right-size function memory",
            f"power-tuning model (CPU share grows with memory up to one vCPU at 1,769 MB): "
            f"{listed}; latency-sensitive functions keep their p99 budget",
            replace(base, memory={**base.memory, **changed}),
            LAMBDA | FLOWS,
            frozenset(changed),
        )
    idle = [f.code for f in fns if f.provisioned > 0 and not f.latency_sensitive]
    if idle:
        yield Change(
            "provisioned-concurrency",
            "Drop provisioned concurrency where latency does not matter",
            f"{', '.join(idle)} are not latency-sensitive",
            replace(base, provisioned={**base.provisioned, **dict.fromkeys(idle, 0)}),
            LAMBDA,
            frozenset(idle),
        )
    if base.table_capacity == "on-demand" and basis.has_table:
        yield Change(
            "dynamodb-provisioned",
            "Use provisioned DynamoDB capacity",
            "the load is steady enough that capacity sized for the peak at 70% utilisation "
            "costs less than on-demand requests",
            replace(base, table_capacity="provisioned"),
            frozenset({"dynamodb"}),
        )


def recommendations(
    valid: ValidDesign,
    base: WhatIf,
    priced: Priced,
    free_tier: bool = True,
    region: str | None = None,
) -> tuple[Recommendation, ...]:
    """Every change that saves money, with its monthly saving, largest first.

    Each change is priced against the whole bill: the lines it can change are taken out of the
    priced design's billable quantities and made again under the change (tiers and free tiers
    apply to the account's total, so a saving is the difference of two whole bills). ``priced``
    must hold the design's lines under ``base`` (``price_lines``, not totals only)."""
    from app.generators.cost.estimate import Recommendation

    prices = price_list(region or priced.region)
    billed: dict[str, list[tuple[UsageLine, UsageType, float]]] = {}
    for p in priced.lines:
        billed.setdefault(p.line.service, []).append((p.line, p.usage_type, p.billable))
    before = price_sums(priced.sums, prices, free_tier=free_tier, expiring=False).total
    found = []
    for change in candidate_changes(valid, base):
        services, functions = change.services, change.functions
        sums = {key: list(value) for key, value in priced.sums.items()}
        for service in services:
            add_sums(
                sums,
                (
                    b
                    for b in billed.get(service, ())
                    if functions is None or not b[0].function or b[0].function in functions
                ),
                free_tier,
                -1,
            )
        lines = design_usage(valid, change.what_if, services, only_functions=functions)
        add_sums(sums, meter(lines, prices), free_tier)
        saving = before - price_sums(sums, prices, free_tier=free_tier, expiring=False).total
        if saving >= MIN_SAVING:
            found.append(
                Recommendation(change.id, change.title, change.detail, saving, change.what_if)
            )
    return tuple(sorted(found, key=lambda r: (-round(r.saving, 6), r.id)))


def recommended_what_if(
    valid: ValidDesign, base: WhatIf, free_tier: bool = True, region: str | None = None
) -> WhatIf:
    """Every saving recommendation applied together: each one's changes to ``base`` merged."""
    combined = base
    prices = price_list(region or valid.design.settings.region)
    priced = price_lines(design_usage(valid, base), prices, free_tier=free_tier, expiring=False)
    for rec in recommendations(valid, base, priced, free_tier, region):
        change = rec.what_if
        updates = {
            name: getattr(change, name)
            for name in WHAT_IF_FIELDS
            if getattr(change, name) != getattr(base, name)
        }
        for name in ("memory", "workflow_type", "provisioned"):
            if name in updates:
                updates[name] = {**getattr(combined, name), **updates[name]}
        combined = replace(combined, **updates)
    return combined


WHAT_IF_FIELDS = tuple(f.name for f in fields(WhatIf))
