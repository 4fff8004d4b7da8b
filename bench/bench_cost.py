"""Benchmark of the cost model: the large design's estimate and a what-if recompute.

Targets: the full estimate (usage lines, pricing, projections at 1×, 2×, 5×, recommendations,
on a freshly loaded design) under 100 ms; a what-if recompute (the studio control's work:
reading the control's JSON, re-estimating, the answer as JSON) under 150 ms. Prints the
figures, wall-clock and CPU time (CPU time is steadier on a shared machine), and how much of
the fresh estimate is the table and observability plans the export shares; exits 1 when a
target is missed. Uses ``make_large_design(seed=7)`` from
``bench/large_design.py`` when present, else a synthetic design of the same spirit (many
contexts, commands, policies, workflows).

    python bench/bench_cost.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.generators.cost import CostOptions, price_design  # noqa: E402
from app.generators.cost.what_if import (  # noqa: E402
    base_estimate,
    parse_what_if,
    what_if_estimate,
)
from app.generators.observability import plan_observability  # noqa: E402
from app.generators.table.plan import plan_table  # noqa: E402
from app.model import ValidDesign, load_design  # noqa: E402

ESTIMATE_TARGET_MS = 100.0
WHAT_IF_TARGET_MS = 150.0
ROUNDS = 7


def synthetic_design(contexts: int = 12, per_context: int = 8) -> str:
    """A large design: each context with commands (API, events, aggregate writes), policies on
    queues, read models with access patterns, and a workflow."""
    data: dict[str, Any] = {"format": 1, "name": "Large synthetic design", "contexts": []}
    for c in range(contexts):
        p = f"C{c}"
        ctx: dict[str, Any] = {
            "name": f"Context {p}",
            "commands": [],
            "events": [],
            "policies": [],
            "read_models": [],
            "access_patterns": [],
            "aggregates": [],
            "workflows": [],
        }
        for i in range(per_context):
            entity = f"{p} Thing {i}"
            ctx["aggregates"].append(
                {
                    "name": entity,
                    "item_count": 100_000 * (i + 1),
                    "attributes": {f"{p.lower()}Thing{i}Id": "string", "ownerId": "string"},
                    "identifier": f"{p.lower()}Thing{i}Id",
                }
            )
            ctx["access_patterns"].append(
                {"name": f"{p} things {i} of owner", "entity": entity, "by": ["ownerId"]}
            )
            ctx["events"].append({"name": f"{p} thing {i} changed", "size_kb": 2})
            ctx["commands"].append(
                {
                    "name": f"{p} change thing {i}",
                    "route": f"POST /{p.lower()}/things{i}",
                    "aggregate": entity,
                    "emits": [f"{p} thing {i} changed"],
                    "workload": {
                        "requests_per_month": 1_000_000 * (i + 1),
                        "duration_ms": 80 + i,
                        "memory_mb": 512,
                        "latency_sensitive": i % 2 == 0,
                    },
                }
            )
            ctx["commands"].append(
                {
                    "name": f"{p} react to thing {i}",
                    "aggregate": entity,
                    "workload": {"duration_ms": 150, "memory_mb": 1024},
                }
            )
            ctx["policies"].append(
                {
                    "name": f"{p} when thing {i} changed",
                    "event": f"{p} thing {i} changed",
                    "command": f"{p} react to thing {i}",
                    "batch_size": 1 + i,
                }
            )
            ctx["read_models"].append(
                {
                    "name": f"{p} things {i}",
                    "route": f"GET /{p.lower()}/owners/{{ownerId}}/t{i}",
                    "fields": {"ownerId": "string"},
                    "access_patterns": [f"{p} things {i} of owner"],
                    "workload": {"requests_per_month": 2_000_000, "duration_ms": 40},
                }
            )
        ctx["workflows"].append(
            {
                "name": f"{p} process",
                "route": f"POST /{p.lower()}/process",
                "workload": {"requests_per_month": 500_000},
                "steps": [
                    {"name": f"Step {i}", "task": f"{p} react to thing {i}", "failure_rate": 0.01}
                    for i in range(per_context)
                ]
                + [{"name": "Done", "succeed": {}}],
            }
        )
        data["contexts"].append(ctx)
    return json.dumps(data)


def large_design_text() -> tuple[str, str]:
    try:
        from bench.large_design import make_large_design  # type: ignore[import-not-found]
    except ImportError:
        return synthetic_design(), "synthetic (bench/large_design.py not found)"
    return make_large_design(seed=7), "bench/large_design.py make_large_design(seed=7)"


CPU: list[float] = []
"""CPU time of every timed action, in order (read right after ``timed``)."""


def timed(action: Any) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    action()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def cpu_of(times: list[float]) -> list[float]:
    """The CPU times of the last ``len(times)`` timed actions."""
    return CPU[-len(times) :]


def calibration_ms() -> float:
    """Time of a fixed pure-Python loop: compare across machines and loads."""

    def loop() -> None:
        total = 0
        for i in range(200_000):
            total += i * 2

    return min(timed(loop) for _ in range(3))


def main() -> int:
    text, origin = large_design_text()
    valids: list[ValidDesign] = []
    for _ in range(ROUNDS):
        valid = load_design(text)
        _ = valid.traffic  # the traffic flow belongs to loading the design, not to pricing
        valids.append(valid)
    sample = valids[0]
    elements = sum(1 for e in sample.entries.values() if e.kind != "steps")
    price_design(load_design(text))  # warm imports and the price list
    cold = [timed(lambda v=v: price_design(v)) for v in valids]
    cold_cpu = cpu_of(cold)
    plans = []
    for _ in range(ROUNDS):
        fresh = load_design(text)
        _ = fresh.traffic
        plans.append(timed(lambda f=fresh: (plan_table(f), plan_observability(f))))
    warm = [timed(lambda: price_design(sample)) for _ in range(ROUNDS)]
    control = {
        "traffic": 2.0,
        "architecture": "x86_64",
        "api_type": "rest",
        "memory_mb": 1024,
        "step_functions": "express",
    }
    shown = base_estimate(sample)

    def recompute_once() -> None:
        what_if_estimate(sample, parse_what_if(control), base=shown).to_json()

    recompute = [timed(recompute_once) for _ in range(ROUNDS)]
    recompute_cpu = cpu_of(recompute)
    core = [
        timed(lambda: price_design(sample, CostOptions(projections=(), recommendations=False)))
        for _ in range(ROUNDS)
    ]
    estimate = price_design(sample)
    print(f"design: {origin}: {elements} elements, {len(estimate.lines)} usage lines")
    print(
        f"calibration loop: {calibration_ms():.1f} ms (compare with the same loop on the "
        "machine that sets the targets: figures scale with it)"
    )

    def figures(times: list[float]) -> str:
        return f"median {statistics.median(times):6.1f} ms, min {min(times):6.1f} ms"

    print(f"estimate, freshly loaded design: {figures(cold)}  (target < {ESTIMATE_TARGET_MS:.0f})")
    print(f"  CPU time:                      {figures(cold_cpu)}")
    print(f"  of which table + obs. plans:   {figures(plans)}  (shared with the export)")
    print(f"estimate, same design again:     {figures(warm)}")
    print(f"lines and totals only:           {figures(core)}")
    print(
        f"what-if recompute:               {figures(recompute)}  (target < {WHAT_IF_TARGET_MS:.0f})"
    )
    print(f"  CPU time:                      {figures(recompute_cpu)}")
    print(f"total ${estimate.total:,.2f}/month, {len(estimate.recommendations)} recommendations")
    missed = []
    if statistics.median(cold) >= ESTIMATE_TARGET_MS:
        missed.append("estimate")
    if statistics.median(recompute) >= WHAT_IF_TARGET_MS:
        missed.append("what-if")
    if missed:
        print(f"MISSED: {', '.join(missed)}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
