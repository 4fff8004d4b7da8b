"""The functions a design deploys: one per command and read model, with what triggers each."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from app.model import ValidDesign
from app.model.base import Workload, route_parts
from app.model.elements import Command, Policy, ReadModel, Schedule, Source
from app.model.index import Entry

API_TIMEOUT_CAP_S = 24
"""Five seconds below API Gateway's 29 s integration timeout."""
MAX_TIMEOUT_S = 900
LIVE_ALIAS = "live"
"""The alias every function publishes (``AutoPublishAlias``); callers such as state machines
invoke it, so a canary deployment's traffic shifting covers them too."""


@dataclass(frozen=True)
class Trigger:
    """What invokes a function: an API route, a queue, a rule, a schedule, a source, a workflow."""

    kind: str  # api | queue | rule | schedule | bucket | table-stream | kinesis | workflow
    code: str  # code of the policy, schedule, source or workflow ('' for api)
    method: str = ""
    path: str = ""
    event: str = ""  # the event code a policy reacts to
    batch_size: int = 10
    batch_window_s: int = 0
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class FunctionPlan:
    """One function of the export and everything the template and the handler need of it."""

    code: str
    kind: str  # command | query
    element_id: str
    name: str
    description: str
    context: str
    folder: str  # src/<context>/<function>
    workload: Workload
    timeout_s: int
    aggregate: str | None
    patterns: tuple[str, ...]
    emits: tuple[str, ...]
    triggers: tuple[Trigger, ...] = field(default=())

    @property
    def logical_id(self) -> str:
        return f"{self.code}Function"

    @property
    def route(self) -> Trigger | None:
        return next((t for t in self.triggers if t.kind == "api"), None)

    @property
    def streams(self) -> list[Trigger]:
        return [t for t in self.triggers if t.kind in ("table-stream", "kinesis")]

    @property
    def queues(self) -> list[Trigger]:
        return [t for t in self.triggers if t.kind == "queue"]


def snake(code: str) -> str:
    """``PlaceOrder`` → ``place_order`` (codes are ASCII letters and digits only)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", code).lower()


def timeout_s(workload: Workload, api: bool) -> int:
    """Whole seconds with the p99 at or below 75% of the timeout (at most 24 s behind the API)."""
    if workload.overrides.timeout_s is not None:
        return workload.overrides.timeout_s
    seconds = max(1, math.ceil(workload.p99 * 4 / 3 / 1000))
    return min(seconds, API_TIMEOUT_CAP_S if api else MAX_TIMEOUT_S)


def _context(valid: ValidDesign, entry: Entry) -> str:
    return valid.code(entry.context) if entry.context is not None else "Shared"


def _triggers(valid: ValidDesign) -> dict[str, list[Trigger]]:
    found: dict[str, list[Trigger]] = {}

    def add(target: Entry | None, trigger: Trigger) -> None:
        if target is not None:
            found.setdefault(target.id, []).append(trigger)

    for entry in valid.of_kind("policies"):
        policy = entry.element
        assert isinstance(policy, Policy)
        if policy.command is None:
            continue
        event = valid.target(policy, "event")
        kind = "queue" if policy.delivery == "queue" else "rule"
        add(
            valid.target(policy, "command"),
            Trigger(
                kind,
                valid.code(policy),
                event=valid.code(event.element) if event else "",
                batch_size=min(policy.batch_size, 10),
            ),
        )
    for entry in valid.of_kind("schedules"):
        schedule = entry.element
        assert isinstance(schedule, Schedule)
        if schedule.command is not None:
            add(valid.target(schedule, "command"), Trigger("schedule", valid.code(schedule)))
    for entry in valid.of_kind("sources"):
        source = entry.element
        assert isinstance(source, Source)
        add(
            valid.target(source, "consumer"),
            Trigger(
                source.kind,
                valid.code(source),
                batch_size=source.batch_size,
                batch_window_s=source.batch_window_s,
                prefix=source.prefix,
                suffix=source.suffix,
            ),
        )
    for step in valid.of_kind("steps"):
        for target in (
            valid.target(step.element, "task"),
            valid.target(step.element, "compensate"),
        ):
            if target is not None and step.workflow is not None:
                trigger = Trigger("workflow", valid.code(step.workflow))
                if trigger not in found.get(target.id, []):
                    add(target, trigger)
    return found


def plan_functions(valid: ValidDesign) -> list[FunctionPlan]:
    """Every function of the export, commands first then queries, in file order."""
    return valid.derived("sam-functions", _plan_functions)


def _plan_functions(valid: ValidDesign) -> list[FunctionPlan]:
    triggers = _triggers(valid)
    plans: list[FunctionPlan] = []
    used: set[str] = set()
    for kind, label in (("commands", "command"), ("read_models", "query")):
        for entry in valid.of_kind(kind):
            element = entry.element
            assert isinstance(element, (Command, ReadModel))
            code, context = valid.code(element), _context(valid, entry)
            if code.lower() in used:  # codes are unique per kind: a query may share a command's
                code += "Query"
            used.add(code.lower())
            own = list(triggers.get(entry.id, []))
            if element.route is not None:
                method, path = route_parts(element.route)
                own.insert(0, Trigger("api", "", method=method, path=path))
            aggregate = valid.target(element, "aggregate") if label == "command" else None
            emits = valid.targets(element, "emits") if label == "command" else []
            plans.append(
                FunctionPlan(
                    code=code,
                    kind=label,
                    element_id=entry.id,
                    name=element.name,
                    description=element.description,
                    context=context,
                    folder=f"src/{snake(context)}/{snake(code)}",
                    workload=element.workload,
                    timeout_s=timeout_s(element.workload, element.route is not None),
                    aggregate=valid.code(aggregate.element) if aggregate else None,
                    patterns=tuple(
                        valid.code(p.element) for p in valid.targets(element, "access_patterns")
                    ),
                    emits=tuple(dict.fromkeys(valid.code(e.element) for e in emits)),
                    triggers=tuple(own),
                )
            )
    return plans
