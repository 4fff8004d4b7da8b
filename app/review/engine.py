"""The review engine: rules as small classes, the context they see, a registry that finds them.

A rule's class attributes are its contract: ``id``, ``title``, ``severity``, ``topic`` and what
it ``needs`` beyond the design (a table plan, a cost estimate…). Its explanation and thresholds
are data in ``catalog/rules/<id>.yaml``. Rules live one per module under
``app/review/rules/<topic>/`` and are discovered by package.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any, ClassVar, Literal

from app.model import ValidDesign
from app.model.base import Workload
from app.model.errors import Loc
from app.model.index import Entry
from app.review.catalog_view import Limit, RuleText

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
FUNCTION_WORKLOAD_KINDS = (
    "commands",
    "read_models",
    "policies",
    "sources",
    "schedules",
    "external_systems",
    "steps",
)
"""Kinds whose workload describes a function run (task steps among the steps)."""
Provider = Callable[[ValidDesign], object]
"""Computes something a rule needs beyond the design (``table_plan``, ``cost_estimate``…)."""


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: which rule, how bad, which element, where, and what, in words."""

    rule: str
    severity: Severity
    topic: str
    element: str
    path: str
    message: str

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (SEVERITIES.index(self.severity), self.path, self.rule, self.element, self.message)

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "topic": self.topic,
            "element": self.element,
            "path": self.path,
            "message": self.message,
        }


def readable_path(valid: ValidDesign, loc: Loc) -> str:
    """A loc in the design as a readable path: list items by name (``contexts.Ordering``)."""
    parts: list[str] = []
    node: Any = valid.design
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            name = getattr(item, "name", None)
            parts.append(f".{name}" if isinstance(name, str) and name else f"[{key}]")
            node = item
        else:
            parts.append(f".{key}")
            node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
    return "".join(parts).lstrip(".")


class ReviewContext:
    """What a rule sees: the validated design, limits, and whatever providers computed."""

    def __init__(
        self,
        valid: ValidDesign,
        limits: Mapping[str, Limit],
        provided: Mapping[str, object] | None = None,
    ) -> None:
        self.valid = valid
        self.design = valid.design
        self.limits = limits
        self.provided = provided if provided is not None else {}

    def limit(self, key: str) -> float:
        """The value of a dated service limit from ``catalog/limits.yaml``."""
        return self.limits[key].value

    def path(self, entry: Entry | None, *fields: str | int) -> str:
        """The readable path of an element (or the design, for None) and a field inside it."""
        return readable_path(self.valid, (*(entry.loc if entry else ()), *fields))

    @cached_property
    def functions(self) -> list[Entry]:
        """Entries that become a function: commands and read models."""
        return [*self.valid.of_kind("commands"), *self.valid.of_kind("read_models")]

    @cached_property
    def function_workloads(self) -> list[tuple[Entry, Workload]]:
        """Elements that run a function, with the workload (and overrides) the design gave it."""
        found = []
        for kind in FUNCTION_WORKLOAD_KINDS:
            for entry in self.valid.of_kind(kind):
                workload = getattr(entry.element, "workload", None)
                if isinstance(workload, Workload):
                    found.append((entry, workload))
        return found

    @cached_property
    def policies_by_event(self) -> dict[str, list[Entry]]:
        """Policies keyed by the id of the event they react to."""
        found: dict[str, list[Entry]] = {}
        for policy in self.valid.of_kind("policies"):
            event = self.valid.target(policy.element, "event")
            if event is not None:
                found.setdefault(event.id, []).append(policy)
        return found

    @cached_property
    def workflow_commands(self) -> set[str]:
        """Ids of commands a workflow step runs or compensates with."""
        found: set[str] = set()
        for step in self.valid.of_kind("steps"):
            for field in ("task", "compensate", "target"):
                target = self.valid.target(step.element, field)
                if target is not None:
                    found.add(target.id)
        return found


class Rule:
    """A design review rule. Subclasses set the class attributes and implement ``check``."""

    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    topic: ClassVar[str]
    needs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, text: RuleText) -> None:
        self.text = text

    def threshold(self, name: str) -> Any:
        """A threshold of this rule from its catalog text (KeyError names a catalog gap)."""
        try:
            return self.text.thresholds[name]
        except KeyError:
            raise KeyError(f"catalog/rules/{self.id}.yaml has no threshold {name!r}") from None

    def check(self, ctx: ReviewContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self, ctx: ReviewContext, entry: Entry | None, message: str, *fields: str | int
    ) -> Finding:
        """A finding about ``entry`` (None: the design itself) at one of its fields."""
        element = entry.id if entry is not None else ctx.design.id or ""
        return Finding(
            self.id, self.severity, self.topic, element, ctx.path(entry, *fields), message
        )


class DuplicateRuleError(ValueError):
    """Two rules claim the same id."""


class Registry:
    """Rules by id; refuses a second rule with an id already taken."""

    def __init__(self) -> None:
        self._rules: dict[str, type[Rule]] = {}

    def add(self, rule: type[Rule]) -> type[Rule]:
        if rule.id in self._rules:
            other = self._rules[rule.id]
            raise DuplicateRuleError(
                f"rule id {rule.id!r} is used by {other.__module__}.{other.__qualname__} "
                f"and {rule.__module__}.{rule.__qualname__}"
            )
        self._rules[rule.id] = rule
        return rule

    def __iter__(self) -> Iterator[type[Rule]]:
        return iter(self._rules[key] for key in sorted(self._rules))

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> type[Rule]:
        return self._rules[rule_id]


def rules_in(module: ModuleType) -> list[type[Rule]]:
    """The rule classes a module defines (not those it imports)."""
    return [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__
    ]


def discover(package: ModuleType) -> Registry:
    """Import every module under ``package`` and register the rules each defines."""
    registry = Registry()
    prefix = package.__name__ + "."
    for info in sorted(pkgutil.walk_packages(package.__path__, prefix), key=lambda i: i.name):
        if info.ispkg:
            continue
        for rule in rules_in(importlib.import_module(info.name)):
            registry.add(rule)
    return registry
