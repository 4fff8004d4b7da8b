"""Benchmark of the table planner: planning the large design and proving it on moto.

Targets: the plan (about 60 entities, 120+ access patterns) under 1 s; its proof (sample items
written to moto, every pattern run and compared) under 30 s. Prints the figures; exits 1 when a
target is missed or a served pattern fails its proof. Uses ``make_large_design(seed=7)`` from
``bench/large_design.py`` when present, else a synthetic design of 60 entities and 120 patterns.

    python bench/bench_table.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from app.generators.table import plan_table  # noqa: E402
from app.model import load_design  # noqa: E402
from app.proofs.table import prove_table  # noqa: E402

PLAN_TARGET_S = 1.0
PROOF_TARGET_S = 30.0


def synthetic_design(entities: int = 60) -> str:
    """Sixty entities in chains of three (parent, child, grandchild), each with two to three
    patterns: lookups, children by parent with ranges, filtered and sparse reads, collections,
    strong reads, versioned writes."""
    aggregates: list[dict[str, Any]] = []
    patterns: list[dict[str, Any]] = []
    for i in range(entities):
        name = f"Entity{i:02d}"
        own = f"entity{i:02d}Id"
        attributes: dict[str, str] = {
            own: "string",
            "status": "enum(NEW, ACTIVE, CLOSED)",
            "createdAt": "datetime",
            "score": "integer",
            "owner": "string",
            "note": "string?",
            "version": "integer",
        }
        aggregate: dict[str, Any] = {"name": name, "attributes": attributes}
        if i % 3:
            parent = f"entity{i - 1:02d}Id"
            attributes[parent] = "string"
            aggregates[-1].setdefault("relationships", []).append({"entity": name})
            patterns.append(
                {
                    "name": f"{name} of parent",
                    "entity": name,
                    "by": [parent],
                    "sort": "createdAt",
                    "order": "desc",
                    "range": "between",
                }
            )
            patterns.append(
                {
                    "name": f"Active {name} of parent",
                    "entity": name,
                    "by": [parent],
                    "filters": {"status": "ACTIVE"},
                }
            )
        else:
            patterns.append({"name": f"{name} by id", "entity": name, "by": [own]})
            patterns.append(
                {
                    "name": f"{name} of owner",
                    "entity": name,
                    "by": ["owner"],
                    "sort": "score",
                    "range": "ge",
                }
            )
        if i % 3 == 1:
            patterns.append(
                {
                    "name": f"Parent of {name} with children",
                    "entity": f"Entity{i - 1:02d}",
                    "by": [f"entity{i - 1:02d}Id"],
                    "include": [name],
                }
            )
        if i % 5 == 0:
            patterns.append(
                {
                    "name": f"Update {name}",
                    "entity": name,
                    "action": "update",
                    "condition": "version",
                }
            )
        if i % 7 == 0:
            patterns.append(
                {"name": f"{name} with note", "entity": name, "by": ["owner"], "exists": ["note"]}
            )
        aggregates.append(aggregate)
    data = {
        "format": 1,
        "name": "Large table design",
        "contexts": [{"name": "Everything", "aggregates": aggregates, "access_patterns": patterns}],
    }
    return yaml.safe_dump(data, sort_keys=False)


def large_design_text() -> tuple[str, str]:
    try:
        from bench.large_design import make_large_design  # type: ignore[import-not-found]
    except ImportError:
        return synthetic_design(), "synthetic"
    return make_large_design(seed=7), "bench/large_design.py"


def main() -> int:
    text, origin = large_design_text()
    valid = load_design(text)
    entities = len(valid.of_kind("aggregates"))
    patterns = len(valid.of_kind("access_patterns"))
    plan_table(valid)  # warm imports
    runs = []
    for _ in range(5):
        fresh = load_design(text)  # the plan is kept per validated design: time a new one
        start = time.perf_counter()
        plan = plan_table(fresh)
        runs.append(time.perf_counter() - start)
    plan_s = min(runs)
    start = time.perf_counter()
    report = prove_table(valid)
    proof_s = time.perf_counter() - start
    unserved = {u.pattern for u in plan.unserved}
    wrong = [p for p in report.patterns if not p.passed and p.pattern not in unserved]
    print(f"design: {origin}, {entities} entities, {patterns} access patterns")
    print(
        f"plan: {plan_s * 1000:.0f} ms (target {PLAN_TARGET_S * 1000:.0f} ms); "
        f"{len(plan.gsis)} GSIs (lower bound {plan.gsi_lower_bound}), {len(plan.lsis)} LSIs, "
        f"{len(unserved)} unserved"
    )
    print(
        f"proof: {proof_s:.1f} s (target {PROOF_TARGET_S:.0f} s) on {report.sample_items} "
        f"items; {sum(p.passed for p in report.patterns)} of {len(report.patterns)} passed"
    )
    for p in wrong:
        print(f"  FAIL {p.pattern}: {p.reason}")
    ok = plan_s < PLAN_TARGET_S and proof_s < PROOF_TARGET_S and not wrong
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
