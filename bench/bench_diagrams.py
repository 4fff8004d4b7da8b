"""Benchmark: the large design's full event-flow diagram, DOT to SVG, under 2 s.

Run ``python bench/bench_diagrams.py``; prints the figures and exits 1 when a target is missed.
Uses ``bench/large_design.py`` (``make_large_design(seed=7)``) when it exists, else the
stand-in below of the same spirit (8 contexts, 200+ nodes in the event flow).
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 2.0


def large_design_text(seed: int = 7) -> str:
    """The large design's storm file: the shared generator when present, else the stand-in."""
    shared = Path(__file__).with_name("large_design.py")
    if shared.exists():
        spec = importlib.util.spec_from_file_location("large_design", shared)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules.setdefault("large_design", module)  # its dataclasses look themselves up
        spec.loader.exec_module(sys.modules["large_design"])
        return str(sys.modules["large_design"].make_large_design(seed=seed))
    return stand_in_large_design(seed)


def stand_in_large_design(seed: int = 7, contexts: int = 8) -> str:
    """A large, realistic-looking design: commands, events, policies across contexts."""
    from app.model.stormfile import dump_yaml

    rng = random.Random(seed)
    names = [
        "Orders",
        "Payments",
        "Inventory",
        "Shipping",
        "Billing",
        "Customers",
        "Catalog",
        "Returns",
        "Loyalty",
        "Support",
    ][:contexts]
    data: dict[str, Any] = {
        "format": 1,
        "name": "Large retail platform",
        "settings": {"api": {"type": "http", "auth": "jwt"}},
        "contexts": [],
    }
    all_events: list[str] = []
    for context in names:
        entity = f"{context[:-1]}Record"
        key = entity[0].lower() + entity[1:] + "Id"
        ctx: dict[str, Any] = {
            "name": context,
            "actors": [{"name": f"{context} clerk"}, {"name": f"{context} manager"}],
            "aggregates": [
                {
                    "name": entity,
                    "attributes": {
                        key: "string",
                        "ownerId": "string",
                        "status": "enum(OPEN, DONE, FAILED)",
                        "amount": "decimal",
                        "createdAt": "datetime",
                    },
                }
            ],
            "access_patterns": [
                {"name": f"{entity} by id", "entity": entity, "by": [key]},
                {
                    "name": f"{entity}s of owner",
                    "entity": entity,
                    "by": ["ownerId"],
                    "sort": "createdAt",
                    "order": "desc",
                },
            ],
            "commands": [],
            "events": [],
            "policies": [],
            "read_models": [],
            "schedules": [],
            "external_systems": [],
        }
        for i in range(7):
            verb = ["Open", "Approve", "Reject", "Close", "Adjust", "Escalate", "Archive"][i]
            command = f"{verb} {context.lower()[:-1]} record"
            event = f"{context[:-1]} record {verb.lower()}d".replace("ed", "ed", 1)
            base = f"/{context.lower()}"
            route_path = f"{base}/{{{key}}}/{verb.lower()}" if i else base
            ctx["commands"].append(
                {
                    "name": command,
                    "actors": [f"{context} clerk"],
                    "aggregate": entity,
                    "route": f"POST {route_path}",
                    "input": {key: "string", "ownerId": "string", "amount": "decimal?"},
                    "emits": [event]
                    if i % 3
                    else [event, {"event": f"{event} late", "probability": 0.1}],
                    "workload": {"requests_per_month": rng.randint(10_000, 3_000_000)},
                }
            )
            ctx["events"].append({"name": event, "fields": {key: "string", "amount": "decimal"}})
            if i % 3 == 0:
                ctx["events"].append({"name": f"{event} late", "fields": {key: "string"}})
            all_events.append(event)
        for r in range(3):
            ctx["read_models"].append(
                {
                    "name": f"{context} view {r + 1}",
                    "route": f"GET /{context.lower()}/view{r + 1}",
                    "access_patterns": [f"{entity}s of owner" if r else f"{entity} by id"],
                    "actors": [f"{context} manager"],
                }
            )
        ctx["schedules"].append(
            {
                "name": f"{context} nightly",
                "expression": "rate(1 day)",
                "command": f"Archive {context.lower()[:-1]} record",
            }
        )
        ctx["external_systems"].append(
            {"name": f"{context} partner", "called_by": [f"Approve {context.lower()[:-1]} record"]}
        )
        data["contexts"].append(ctx)
    for ctx in data["contexts"]:
        own = {e["name"] for e in ctx["events"]}
        foreign = [e for e in all_events if e not in own]
        for p, event in enumerate(rng.sample(foreign, 4)):
            target = ctx["commands"][1 + p % 5]["name"]
            ctx["policies"].append(
                {
                    "name": f"{ctx['name']} reacts {p + 1}",
                    "event": event,
                    "command": target,
                    "delivery": "queue" if p % 2 else "direct",
                }
            )
    return dump_yaml(data)


def main() -> int:
    from app.generators.diagrams import event_flow_graph, to_dot
    from app.generators.diagrams.render import RenderCache, drawable_dot
    from app.model import load_design

    valid = load_design(large_design_text(7))
    started = time.perf_counter()
    graph = event_flow_graph(valid)
    to_dot(graph)
    built = time.perf_counter()
    drawable_dot(graph, RenderCache())  # draws it (twice when Graphviz trips, see there)
    done = time.perf_counter()
    total = done - started
    print(f"event-flow: {len(graph.nodes)} nodes, {len(graph.edges)} edges")
    print(
        f"graph+DOT {built - started:.3f} s, dot -Tsvg {done - built:.3f} s, "
        f"total {total:.3f} s (target < {TARGET_S} s)"
    )
    return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
