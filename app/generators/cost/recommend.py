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
from typing import TYPE_CHECKING

from app.generators.cost.basis import usage_basis
from app.generators.cost.power import MEMORY_CHOICES, slowdown
from app.generators.cost.pricer import Priced
from app.generators.cost.usage import FunctionUse, WhatIf, function_use, workflow_kind
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
    timeout_ms = (load.overrides.timeout_s or 900) * 1000 * TIMEOUT_SHARE
    best: tuple[float, bool, int] | None = None
    for memory in sorted({*MEMORY_CHOICES, fn.memory_mb}):
        factor = slowdown(load.cpu_bound, load.memory_mb, memory)
        p99 = load.p99 * factor
        if (fn.latency_sensitive and p99 > fn.designed_p99_ms + 1e-6) or p99 > timeout_ms:
            continue
        # cost per invocation is proportional to memory x duration; ties keep the current size
        key = (round(factor * memory, 6), memory != fn.memory_mb, memory)
        if best is None or key < best:
            best = key
    return best[2] if best is not None else fn.memory_mb


Change = tuple[str, str, str, WhatIf, frozenset[str]]
LAMBDA = frozenset({"lambda"})
FLOWS = frozenset({"step_functions"})


def candidate_changes(valid: ValidDesign, base: WhatIf) -> Iterator[Change]:
    """Each change worth pricing: id, title, detail, the what-if that applies it and the
    services whose cost it changes."""
    basis = usage_basis(valid)
    fns = [function_use(fn, base) for fn in basis.functions]
    x86 = [f.code for f in fns if f.architecture == "x86_64" and f.invocations > 0]
    if x86:
        yield (
            "arm64",
            "Run functions on arm64 (Graviton)",
            f"{len(x86)} function(s) on x86_64: {', '.join(x86)}; arm64 costs about 20% less "
            "per GB-second",
            replace(base, architecture="arm64"),
            LAMBDA,
        )
    api_type = base.api_type or basis.api_type
    if basis.routes and api_type == "rest" and basis.api_auth != "api-key":
        yield (
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
        yield (
            "sqs-batching",
            f"Consume queues in batches of {RECOMMENDED_BATCH}",
            f"{', '.join(small)} receive fewer than {RECOMMENDED_BATCH} messages per call; "
            "batching cuts SQS receives and deletes and Lambda requests",
            replace(base, batch_size=RECOMMENDED_BATCH),
            LAMBDA | {"sqs", "cloudwatch"},
        )
    for workflow in basis.workflows:
        code = workflow.code
        if workflow.executions <= 0 or workflow_kind(workflow, base) != "standard":
            continue
        if workflow.express_eligible:
            yield (
                f"express:{code}",
                f"Run {code} as an Express workflow",
                "short, with no approvals or waits: Express bills requests and duration "
                "instead of every state transition (at least once: its steps must be "
                "idempotent)",
                replace(base, workflow_type={**base.workflow_type, code: "express"}),
                FLOWS,
            )
        elif workflow.split_eligible:
            yield (
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
        yield (
            "memory",
            "Right-size function memory",
            f"power-tuning model (CPU share grows with memory up to one vCPU at 1,769 MB): "
            f"{listed}; latency-sensitive functions keep their p99 budget",
            replace(base, memory={**base.memory, **changed}),
            LAMBDA | FLOWS,
        )
    idle = [f.code for f in fns if f.provisioned > 0 and not f.latency_sensitive]
    if idle:
        yield (
            "provisioned-concurrency",
            "Drop provisioned concurrency where latency does not matter",
            f"{', '.join(idle)} are not latency-sensitive",
            replace(base, provisioned={**base.provisioned, **dict.fromkeys(idle, 0)}),
            LAMBDA,
        )
    if base.table_capacity == "on-demand" and basis.has_table:
        yield (
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
    """Every change that saves money, with its monthly saving, largest first."""
    from app.generators.cost.estimate import Recommendation, design_priced

    found = []
    for rec_id, title, detail, change, services in candidate_changes(valid, base):
        before = sum(priced.by_service.get(s, 0.0) for s in services)
        saving = before - design_priced(valid, change, free_tier, region, services).total
        if saving >= MIN_SAVING:
            found.append(Recommendation(rec_id, title, detail, saving, change))
    return tuple(sorted(found, key=lambda r: (-round(r.saving, 6), r.id)))


def recommended_what_if(
    valid: ValidDesign, base: WhatIf, free_tier: bool = True, region: str | None = None
) -> WhatIf:
    """Every saving recommendation applied together: each one's changes to ``base`` merged."""
    from app.generators.cost.estimate import design_priced

    combined = base
    priced = design_priced(valid, base, free_tier, region)
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
