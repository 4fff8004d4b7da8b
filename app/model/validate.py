"""Semantic validation of a design: ids, code names, references, routes and ranges.

``check_design`` reports every problem at once, each located by a path into the design, and on
success returns a ``ValidDesign`` with every reference resolved to the element it names.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from app.model.base import Element, route_params
from app.model.codes import CodeNameError
from app.model.elements import (
    KINDS,
    SINGULAR,
    AccessPattern,
    Aggregate,
    Command,
    Design,
    Emit,
    ExternalSystem,
    Hotspot,
    Policy,
    ReadModel,
    Schedule,
    Source,
)
from app.model.errors import DesignError, Loc, Problem, format_loc
from app.model.index import Entry, Lookup, effective_code, iter_elements
from app.model.workflow import (
    ApprovalStep,
    ChoiceStep,
    ResilientStep,
    ServiceStep,
    StepBase,
    TaskStep,
    Workflow,
)

if TYPE_CHECKING:
    from app.model.traffic import Traffic

T = TypeVar("T")

_SERVICE_TARGETS = {
    "dynamodb": ("aggregates",),
    "events": ("events",),
    "lambda": ("commands", "read_models"),
}
FUNCTION_KINDS = ("commands", "read_models")
ALL_KINDS = ("contexts", *KINDS)


class ValidDesign:
    """A design that passed validation: every element findable, every reference resolved.

    Generators take this, not the bare design.
    """

    def __init__(self, design: Design) -> None:
        self.design = design
        self.entries: dict[str, Entry] = {}
        self.codes: dict[str, str] = {}
        self.by_kind: dict[str, list[Entry]] = {}
        self.links: dict[tuple[str, str], list[Entry]] = {}
        self._derived: dict[str, object] = {}

    @cached_property
    def traffic(self) -> Traffic:
        """Monthly volumes and peak rates along the model (see ``app.model.traffic``)."""
        from app.model.traffic import compute_traffic

        return compute_traffic(self)

    def derived(self, name: str, compute: Callable[[ValidDesign], T]) -> T:
        """A value computed from this design once and kept with it (the table plan, …).

        Generators are pure functions of the design, so every caller gets the same value.
        """
        if name not in self._derived:
            self._derived[name] = compute(self)
        return cast(T, self._derived[name])

    def of_kind(self, kind: str) -> list[Entry]:
        """Entries of one kind (``commands``, ``events``, …) in file order."""
        return self.by_kind.get(kind, [])

    def code(self, element: Element | str) -> str:
        """The code name of an element (or of the element with this id)."""
        return self.codes[element if isinstance(element, str) else element.id or ""]

    def target(self, owner: Element, field: str) -> Entry | None:
        """The element a single reference of ``owner`` names (None when it names nothing)."""
        found = self.links.get((owner.id or "", field))
        return found[0] if found else None

    def targets(self, owner: Element, field: str) -> list[Entry]:
        """The elements a list of references of ``owner`` names, in the order written."""
        return self.links.get((owner.id or "", field), [])

    def entry(self, element_id: str) -> Entry:
        return self.entries[element_id]


class _Checker:
    def __init__(self, design: Design, raw: Any) -> None:
        self.design = design
        self.given_raw = raw
        self.index = ValidDesign(design)
        self.problems: list[Problem] = []
        self.lookups: dict[tuple[str, ...], Lookup] = {}

    @cached_property
    def raw(self) -> Any:
        """The data paths are read from: as given, else the design's dump (only made when a
        problem needs a path: dumping a large design costs more than checking it)."""
        if self.given_raw is not None:
            return self.given_raw
        return self.design.model_dump(mode="json", by_alias=True)

    @cached_property
    def steps_of(self) -> dict[str, list[Entry]]:
        """The steps of each workflow (by the workflow's id), in file order."""
        found: dict[str, list[Entry]] = {}
        for step in self.index.of_kind("steps"):
            if step.workflow is not None:
                found.setdefault(step.workflow.id or "", []).append(step)
        return found

    def problem(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(format_loc(loc, self.raw), message, loc=loc))

    def run(self) -> ValidDesign:
        self.register()
        self.check_settings()
        for entry in list(self.index.entries.values()):
            checker = getattr(self, f"check_{entry.kind}", None)
            if checker is not None:
                checker(entry)
        self.check_routes()
        self.check_layout()
        if self.problems:
            raise DesignError(self.problems)
        return self.index

    # --- identity -----------------------------------------------------------------------------

    def register(self) -> None:
        index = self.index
        seen_codes: dict[tuple[str, str], Entry] = {}
        for entry in iter_elements(self.design):
            if entry.id in index.entries:
                other = index.entries[entry.id]
                self.problem(
                    (*entry.loc, "id"),
                    f"the id '{entry.id}' is also used by {format_loc(other.loc, self.raw)}",
                )
                continue
            index.entries[entry.id] = entry
            index.by_kind.setdefault(entry.kind, []).append(entry)
            try:
                code = effective_code(entry.element)
            except CodeNameError as exc:
                self.problem((*entry.loc, "name"), str(exc))
                code = f"_{entry.id}"
            index.codes[entry.id] = code
            # Code names are unique per kind across the design; steps only within a workflow.
            scope = entry.workflow.id or "" if entry.workflow else ""
            key = (f"{entry.kind}:{scope}", code.lower())
            if key in seen_codes and not code.startswith("_"):
                first = seen_codes[key]
                kind, where = SINGULAR[entry.kind], format_loc(first.loc, self.raw)
                if first.element.name == entry.element.name:
                    message = (
                        f"the name '{entry.element.name}' is already used by an earlier {kind} "
                        f"({where}); give each {kind} its own name"
                    )
                else:
                    message = (
                        f"the code name '{code}' is already used by the {kind} at {where}; "
                        "set a distinct 'code'"
                    )
                self.problem((*entry.loc, "code" if entry.element.code else "name"), message)
            seen_codes.setdefault(key, entry)

    def lookup(self, kinds: tuple[str, ...]) -> Lookup:
        if kinds not in self.lookups:
            found = Lookup(kinds)
            for kind in kinds:
                for entry in self.index.of_kind(kind):
                    found.add(entry, self.index.codes[entry.id])
            self.lookups[kinds] = found
        return self.lookups[kinds]

    def resolve(self, text: str, kinds: tuple[str, ...], loc: Loc) -> Entry | None:
        lookup = self.lookup(kinds)
        found = lookup.find(text)
        if len(found) == 1:
            return found[0]
        if not found:
            hint = lookup.suggest(text)
            extra = f" — did you mean '{hint}'?" if hint else ""
            self.problem(loc, f"unknown {lookup.describe()} '{text}'{extra}")
        else:
            where = ", ".join(format_loc(e.loc, self.raw) for e in found)
            self.problem(
                loc,
                f"'{text}' matches more than one {lookup.describe()} ({where}); "
                "refer to it by its code or id",
            )
        return None

    def link(
        self, owner: Entry, field: str, refs: Iterable[tuple[str, Loc]], kinds: tuple[str, ...]
    ) -> list[Entry]:
        resolved = [e for text, loc in refs if (e := self.resolve(text, kinds, loc)) is not None]
        self.index.links[(owner.id, field)] = resolved
        return resolved

    def link_one(
        self, owner: Entry, field: str, text: str | None, kinds: tuple[str, ...]
    ) -> Entry | None:
        if text is None:
            return None
        found = self.link(owner, field, [(text, (*owner.loc, field))], kinds)
        return found[0] if found else None

    def link_list(
        self, owner: Entry, field: str, texts: list[str], kinds: tuple[str, ...]
    ) -> list[Entry]:
        return self.link(
            owner, field, [(t, (*owner.loc, field, i)) for i, t in enumerate(texts)], kinds
        )

    def link_emits(self, owner: Entry, field: str, emits: list[Emit], loc: Loc) -> None:
        refs = [(e.event, (*loc, i, "event")) for i, e in enumerate(emits)]
        self.link(owner, field, refs, ("events",))

    # --- per kind -----------------------------------------------------------------------------

    def check_settings(self) -> None:
        api = self.design.settings.api
        if api.auth == "api-key" and api.type == "http":
            self.problem(
                ("settings", "api", "auth"),
                "API keys and usage plans need a REST API; "
                "set settings.api.type to 'rest' or choose another authentication",
            )

    def check_commands(self, entry: Entry) -> None:
        command = entry.element
        assert isinstance(command, Command)
        self.link_list(entry, "actors", command.actors, ("actors",))
        self.link_one(entry, "aggregate", command.aggregate, ("aggregates",))
        self.link_emits(entry, "emits", command.emits, (*entry.loc, "emits"))
        self.link_list(entry, "access_patterns", command.access_patterns, ("access_patterns",))
        if command.route:
            for param in route_params(command.route):
                if param not in command.input:
                    self.problem(
                        (*entry.loc, "route"),
                        f"the route parameter '{param}' is not an input field",
                    )
        self.check_workload(entry, command.workload)

    def check_read_models(self, entry: Entry) -> None:
        model = entry.element
        assert isinstance(model, ReadModel)
        self.link_list(entry, "actors", model.actors, ("actors",))
        patterns = self.link_list(
            entry, "access_patterns", model.access_patterns, ("access_patterns",)
        )
        for i, pattern in enumerate(patterns):
            if isinstance(pattern.element, AccessPattern) and pattern.element.action != "read":
                self.problem(
                    (*entry.loc, "access_patterns", i),
                    f"'{pattern.element.name}' is a write; a read model only reads",
                )
        self.check_workload(entry, model.workload)

    def check_aggregates(self, entry: Entry) -> None:
        aggregate = entry.element
        assert isinstance(aggregate, Aggregate)
        refs = [
            (r.entity, (*entry.loc, "relationships", i, "entity"))
            for i, r in enumerate(aggregate.relationships)
        ]
        self.link(entry, "relationships", refs, ("aggregates",))
        for identifier in identifiers_of(aggregate, self.index.codes[entry.id]):
            if identifier not in aggregate.attributes:
                where = "identifier" if aggregate.identifier else "attributes"
                self.problem(
                    (*entry.loc, where),
                    f"the identifier '{identifier}' is not an attribute"
                    " (add it to attributes or set 'identifier')",
                )
        if aggregate.ttl is not None:
            ttl = aggregate.attributes.get(aggregate.ttl)
            if ttl is None:
                self.problem(
                    (*entry.loc, "ttl"), f"the TTL attribute '{aggregate.ttl}' is not an attribute"
                )
            elif ttl.type not in ("datetime", "integer", "number"):
                self.problem(
                    (*entry.loc, "ttl"),
                    "the TTL attribute must be a datetime or an "
                    f"epoch-seconds number, not {ttl.type}",
                )

    def check_access_patterns(self, entry: Entry) -> None:
        pattern = entry.element
        assert isinstance(pattern, AccessPattern)
        entity = self.link_one(entry, "entity", pattern.entity, ("aggregates",))
        included = self.link_list(entry, "include", pattern.include, ("aggregates",))
        if entity is None or not isinstance(entity.element, Aggregate):
            return
        aggregate = entity.element
        attributes = aggregate.attributes
        for key in ("by", "exists"):
            for i, name in enumerate(getattr(pattern, key)):
                if name not in attributes:
                    self.unknown_attribute((*entry.loc, key, i), name, aggregate)
        for name in pattern.filters:
            if name not in attributes:
                self.unknown_attribute((*entry.loc, "filters", name), name, aggregate)
            elif attributes[name].type in ("list", "map", "object"):
                self.problem(
                    (*entry.loc, "filters", name), "a constant filter needs a scalar attribute"
                )
        if pattern.sort is not None and pattern.sort not in attributes:
            self.unknown_attribute((*entry.loc, "sort"), pattern.sort, aggregate)
        children = {e.id for e in self.index.links.get((entity.id, "relationships"), [])}
        for i, child in enumerate(included):
            if child.id not in children:
                self.problem(
                    (*entry.loc, "include", i),
                    f"'{child.element.name}' is not related to '{aggregate.name}'; "
                    "add a relationship to include it",
                )
        if pattern.consistency == "strong" and pattern.action != "read":
            self.problem((*entry.loc, "consistency"), "consistency only applies to reads")

    def unknown_attribute(self, loc: Loc, name: str, aggregate: Aggregate) -> None:
        close = difflib.get_close_matches(name, list(aggregate.attributes), n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        self.problem(loc, f"'{aggregate.name}' has no attribute '{name}'{hint}")

    def check_policies(self, entry: Entry) -> None:
        policy = entry.element
        assert isinstance(policy, Policy)
        self.link_one(entry, "event", policy.event, ("events",))
        self.link_one(entry, "command", policy.command, ("commands",))
        self.link_one(entry, "workflow", policy.workflow, ("workflows",))
        self.check_workload(entry, policy.workload)

    def check_external_systems(self, entry: Entry) -> None:
        system = entry.element
        assert isinstance(system, ExternalSystem)
        self.link_emits(entry, "emits", system.emits, (*entry.loc, "emits"))
        self.link_list(entry, "called_by", system.called_by, FUNCTION_KINDS)
        if system.webhook is not None:
            loc = (*entry.loc, "webhook")
            self.link_emits(entry, "webhook.emits", system.webhook.emits, (*loc, "emits"))
            if system.webhook.command is not None:
                self.link(
                    entry,
                    "webhook.command",
                    [(system.webhook.command, (*loc, "command"))],
                    ("commands",),
                )
        self.check_workload(entry, system.workload)

    def check_calls(self, entry: Entry) -> None:
        call = entry.element
        caller = self.link_one(entry, "caller", call.caller, FUNCTION_KINDS)  # type: ignore[attr-defined]
        callee = self.link_one(entry, "callee", call.callee, FUNCTION_KINDS)  # type: ignore[attr-defined]
        if caller is not None and callee is not None and caller.id == callee.id:
            self.problem((*entry.loc, "callee"), "a function cannot call itself")

    def check_schedules(self, entry: Entry) -> None:
        schedule = entry.element
        assert isinstance(schedule, Schedule)
        self.link_one(entry, "command", schedule.command, ("commands",))
        self.link_one(entry, "workflow", schedule.workflow, ("workflows",))
        self.check_workload(entry, schedule.workload)

    def check_sources(self, entry: Entry) -> None:
        source = entry.element
        assert isinstance(source, Source)
        self.link_one(entry, "consumer", source.consumer, ("commands",))
        if source.kind == "bucket" and source.batch_size != 10 and source.batch_size != 1:
            self.problem(
                (*entry.loc, "batch_size"),
                "bucket notifications arrive one object at a time; remove batch_size",
            )
        self.check_workload(entry, source.workload)

    def check_hotspots(self, entry: Entry) -> None:
        hotspot = entry.element
        assert isinstance(hotspot, Hotspot)
        self.link_one(entry, "about", hotspot.about, ALL_KINDS)

    def check_workflows(self, entry: Entry) -> None:
        workflow = entry.element
        assert isinstance(workflow, Workflow)
        self.check_workload(entry, workflow.workload)
        names: dict[str, Entry] = {}
        steps = self.steps_of.get(entry.id, [])
        for step in steps:
            names.setdefault(step.element.name, step)
        scopes: dict[Loc, set[str]] = {}
        for step in steps:
            scopes.setdefault(step.scope, set()).add(step.element.name)
        for step in steps:
            self.check_step(step, scopes[step.scope])

    def check_step(self, entry: Entry, scope: set[str]) -> None:
        step = entry.element
        assert isinstance(step, StepBase)
        loc = entry.loc

        def target(name: str | None, where: Loc) -> None:
            if name is not None and name not in scope:
                self.problem(
                    where,
                    f"no step named '{name}' in the same branch"
                    + (
                        " (a step can only go to steps of its own branch)"
                        if any(
                            name == e.element.name
                            for e in self.index.of_kind("steps")
                            if e.workflow is entry.workflow
                        )
                        else ""
                    ),
                )

        target(step.next, (*loc, "next"))
        if isinstance(step, ResilientStep):
            for i, catch in enumerate(step.on_error):
                target(catch.next, (*loc, "on_error", i, "next"))
        if isinstance(step, TaskStep):
            self.link_one(entry, "task", step.task, FUNCTION_KINDS)
            self.link_one(entry, "compensate", step.compensate, ("commands",))
            self.check_workload(entry, step.workload)
        elif isinstance(step, ServiceStep):
            service = step.service.split(":")[0]
            kinds = _SERVICE_TARGETS.get(service)
            if kinds and step.target is None:
                self.problem(
                    (*loc, "target"),
                    f"{step.service} needs a 'target' ({' or '.join(SINGULAR[k] for k in kinds)})",
                )
            elif kinds:
                self.link_one(entry, "target", step.target, kinds)
            self.link_one(entry, "compensate", step.compensate, ("commands",))
        elif isinstance(step, ChoiceStep):
            for i, branch in enumerate(step.choice):
                target(branch.next, (*loc, "choice", i, "next"))
            target(step.default, (*loc, "default"))
            total = sum(b.probability or 0 for b in step.choice)
            if total > 1 + 1e-9:
                self.problem(
                    (*loc, "choice"), f"the branch probabilities add up to {total:g}, more than 1"
                )
        elif isinstance(step, ApprovalStep):
            spec = step.approval
            self.link(
                entry, "approver", [(spec.approver, (*loc, "approval", "approver"))], ("actors",)
            )
            target(spec.on_reject, (*loc, "approval", "on_reject"))
            target(spec.on_timeout, (*loc, "approval", "on_timeout"))
            if spec.heartbeat_s is not None and spec.heartbeat_s >= spec.timeout_s:
                self.problem(
                    (*loc, "approval", "heartbeat_s"),
                    "the heartbeat must be shorter than the timeout",
                )

    def check_workload(self, entry: Entry, workload: Any) -> None:
        if workload.p99_ms is not None and workload.p99_ms < workload.duration_ms:
            self.problem(
                (*entry.loc, "workload", "p99_ms"),
                "the p99 duration cannot be below the average duration",
            )

    # --- across elements ----------------------------------------------------------------------

    def check_routes(self) -> None:
        seen: dict[str, Loc] = {}
        for kind in ("commands", "read_models", "workflows"):
            for entry in self.index.of_kind(kind):
                route = getattr(entry.element, "route", None)
                if route:
                    self.claim_route(route, (*entry.loc, "route"), seen)
        for entry in self.index.of_kind("external_systems"):
            webhook = entry.element.webhook  # type: ignore[attr-defined]
            if webhook is not None:
                self.claim_route(webhook.route, (*entry.loc, "webhook", "route"), seen)

    def claim_route(self, route: str, loc: Loc, seen: dict[str, Loc]) -> None:
        method, path = route.split(" ", 1)
        shape = f"{method} " + "/".join("{}" if p.startswith("{") else p for p in path.split("/"))
        if shape in seen:
            self.problem(
                loc,
                f"the route '{route}' is also served by {format_loc(seen[shape][:-1], self.raw)}",
            )
        else:
            seen[shape] = loc

    def check_layout(self) -> None:
        for element_id in self.design.layout.positions:
            if element_id not in self.index.entries:
                self.problem(("layout", "positions", element_id), "no element has this id")
        known = set(self.index.entries) | {self.design.id}
        for i, accepted in enumerate(self.design.accepted_findings):
            if accepted.element not in known:
                self.problem(("accepted_findings", i, "element"), "no element has this id")


def identifiers_of(aggregate: Aggregate, code: str) -> list[str]:
    """The identifying attributes of an entity: explicit (one, or several for a composite
    identity such as ``[productId, warehouseId]``), or ``<code>Id`` in camelCase."""
    if isinstance(aggregate.identifier, list):
        return list(aggregate.identifier)
    return [aggregate.identifier or default_identifier(code)]


def default_identifier(code: str) -> str:
    """An entity's identifier when it names none: ``<code>Id`` in camelCase."""
    return code[:1].lower() + code[1:] + "Id"


def check_design(design: Design, raw: Any = None) -> ValidDesign:
    """Validate a design's meaning; raise DesignError listing every problem, located.

    ``raw`` is the data the design was read from (for readable paths); by default the design's
    own dump.
    """
    return _Checker(design, raw).run()


__all__ = ["ValidDesign", "check_design", "identifiers_of"]
