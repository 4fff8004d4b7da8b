"""What-ifs and projections match a full estimate of the correspondingly edited design.

A what-if reuses the design's pricing facts and scales the traffic flow instead of propagating
it again; these tests edit the design itself (every entry of traffic times k, the settings,
every function's memory with the duration the power-tuning model gives, every workflow's
type), load it again and compare the whole estimate: total, every service, every context.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.generators.cost.basis import usage_basis
from app.generators.cost.estimate import CostOptions, design_priced, price_design
from app.generators.cost.power import slowdown
from app.generators.cost.usage import WhatIf, design_usage
from app.generators.cost.what_if import parse_what_if, what_if_estimate
from app.model import ValidDesign, load_design
from app.model.errors import DesignError
from app.model.schedules import runs_per_month
from app.model.stormfile import parse_yaml
from tests.generators.cost.factories import command, context, design

STARTERS = sorted((Path(__file__).parents[3] / "catalog" / "starters").glob("*.storm.yaml"))
REGION = "us-east-1"
"""Every starter priced in one region (the what-if does not depend on it)."""
FUNCTION_KINDS = ("commands", "read_models", "external_systems")


def starter_data(path: Path) -> dict[str, Any]:
    data, _ = parse_yaml(path.read_text(encoding="utf-8"))
    return data


def load(data: dict[str, Any]) -> ValidDesign:
    return load_design(json.dumps(data))


def elements(data: dict[str, Any], kind: str) -> Iterator[dict[str, Any]]:
    for ctx in data.get("contexts", []):
        yield from ctx.get(kind, [])


def scale_traffic(data: dict[str, Any], k: float) -> dict[str, Any]:
    """Every entry of traffic times k: requests of every workload and access pattern, and the
    runs of every schedule."""
    edited = copy.deepcopy(data)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("requests_per_month"), (int, float)):
                node["requests_per_month"] *= k
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(edited)
    for schedule in elements(edited, "schedules"):
        load_ = schedule.setdefault("workload", {})
        if load_.get("requests_per_month") is None:
            load_["requests_per_month"] = runs_per_month(schedule["expression"]) * k
    return edited


def set_architecture(data: dict[str, Any], architecture: str) -> dict[str, Any]:
    edited = copy.deepcopy(data)
    edited.setdefault("settings", {})["architecture"] = architecture
    for kind in FUNCTION_KINDS:
        for element in elements(edited, kind):
            element.get("workload", {}).get("overrides", {}).pop("architecture", None)
    return edited


def set_api_type(data: dict[str, Any], api_type: str) -> dict[str, Any]:
    edited = copy.deepcopy(data)
    edited.setdefault("settings", {}).setdefault("api", {})["type"] = api_type
    return edited


def set_memory(data: dict[str, Any], memory_mb: int, only: str | None = None) -> dict[str, Any]:
    """Every function's memory (or one function's, by name), with the duration and p99 the
    power-tuning model gives at that memory."""
    edited = copy.deepcopy(data)
    for kind in FUNCTION_KINDS:
        for element in elements(edited, kind):
            if only is not None and element["name"] != only:
                continue
            load_ = element.setdefault("workload", {})
            designed = load_.get("memory_mb", 512)
            factor = slowdown(load_.get("cpu_bound", 0.5), designed, memory_mb)
            duration = load_.get("duration_ms", 100.0)
            if load_.get("p99_ms") is not None:
                load_["p99_ms"] *= factor
            load_["duration_ms"] = duration * factor
            load_["memory_mb"] = memory_mb
    return edited


def set_workflow_types(data: dict[str, Any], kind: str, valid: ValidDesign) -> dict[str, Any]:
    """``type`` of every workflow the export accepts it for."""
    can = {w.code for w in usage_basis(valid).workflows if kind == "standard" or w.can_be_express}
    code_of = {e.element.name: valid.code(e.element) for e in valid.of_kind("workflows")}
    edited = copy.deepcopy(data)
    for workflow in elements(edited, "workflows"):
        if code_of[workflow["name"]] in can:
            workflow["type"] = kind
    return edited


def assert_same_estimate(what_if: WhatIf, edited: dict[str, Any], valid: ValidDesign) -> None:
    options = CostOptions(projections=(), recommendations=False, region=REGION)
    expected = price_design(load(edited), options)
    got = what_if_estimate(valid, what_if, region=REGION).estimate
    assert got.total == pytest.approx(expected.total, rel=1e-9, abs=1e-9)
    assert got.priced.by_service == pytest.approx(expected.priced.by_service, rel=1e-9, abs=1e-9)
    assert got.priced.by_context == pytest.approx(expected.priced.by_context, rel=1e-9, abs=1e-9)


EDITS: list[tuple[str, WhatIf, Callable[[dict[str, Any], ValidDesign], dict[str, Any]]]] = [
    ("traffic x3", WhatIf(traffic=3.0), lambda d, v: scale_traffic(d, 3.0)),
    ("traffic x0.25", WhatIf(traffic=0.25), lambda d, v: scale_traffic(d, 0.25)),
    ("x86_64", WhatIf(architecture="x86_64"), lambda d, v: set_architecture(d, "x86_64")),
    ("arm64", WhatIf(architecture="arm64"), lambda d, v: set_architecture(d, "arm64")),
    ("rest", WhatIf(api_type="rest"), lambda d, v: set_api_type(d, "rest")),
    ("http", WhatIf(api_type="http"), lambda d, v: set_api_type(d, "http")),
    ("memory 1024", WhatIf(memory_mb=1024), lambda d, v: set_memory(d, 1024)),
    ("memory 256", WhatIf(memory_mb=256), lambda d, v: set_memory(d, 256)),
    (
        "express",
        WhatIf(step_functions="express"),
        lambda d, v: set_workflow_types(d, "express", v),
    ),
    (
        "standard",
        WhatIf(step_functions="standard"),
        lambda d, v: set_workflow_types(d, "standard", v),
    ),
]


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.name.split(".")[0])
@pytest.mark.parametrize("name,what_if,edit", EDITS, ids=[e[0] for e in EDITS])
def test_what_if_matches_the_edited_design(path, name, what_if, edit) -> None:
    data = starter_data(path)
    valid = load(data)
    edited = edit(data, valid)
    try:
        load(edited)
    except DesignError as refused:
        # the what-if refuses what the design refuses (an HTTP API with API keys)
        with pytest.raises(DesignError) as caught:
            what_if_estimate(valid, what_if, region=REGION)
        assert caught.value.problems[0].message.split(";")[0] in str(refused)
        return
    assert_same_estimate(what_if, edited, valid)


def test_everything_at_once_matches_the_edited_design() -> None:
    data = starter_data(STARTERS[[p.name for p in STARTERS].index("order-processing.storm.yaml")])
    valid = load(data)
    change = WhatIf(traffic=2.0, architecture="x86_64", api_type="rest", memory_mb=1024)
    edited = set_memory(
        set_api_type(set_architecture(scale_traffic(data, 2.0), "x86_64"), "rest"), 1024
    )
    assert_same_estimate(change, edited, valid)


def test_memory_of_one_function_matches_the_edited_design() -> None:
    data = starter_data(STARTERS[[p.name for p in STARTERS].index("order-processing.storm.yaml")])
    valid = load(data)
    name = next(elements(data, "commands"))["name"]
    [code] = [valid.code(e.element) for e in valid.of_kind("commands") if e.element.name == name]
    assert_same_estimate(WhatIf(memory={code: 2048}), set_memory(data, 2048, only=name), valid)


def volume_workflow(executions: float) -> ValidDesign:
    """A short workflow without a type: the export picks Express from 100,000 executions."""
    return design(
        context(
            commands=[command("Score", workload={"duration_ms": 50})],
            workflows=[
                {
                    "name": "Check",
                    "route": "POST /check",
                    "workload": {"requests_per_month": executions},
                    "steps": [{"name": "Score", "task": "Score"}, {"name": "Done", "succeed": {}}],
                }
            ],
        )
    )


def flow_types(valid: ValidDesign, what_if: WhatIf) -> set[str]:
    return {
        line.usage_type for line in design_usage(valid, what_if) if line.service == "step_functions"
    }


def test_workflow_type_follows_the_volume_as_the_export_chooses() -> None:
    valid = volume_workflow(60_000)
    assert flow_types(valid, WhatIf()) == {"standard-transitions"}
    # twice the traffic is 120,000 executions: the export would make it Express
    assert flow_types(valid, WhatIf(traffic=2)) == {"express-requests", "express-duration"}
    assert flow_types(load_design(json.dumps(_doubled(valid))), WhatIf()) == {
        "express-requests",
        "express-duration",
    }
    # a type chosen in the what-if does not follow the volume
    assert flow_types(valid, WhatIf(traffic=2, step_functions="standard")) == {
        "standard-transitions"
    }


def _doubled(valid: ValidDesign) -> dict[str, Any]:
    return scale_traffic(valid.design.model_dump(mode="json", exclude_none=True), 2.0)


def special_design() -> ValidDesign:
    """Lines that do not scale with the traffic: provisioned concurrency, a Kinesis stream's
    shards, sampled traces, alarms, table storage, and a workflow that turns Express."""
    return design(
        context(
            aggregates=[
                {
                    "name": "Reading",
                    "item_count": 2_000_000,
                    "attributes": {"readingId": "string", "deviceId": "string"},
                    "identifier": "readingId",
                }
            ],
            sources=[
                {
                    "name": "Telemetry",
                    "kind": "kinesis",
                    "consumer": "Ingest",
                    "batch_size": 100,
                    "workload": {"requests_per_month": 50_000_000, "payload_kb": 2},
                }
            ],
            commands=[
                command(
                    "Ingest",
                    aggregate="Reading",
                    workload={"duration_ms": 40, "overrides": {"provisioned_concurrency": 3}},
                ),
                command("Score", workload={"duration_ms": 50}),
            ],
            workflows=[
                {
                    "name": "Check",
                    "route": "POST /check",
                    "workload": {"requests_per_month": 70_000},
                    "steps": [{"name": "Score", "task": "Score"}, {"name": "Done", "succeed": {}}],
                }
            ],
        )
    )


@pytest.mark.parametrize("table", ["on-demand", "provisioned"])
@pytest.mark.parametrize("free_tier", [True, False])
def test_projections_equal_a_full_estimate_at_each_multiple(table, free_tier) -> None:
    designs = [special_design()] + [load(starter_data(p)) for p in STARTERS]
    for valid in designs:
        base = WhatIf(table_capacity=table)
        options = CostOptions(free_tier, base, (0.5, 1.0, 2.0, 5.0), False, REGION)
        estimate = price_design(valid, options)
        for projection in estimate.projections:
            scaled = WhatIf(table_capacity=table, traffic=projection.traffic)
            full = design_priced(valid, scaled, free_tier, REGION)
            assert projection.total == pytest.approx(full.total, rel=1e-9), valid.design.name
            assert projection.by_service == pytest.approx(full.by_service, rel=1e-9)


def test_special_design_projection_is_not_linear() -> None:
    """The fixed and stepped lines make 2x traffic cost less than twice as much here, and the
    workflow turning Express at 140,000 executions shows in the Step Functions total."""
    valid = special_design()
    estimate = price_design(valid, CostOptions(region=REGION, recommendations=False))
    one, two = estimate.projections[0], estimate.projections[1]
    assert two.total < 2 * one.total
    assert two.by_service["step_functions"] != pytest.approx(2 * one.by_service["step_functions"])


def test_what_if_result_compares_with_the_design() -> None:
    valid = load(starter_data(STARTERS[0]))
    result = what_if_estimate(valid, WhatIf(traffic=2.0), region=REGION)
    base = price_design(valid, CostOptions(region=REGION, recommendations=False))
    assert result.base_total == pytest.approx(base.total)
    assert result.delta == pytest.approx(result.total - base.total)
    assert sum(result.delta_by_service.values()) == pytest.approx(result.delta)
    shown = result.to_json()
    assert shown["total"] == round(result.total, 2)
    assert shown["delta"] == round(result.delta, 2)
    assert set(shown["by_service"]) == set(result.estimate.priced.by_service)


def test_parse_what_if_reads_the_control_and_locates_wrong_values() -> None:
    change = parse_what_if(
        {
            "traffic": 2,
            "architecture": "x86_64",
            "api_type": "rest",
            "memory_mb": 1024,
            "memory": {"PlaceOrder": 2048},
            "step_functions": "express",
            "table_capacity": "provisioned",
        }
    )
    assert change == WhatIf(
        traffic=2.0,
        architecture="x86_64",
        api_type="rest",
        memory_mb=1024,
        memory={"PlaceOrder": 2048},
        step_functions="express",
        table_capacity="provisioned",
    )
    assert parse_what_if({}) == WhatIf()
    with pytest.raises(DesignError) as caught:
        parse_what_if(
            {
                "traffic": 0,
                "architecture": "sparc",
                "memory_mb": 64,
                "memory": {"PlaceOrder": 100.5},
                "colour": "red",
            }
        )
    where = {p.path for p in caught.value.problems}
    assert where == {"traffic", "architecture", "memory_mb", "memory.PlaceOrder", "colour"}
