"""The starter designs in catalog/starters: valid, realistic in size, stable and fully reached by
traffic. Together they show every kind of workflow step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.model import ValidDesign, dump_design, load_design
from app.model.index import iter_steps
from app.model.workflow import ApprovalStep, MapStep, ResilientStep, TaskStep, step_kind

STARTERS_DIR = Path(__file__).resolve().parents[2] / "catalog" / "starters"
STARTERS = sorted(STARTERS_DIR.glob("*.storm.yaml"))
EXPECTED = {
    "order-processing",
    "webhook-processor",
    "document-pipeline",
    "scheduled-jobs",
    "stream-processing",
}
COUNTED = (
    "actors",
    "commands",
    "events",
    "aggregates",
    "policies",
    "read_models",
    "access_patterns",
    "external_systems",
    "schedules",
    "sources",
    "workflows",
    "hotspots",
)
"""Element kinds counted towards a starter's size (with its contexts)."""
MUST_FLOW = (
    "commands",
    "events",
    "policies",
    "read_models",
    "access_patterns",
    "workflows",
    "schedules",
    "sources",
)
"""Element kinds that must receive traffic: nothing in a starter is left at 0 a month."""


def slug(path: Path) -> str:
    return path.name.removesuffix(".storm.yaml")


def load(path: Path) -> ValidDesign:
    return load_design(path.read_text(encoding="utf-8"))


def element_count(valid: ValidDesign) -> int:
    contexts = valid.design.contexts
    return len(contexts) + sum(len(getattr(c, kind)) for c in contexts for kind in COUNTED)


def all_steps(valid: ValidDesign) -> list[Any]:
    return [
        step
        for context in valid.design.contexts
        for workflow in context.workflows
        for step, _, _ in iter_steps(workflow.steps, ())
    ]


def keys_in(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in keys_in(v)}
    if isinstance(node, list):
        return {k for v in node for k in keys_in(v)}
    return set()


params = pytest.mark.parametrize("path", STARTERS, ids=slug)


def test_the_five_starters_are_there() -> None:
    assert {slug(p) for p in STARTERS} >= EXPECTED


@params
def test_starter_loads_and_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("format: 1\n")
    valid = load_design(text)
    assert valid.design.name
    assert valid.design.description.strip()


@params
def test_starter_leaves_ids_to_the_loader(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "id" not in keys_in(raw)
    assert not raw.get("layout")


@params
def test_starter_has_a_realistic_size(path: Path) -> None:
    assert 15 <= element_count(load(path)) <= 60


@params
def test_starter_round_trips(path: Path) -> None:
    valid = load(path)
    again = load_design(dump_design(valid.design))
    assert again.design == valid.design
    assert dump_design(again.design) == dump_design(valid.design)


@params
def test_traffic_reaches_every_element(path: Path) -> None:
    valid = load(path)
    traffic = valid.traffic
    idle = [
        f"{kind}: {entry.element.name}"
        for kind in MUST_FLOW
        for entry in valid.of_kind(kind)
        if traffic.of(entry.id) <= 0
    ]
    assert idle == []


@params
def test_starter_has_entry_traffic_and_latency_sensitive_functions(path: Path) -> None:
    valid = load(path)
    entering = [
        e
        for kind in ("commands", "read_models", "external_systems", "sources", "workflows")
        for e in valid.of_kind(kind)
        if e.element.workload.requests_per_month  # type: ignore[attr-defined]
    ]
    assert entering or valid.of_kind("schedules")
    assert any(
        e.element.workload.latency_sensitive  # type: ignore[attr-defined]
        for kind in ("commands", "read_models", "external_systems")
        for e in valid.of_kind(kind)
    )


@params
def test_starter_has_entities_with_relationships_and_patterns(path: Path) -> None:
    valid = load(path)
    aggregates = [e.element for e in valid.of_kind("aggregates")]
    assert all(a.attributes for a in aggregates)  # type: ignore[attr-defined]
    assert any(a.relationships for a in aggregates)  # type: ignore[attr-defined]
    assert any(a.ttl for a in aggregates)  # type: ignore[attr-defined]
    used = {
        p.id
        for kind in ("commands", "read_models")
        for e in valid.of_kind(kind)
        for p in valid.targets(e.element, "access_patterns")
    }
    assert {e.id for e in valid.of_kind("access_patterns")} <= used


def test_at_least_three_starters_have_workflows() -> None:
    with_workflows = [slug(p) for p in STARTERS if load(p).of_kind("workflows")]
    assert len(with_workflows) >= 3, with_workflows


def test_the_starters_together_show_every_kind_of_step_and_pattern() -> None:
    kinds: set[str] = set()
    features: set[str] = set()
    for path in STARTERS:
        valid = load(path)
        for step in all_steps(valid):
            kinds.add(step_kind(step))
            if isinstance(step, TaskStep) and step.compensate:
                features.add("compensation")
            if isinstance(step, ResilientStep) and step.on_error:
                features.add("catch")
            if isinstance(step, ApprovalStep) and step.approval.on_timeout:
                features.add("approval timeout")
            if isinstance(step, MapStep) and step.map.max_concurrency:
                features.add("map concurrency")
        for entry in valid.of_kind("access_patterns"):
            pattern = entry.element
            features.update(
                name
                for name, present in (
                    ("filter", pattern.filters),  # type: ignore[attr-defined]
                    ("include", pattern.include),  # type: ignore[attr-defined]
                    ("range", pattern.range),  # type: ignore[attr-defined]
                    ("descending", pattern.order == "desc"),  # type: ignore[attr-defined]
                    ("strong", pattern.consistency == "strong"),  # type: ignore[attr-defined]
                    ("create-only", pattern.condition == "create-only"),  # type: ignore[attr-defined]
                    ("version", pattern.condition == "version"),  # type: ignore[attr-defined]
                )
                if present
            )
        for entry in valid.of_kind("aggregates"):
            for relationship in entry.element.relationships:  # type: ignore[attr-defined]
                features.add(relationship.kind)
        for entry in valid.of_kind("sources"):
            features.add(f"source {entry.element.kind}")  # type: ignore[attr-defined]
        for entry in valid.of_kind("external_systems"):
            if entry.element.webhook is not None:  # type: ignore[attr-defined]
                features.add("webhook")
    assert kinds == {
        "task",
        "service",
        "choice",
        "parallel",
        "map",
        "wait",
        "approval",
        "succeed",
        "fail",
    }
    assert features >= {
        "compensation",
        "catch",
        "approval timeout",
        "map concurrency",
        "filter",
        "include",
        "range",
        "descending",
        "strong",
        "create-only",
        "version",
        "one-to-many",
        "many-to-many",
        "source bucket",
        "source kinesis",
        "source table-stream",
        "webhook",
    }
