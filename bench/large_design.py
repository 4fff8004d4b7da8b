"""A large, realistic, valid design for benchmarks: an online retailer in twelve contexts.

About 150 commands, 200 events, 150 policies, 60 entities with relationships, 120 access
patterns, 20 workflows of up to about 40 states (choice, parallel, map, approval, waits, catches
and saga compensation), read models, schedules, upload and stream sources, external systems with
webhooks, and a few direct calls. The same seed always gives the same text.

Traffic runs one way: every command has a rank, events and policies lead only to commands of a
higher rank and workflows only run commands ranked above the event that starts them. The only
cycles are two damped loops that real designs have: a retry command that re-issues itself three
times in ten, and a workflow that polls a status until it is ready. None amplifies.

    python bench/large_design.py > large.storm.yaml
    python bench/large_design.py --seed 11 > other.storm.yaml
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.model.stormfile import dump_yaml  # noqa: E402

# Each context: its entities (the first is the root, the others hang below it) and two actors.
CONTEXTS: list[tuple[str, list[str], list[str]]] = [
    (
        "Catalog",
        ["Product", "Variant", "Category", "Brand", "Product image"],
        ["Merchandiser", "Catalog editor"],
    ),
    (
        "Ordering",
        ["Order", "Order line", "Cart", "Cart item", "Checkout"],
        ["Shopper", "Order desk agent"],
    ),
    (
        "Payments",
        ["Payment", "Refund", "Payment method", "Chargeback", "Payout"],
        ["Finance officer", "Payment auditor"],
    ),
    (
        "Inventory",
        ["Stock item", "Reservation", "Warehouse", "Stock movement", "Replenishment"],
        ["Warehouse manager", "Stock planner"],
    ),
    (
        "Shipping",
        ["Shipment", "Parcel", "Carrier", "Delivery slot", "Tracking event"],
        ["Dispatcher", "Courier"],
    ),
    (
        "Customers",
        ["Customer", "Address", "Consent", "Loyalty account", "Support ticket"],
        ["Member", "Support agent"],
    ),
    (
        "Pricing",
        ["Price list", "Price", "Tax rule", "Currency rate", "Price change"],
        ["Pricing analyst", "Tax specialist"],
    ),
    (
        "Promotions",
        ["Campaign", "Coupon", "Voucher", "Promotion rule", "Redemption"],
        ["Marketer", "Campaign approver"],
    ),
    (
        "Returns",
        ["Return request", "Return item", "Inspection", "Credit note", "Return label"],
        ["Returns clerk", "Returns supervisor"],
    ),
    (
        "Notifications",
        ["Notification", "Template", "Subscription", "Delivery attempt", "Preference"],
        ["Content designer", "Notification admin"],
    ),
    (
        "Reviews",
        ["Review", "Review vote", "Moderation case", "Question", "Answer"],
        ["Reviewer", "Moderator"],
    ),
    (
        "Analytics",
        ["Report", "Metric", "Dashboard", "Export job", "Segment"],
        ["Analyst", "Data steward"],
    ),
]

# verb, past participle, method of its route (None: no route, run by policies or workflows)
VERBS: list[tuple[str, str, str | None]] = [
    ("Create", "created", "POST"),
    ("Update", "updated", "PUT"),
    ("Approve", "approved", "POST"),
    ("Cancel", "cancelled", "DELETE"),
    ("Archive", "archived", None),
    ("Verify", "verified", None),
    ("Recalculate", "recalculated", None),
    ("Sync", "synced", None),
    ("Publish", "published", "POST"),
    ("Expire", "expired", None),
    ("Reopen", "reopened", "POST"),
    ("Flag", "flagged", None),
    ("Release", "released", None),
]
STATUSES = ["NEW", "ACTIVE", "PENDING", "DONE", "CANCELLED"]
EXTERNAL = [
    ("Stripe", "Payments"),
    ("Carrier gateway", "Shipping"),
    ("Supplier portal", "Inventory"),
    ("Email provider", "Notifications"),
    ("Tax service", "Pricing"),
    ("Marketplace feed", "Catalog"),
    ("Fraud screening", "Payments"),
    ("Review widget", "Reviews"),
    ("CRM", "Customers"),
    ("Data warehouse", "Analytics"),
]
SCHEDULES = [
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(1 day)",
    "cron(0 2 * * ? *)",
    "cron(0/15 * * * ? *)",
    "cron(0 9 ? * MON-FRI *)",
    "cron(30 3 1 * ? *)",
    "rate(12 hours)",
]
CONDITIONS = [
    "total > 1000",
    'status == "APPROVED"',
    "exists(coupon)",
    "items[0].quantity >= 10",
    "not express",
    "risk.score > 80 or risk.manual",
    'country != "US" and total > 250',
]
STATES_PER_WORKFLOW = (10, 26)


def states(steps: list[dict[str, Any]]) -> int:
    """How many states a list of steps makes, branches and map steps included."""
    total = len(steps)
    for step in steps:
        for branch in step.get("parallel", []):
            total += states(branch["steps"])
        if "map" in step:
            total += states(step["map"]["steps"])
    return total


def code(name: str) -> str:
    """The code name the model derives from a display name (``Order line`` → ``OrderLine``)."""
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", name))


def camel(name: str) -> str:
    c = code(name)
    return c[:1].lower() + c[1:]


def kebab(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


@dataclass
class Command:
    name: str
    rank: int
    context: int
    entity: str
    route: str | None
    events: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Builder:
    rng: random.Random
    commands: list[Command] = field(default_factory=list)
    event_rank: dict[str, int] = field(default_factory=dict)
    event_context: dict[str, int] = field(default_factory=dict)
    contexts: list[dict[str, Any]] = field(default_factory=list)
    loop: tuple[str, str] = ("", "")
    """The event and command of the one damped cycle between commands."""

    # --- entities -------------------------------------------------------------------------------

    def entities(
        self, c: int, nouns: list[str]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Five entities (a root and its children) and two access patterns for each."""
        rng = self.rng
        aggregates: list[dict[str, Any]] = []
        patterns: list[dict[str, Any]] = []
        root = nouns[0]
        for i, noun in enumerate(nouns):
            own = f"{camel(noun)}Id"
            attributes: dict[str, Any] = {
                own: "string",
                "status": f"enum({', '.join(STATUSES)})",
                "createdAt": "datetime",
                "updatedAt": "datetime?",
                "amount": "decimal",
                "quantity": "integer",
                "owner": "string",
                "tags": "list<string>",
                "version": "integer",
            }
            if i:
                attributes[f"{camel(root)}Id"] = "string"
            if i % 2:
                attributes["details"] = {
                    "type": "object",
                    "fields": {
                        "note": "string?",
                        "source": "enum(WEB, APP, API)",
                        "score": "number",
                    },
                }
            if i == 4:
                attributes["expiresAt"] = "datetime"
            aggregate: dict[str, Any] = {
                "name": noun,
                "description": f"{noun} of the {CONTEXTS[c][0]} context",
                "attributes": attributes,
                "item_size_kb": round(rng.uniform(0.5, 8), 1),
                "item_count": rng.choice([5_000, 50_000, 500_000, 5_000_000]),
                "growth_per_month": rng.choice([0, 1_000, 20_000, 250_000]),
            }
            if i == 0:
                aggregate["relationships"] = [{"entity": n} for n in nouns[1:3]]
                aggregate["relationships"].append({"entity": nouns[3], "kind": "many-to-many"})
            if i == 4:
                aggregate["ttl"] = "expiresAt"
            aggregates.append(aggregate)
            patterns.append(
                {
                    "name": f"{noun} by id",
                    "entity": noun,
                    "by": [own],
                    **({"consistency": "strong"} if i % 3 == 0 else {}),
                }
            )
            patterns.append(self.second_pattern(i, noun, root, nouns))
        return aggregates, patterns

    def second_pattern(self, i: int, noun: str, root: str, nouns: list[str]) -> dict[str, Any]:
        """A query, a filtered or sparse read, or a write: the shapes a table plan must serve."""
        rng = self.rng
        if i == 0:
            return {
                "name": f"{noun} with children",
                "entity": noun,
                "by": [f"{camel(noun)}Id"],
                "include": nouns[1:3],
            }
        shape = (i + len(noun)) % 4
        parent = f"{camel(root)}Id"
        if shape == 0:
            return {
                "name": f"{noun}s of {root.lower()}",
                "entity": noun,
                "by": [parent],
                "sort": "createdAt",
                "order": "desc",
                "range": rng.choice(["between", "ge", "begins_with"]),
                "requests_per_month": rng.choice([10_000, 200_000, 2_000_000]),
            }
        if shape == 1:
            return {
                "name": f"Open {noun.lower()}s by owner",
                "entity": noun,
                "by": ["owner"],
                "filters": {"status": "ACTIVE"},
                "sort": "createdAt",
            }
        if shape == 2:
            return {
                "name": f"Flagged {noun.lower()}s",
                "entity": noun,
                "exists": ["updatedAt"],
                "many": True,
            }
        return {
            "name": f"Save {noun.lower()}",
            "entity": noun,
            "action": rng.choice(["put", "update"]),
            "condition": rng.choice(["create-only", "version"]),
        }

    # --- commands and events --------------------------------------------------------------------

    def command_set(
        self, c: int, nouns: list[str], actors: list[str], patterns: list[dict]
    ) -> None:
        """Twelve or thirteen commands: verbs over the entities, each emitting its events."""
        rng = self.rng
        context_name = CONTEXTS[c][0]
        count = 13 if c < 6 else 12
        for k in range(count):
            noun = nouns[k % len(nouns)]
            verb, past, method = VERBS[(k + c) % len(VERBS)]
            name = f"{verb} {noun.lower()}"
            rank = len(self.commands)
            own = f"{camel(noun)}Id"
            data: dict[str, Any] = {
                "name": name,
                "description": f"{verb} a {noun.lower()} in {context_name}",
                "aggregate": noun,
                "input": {
                    own: "string",
                    "amount": "decimal?",
                    "note": {"type": "string", "optional": True, "description": "free text"},
                    "lines": {
                        "type": "list",
                        "items": {
                            "type": "object",
                            "fields": {"sku": "string", "quantity": "integer"},
                        },
                        "optional": True,
                    },
                },
            }
            route = None
            # Commands early in their context take the outside traffic; the rest are downstream.
            if method is not None and k < 8:
                base = f"/{kebab(context_name)}/{kebab(noun)}s"
                route = (
                    f"{method} {base}"
                    if verb == "Create"
                    else f"{method} {base}/{{{own}}}/{verb.lower()}"
                )
                if method == "PUT":
                    route = f"PUT {base}/{{{own}}}"
                data["route"] = route
                data["actors"] = [actors[k % 2]]
                data["workload"] = {
                    "requests_per_month": rng.choice([20_000, 150_000, 800_000, 3_000_000]),
                    "duration_ms": rng.choice([40, 80, 150, 300]),
                    "memory_mb": rng.choice([256, 512, 1024]),
                    "peak_factor": rng.choice([2, 3, 5, 10]),
                }
            else:
                data["workload"] = {
                    "duration_ms": rng.choice([60, 120, 500, 2000]),
                    "memory_mb": rng.choice([128, 512, 1769]),
                }
            mine = [p for p in patterns if p["entity"] == noun]
            data["access_patterns"] = [mine[0]["name"]]
            if any(p.get("action", "read") != "read" for p in mine):
                data["access_patterns"].append(mine[1]["name"])
            main = f"{noun} {past}"
            data["emits"] = [main]
            self.event_rank[main] = rank
            self.event_context[main] = c
            events = [main]
            if k % 4 == 1 or (k == 4 and c < 3):
                side = f"{noun} {past} late" if k == 4 else f"{verb} {noun.lower()} failed"
                data["emits"].append({"event": side, "probability": rng.choice([0.01, 0.05, 0.2])})
                self.event_rank[side] = rank
                self.event_context[side] = c
                events.append(side)
            if c == 2 and k == count - 1:
                # A damped loop: a retry that fails again three times in ten re-issues itself.
                again = f"{noun} {past} again"
                data["emits"].append({"event": again, "probability": 0.3})
                self.event_rank[again] = rank
                self.event_context[again] = c
                events.append(again)
                self.loop = (again, name)
            command = Command(name, rank, c, noun, route, events, data)
            self.commands.append(command)

    def event_data(self, name: str) -> dict[str, Any]:
        rng = self.rng
        noun_fields = {"id": "string", "occurredAt": "datetime", "amount": "decimal?"}
        if rng.random() < 0.4:
            noun_fields["changes"] = {"type": "map", "items": "string"}
        data: dict[str, Any] = {"name": name, "fields": noun_fields}
        if rng.random() < 0.2:
            data["version"] = 2
        if rng.random() < 0.3:
            data["size_kb"] = rng.choice([2, 8, 32])
        return data

    # --- policies -------------------------------------------------------------------------------

    def policies(self, workflows: list[tuple[int, str, int]]) -> list[list[dict[str, Any]]]:
        """120 policies to commands and one per workflow: each leads to a higher rank."""
        rng = self.rng
        by_context: list[list[dict[str, Any]]] = [[] for _ in CONTEXTS]
        events = sorted(self.event_rank, key=lambda e: (self.event_rank[e], e))
        targets = [cmd for cmd in self.commands if cmd.route is None]
        used: set[tuple[str, str]] = set()
        # External systems bring one policy each, and the damped loop one more.
        wanted = 150 - len(workflows) - len(EXTERNAL) - 1
        n = 0
        while n < wanted:
            target = targets[n % len(targets)]
            earlier = [e for e in events if self.event_rank[e] < target.rank]
            near = [e for e in earlier if abs(self.event_context[e] - target.context) <= 1]
            pool = near if near and rng.random() < 0.7 else earlier
            event = rng.choice(pool)
            if (event, target.name) in used:
                continue
            used.add((event, target.name))
            policy: dict[str, Any] = {
                "name": f"{target.name.capitalize()} when {event.lower()}",
                "event": event,
                "command": target.name,
            }
            if rng.random() < 0.25:
                policy["batch_size"] = rng.choice([1, 5, 25])
            if rng.random() < 0.1:
                policy["delivery"] = "direct"
            by_context[target.context].append(policy)
            n += 1
        again, retried = self.loop
        loop_owner = next(cmd for cmd in self.commands if cmd.name == retried)
        by_context[loop_owner.context].append(
            {
                "name": f"{retried.capitalize()} when {again.lower()}",
                "event": again,
                "command": retried,
            }
        )
        for c, name, rank in workflows:
            earlier = [
                e for e in events if self.event_rank[e] < rank and self.event_context[e] <= c
            ]
            event = earlier[-1 - rng.randrange(min(5, len(earlier)))]
            by_context[c].append(
                {
                    "name": f"Start {name.lower()} when {event.lower()}",
                    "event": event,
                    "workflow": name,
                }
            )
        return by_context

    # --- workflows ------------------------------------------------------------------------------

    def workflow(self, c: int, w: int, name: str, actors: list[str]) -> tuple[dict[str, Any], int]:
        """A workflow over the downstream commands of its context; returns it and its rank."""
        rng = self.rng
        own = [cmd for cmd in self.commands if cmd.context == c and cmd.route is None]
        workers = own[len(own) // 3 :] if w else own
        rank = min(cmd.rank for cmd in workers)
        names: set[str] = set()

        def unique(label: str) -> str:
            n, candidate = 1, label
            while candidate.lower() in names or code(candidate).lower() in {
                code(x).lower() for x in names
            }:
                n += 1
                candidate = f"{label} {n}"
            names.add(candidate.lower())
            return candidate

        def task(**more: Any) -> dict[str, Any]:
            cmd = rng.choice(workers)
            step: dict[str, Any] = {"name": unique(cmd.name.capitalize()), "task": cmd.name, **more}
            if rng.random() < 0.5:
                step["failure_rate"] = rng.choice([0.001, 0.01, 0.05])
            if rng.random() < 0.3:
                step["retry"] = {
                    "max_attempts": rng.choice([2, 3, 6]),
                    "interval_s": 1,
                    "backoff_rate": 2,
                }
            if rng.random() < 0.15:
                step["timeout_s"] = rng.choice([30, 300])
            return step

        def chain(length: int) -> list[dict[str, Any]]:
            return [task() for _ in range(length)]

        steps: list[dict[str, Any]] = []
        size = rng.randint(*STATES_PER_WORKFLOW) + (10 if w % 4 == 0 else 0)
        saga = w % 2 == 0
        while states(steps) < size:
            roll = rng.random()
            if roll < 0.45:
                step = task()
                if saga:
                    step["compensate"] = rng.choice(workers).name
                steps.append(step)
            elif roll < 0.58:
                # skip ahead: the branch jumps over the next task, the default runs it
                steps.append({"name": unique("Check"), "choice": [], "default": None})
            elif roll < 0.68:
                branches = [
                    {"name": f"Branch {b + 1}", "steps": chain(rng.randint(1, 3))}
                    for b in range(rng.randint(2, 3))
                ]
                steps.append({"name": unique("In parallel"), "parallel": branches})
            elif roll < 0.78:
                spec = {
                    "items": "$.lines",
                    "steps": chain(rng.randint(2, 4)),
                    "max_concurrency": rng.choice([0, 5, 40]),
                    "items_per_execution": rng.choice([3, 12, 250]),
                }
                if spec["items_per_execution"] > 100:
                    spec["mode"] = "distributed"
                steps.append({"name": unique("For each line"), "map": spec})
            elif roll < 0.86:
                steps.append(
                    {
                        "name": unique("Manager approval"),
                        "approval": {
                            "approver": actors[1],
                            "timeout_s": rng.choice([3600, 86_400]),
                            "rejection_rate": rng.choice([0.05, 0.2]),
                            "on_reject": "Rejected",
                        },
                    }
                )
            else:
                steps.append(
                    {"name": unique("Wait"), "wait": {"seconds": rng.choice([30, 600, 3600])}}
                )
        steps.append({"name": unique("Done"), "succeed": {}})
        names.add("rejected")
        steps.append(
            {"name": "Rejected", "fail": {"error": "Rejected", "cause": "a reviewer said no"}}
        )
        # Now that the steps are known, point choices forward and catches to the fail step.
        for i, step in enumerate(steps):
            if "choice" in step:
                later = [s["name"] for s in steps[i + 2 : -1]]
                step["default"] = steps[i + 1]["name"]
                step["choice"] = [
                    {
                        "when": rng.choice(CONDITIONS),
                        "next": rng.choice(later) if later else "Done",
                        "probability": rng.choice([0.1, 0.3, 0.5]),
                    }
                ]
            elif "task" in step and not saga and rng.random() < 0.2:
                step["on_error"] = [{"errors": ["States.TaskFailed"], "next": "Rejected"}]
        if w == 0:
            # A polling loop, damped by the chance that the status is ready.
            poll = task()
            steps[-2:-2] = [
                poll,
                {
                    "name": unique("Ready"),
                    "choice": [{"when": 'status == "READY"', "next": "Done", "probability": 0.6}],
                    "default": "Wait before polling",
                },
                {
                    "name": unique("Wait before polling"),
                    "wait": {"seconds": 60},
                    "next": poll["name"],
                },
            ]
        data: dict[str, Any] = {
            "name": name,
            "description": f"{'Saga' if saga else 'Process'} of the {CONTEXTS[c][0]} context",
            "steps": steps,
            "input": {"id": "string", "lines": "list<map<string>>?"},
        }
        if w % 5 == 3:
            data["type"] = "express"
        if w % 3 == 1:
            data["route"] = f"POST /{kebab(CONTEXTS[c][0])}/processes/{kebab(name)}"
            data["workload"] = {"requests_per_month": rng.choice([5_000, 60_000])}
        return data, rank

    # --- the whole design -----------------------------------------------------------------------

    def design(self) -> dict[str, Any]:
        rng = self.rng
        contexts: list[dict[str, Any]] = []
        all_patterns: list[list[dict[str, Any]]] = []
        for c, (name, nouns, actors) in enumerate(CONTEXTS):
            aggregates, patterns = self.entities(c, nouns)
            self.command_set(c, nouns, actors, patterns)
            all_patterns.append(patterns)
            contexts.append(
                {
                    "name": name,
                    "description": f"The {name.lower()} bounded context",
                    "actors": [{"name": a} for a in actors],
                    "aggregates": aggregates,
                    "access_patterns": patterns,
                }
            )
        # Twenty workflows: two in most contexts.
        workflows: list[tuple[int, str, int]] = []
        wf_data: list[list[dict[str, Any]]] = [[] for _ in CONTEXTS]
        for w in range(20):
            c = w % len(CONTEXTS) if w < 12 else (w * 5) % len(CONTEXTS)
            process = f"{CONTEXTS[c][1][0]} process {w + 1}"
            data, rank = self.workflow(c, w, process, CONTEXTS[c][2])
            wf_data[c].append(data)
            workflows.append((c, process, rank))
        policies = self.policies(workflows)
        externals: list[list[dict[str, Any]]] = [[] for _ in CONTEXTS]
        for x, (system, home) in enumerate(EXTERNAL):
            c = [n for n, *_ in CONTEXTS].index(home)
            event = f"{system} notified"
            self.event_rank[event] = -1
            self.event_context[event] = c
            consumer = rng.choice(
                [cmd for cmd in self.commands if cmd.context == c and cmd.route is None]
            )
            entry: dict[str, Any] = {
                "name": system,
                "workload": {"requests_per_month": rng.choice([10_000, 400_000])},
                "webhook": {
                    "route": f"POST /hooks/{kebab(system)}",
                    "signature": "hmac-sha256" if x % 3 else "hmac-sha1",
                    "emits": [event],
                },
            }
            if x % 2:
                entry["webhook"]["command"] = consumer.name
            entry["called_by"] = [
                rng.choice([cmd.name for cmd in self.commands if cmd.context == c])
            ]
            externals[c].append(entry)
            policies[c].append(
                {
                    "name": f"Handle {system.lower()} notice",
                    "event": event,
                    "command": consumer.name,
                }
            )
        for c, context in enumerate(contexts):
            mine = [cmd for cmd in self.commands if cmd.context == c]
            context["commands"] = [cmd.data for cmd in mine]
            context["events"] = [
                self.event_data(e)
                for e in sorted(self.event_rank, key=lambda e: (self.event_rank[e], e))
                if self.event_context[e] == c
            ]
            context["policies"] = policies[c]
            context["read_models"] = self.read_models(c, all_patterns[c])
            context["external_systems"] = externals[c]
            context["workflows"] = wf_data[c]
            context["schedules"] = self.schedules(c, mine, wf_data[c])
            context["sources"] = self.sources(c, mine)
            downstream = [cmd for cmd in mine if cmd.route is None]
            context["calls"] = (
                [
                    {
                        "caller": mine[0].name,
                        "callee": downstream[-1].name,
                        "calls_per_invocation": 1.5,
                    }
                ]
                if c % 3 == 0
                else []
            )
            if c % 4 == 0:
                context["hotspots"] = [
                    {
                        "name": f"Who owns {CONTEXTS[c][1][0].lower()} data?",
                        "about": CONTEXTS[c][1][0],
                    }
                ]
        return {
            "format": 1,
            "name": "Retail platform",
            "description": "A large online retailer, generated by bench/large_design.py",
            "settings": {"region": "eu-west-1", "api": {"type": "rest", "auth": "jwt"}},
            "contexts": [{k: v for k, v in ctx.items() if v != []} for ctx in contexts],
        }

    def read_models(self, c: int, patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        context_name, nouns, actors = CONTEXTS[c]
        reads = [p for p in patterns if p.get("action", "read") == "read"]
        models = []
        for i, pattern in enumerate(reads[:7]):
            params = [a for a in pattern.get("by", [])]
            path = f"/{kebab(context_name)}/views/{kebab(pattern['name'])}"
            path += "".join(f"/{{{p}}}" for p in params)
            model: dict[str, Any] = {
                "name": f"{pattern['name']} view",
                "route": f"GET {path}",
                "actors": [actors[i % 2]],
                "fields": {
                    "items": {
                        "type": "list",
                        "items": {"type": "object", "fields": {"id": "string", "status": "string"}},
                    },
                    "next": "string?",
                },
                "access_patterns": [pattern["name"]],
            }
            if "requests_per_month" not in pattern:
                model["workload"] = {
                    "requests_per_month": rng.choice([50_000, 1_000_000, 8_000_000]),
                    "latency_sensitive": i % 2 == 0,
                }
            models.append(model)
        return models

    def schedules(self, c: int, mine: list[Command], workflows: list[dict[str, Any]]) -> list[dict]:
        rng = self.rng
        downstream = [cmd for cmd in mine if cmd.route is None]
        schedules: list[dict[str, Any]] = [
            {
                "name": f"{CONTEXTS[c][0]} housekeeping",
                "expression": SCHEDULES[c % len(SCHEDULES)],
                "command": rng.choice(downstream).name,
                **({"timezone": "Europe/Paris"} if c % 2 else {}),
            }
        ]
        if workflows and c % 3 == 2:
            schedules.append(
                {
                    "name": f"{CONTEXTS[c][0]} nightly run",
                    "expression": "cron(15 1 * * ? *)",
                    "workflow": workflows[0]["name"],
                }
            )
        return schedules

    def sources(self, c: int, mine: list[Command]) -> list[dict[str, Any]]:
        downstream = [cmd for cmd in mine if cmd.route is None]
        kind = ("bucket", "table-stream", "kinesis")[c % 3]
        source: dict[str, Any] = {
            "name": f"{CONTEXTS[c][0]} {('uploads', 'changes', 'clickstream')[c % 3]}",
            "kind": kind,
            "consumer": downstream[0].name,
            "workload": {"requests_per_month": self.rng.choice([10_000, 2_000_000, 40_000_000])},
        }
        if kind != "bucket":
            source["batch_size"] = (100, 500)[c % 2]
            source["batch_window_s"] = 5
        else:
            source["prefix"] = "incoming/"
            source["suffix"] = ".csv"
        return [source]


def make_large_design(seed: int = 7) -> str:
    """The storm-file text of the large design for ``seed`` (the same seed, the same text)."""
    return dump_yaml(Builder(random.Random(seed)).design())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sys.stdout.write(make_large_design(args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
