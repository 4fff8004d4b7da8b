"""The SAM template section: resources added, removed and changed, outputs and settings."""

from __future__ import annotations

from typing import Any

from app.generators.diff import ArtifactDiff, diff_designs
from app.generators.diff.template import template_lines
from tests.generators.diff.factories import base, edited, load, named, ordering

BASE = load(base())


def template_section(change: Any) -> ArtifactDiff:
    sections = {a.artifact: a for a in diff_designs(BASE, edited(change)).artifacts}
    return sections["template"]


def test_functions_added_policies_removed_and_memory_changed() -> None:
    def change(data: dict[str, Any]) -> None:
        place = named(ordering(data)["commands"], "Place order")
        place["workload"] = {**place["workload"], "memory_mb": 2048}
        ordering(data)["commands"].append({"name": "Archive order", "route": "POST /archive"})
        ordering(data)["policies"] = []

    found = template_section(change)
    assert found.unavailable is None
    assert "added the resource ArchiveOrderFunction (AWS::Serverless::Function)" in found.lines
    assert "removed the resource ChargeWhenPlacedQueue (AWS::SQS::Queue)" in found.lines
    assert "removed the resource ChargeWhenPlacedRule (AWS::Events::Rule)" in found.lines
    assert "the resource PlaceOrderFunction changed: MemorySize" in found.lines
    before, after = found.figures["resources"]
    added = sum(line.startswith("added the resource") for line in found.lines)
    removed = sum(line.startswith("removed the resource") for line in found.lines)
    assert after - before == added - removed


def test_the_api_type_swaps_the_api_resource_and_its_output() -> None:
    found = template_section(lambda d: d["settings"]["api"].update(type="rest"))
    assert "added the resource RestApi (AWS::Serverless::Api)" in found.lines
    assert "removed the resource HttpApi (AWS::Serverless::HttpApi)" in found.lines
    assert "the output ApiUrl changed" in found.lines


def test_an_unchanged_design_has_no_template_lines() -> None:
    assert template_section(lambda _d: None).lines == ()


def test_type_changes_attributes_and_sections_are_named() -> None:
    old = {
        "Globals": {"Function": {"Timeout": 10}},
        "Resources": {
            "Store": {"Type": "AWS::S3::Bucket"},
            "Worker": {"Type": "AWS::Serverless::Function", "Properties": {"Timeout": 3}},
        },
        "Outputs": {"Gone": {"Value": 1}},
    }
    new = {
        "Globals": {"Function": {"Timeout": 30}},
        "Resources": {
            "Store": {"Type": "AWS::DynamoDB::Table"},
            "Worker": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"Timeout": 3},
                "DependsOn": ["Store"],
            },
        },
        "Outputs": {"New": {"Value": 2}},
    }
    lines, figures = template_lines(old, new)
    assert lines == [
        "the resource Store changed from AWS::S3::Bucket to AWS::DynamoDB::Table",
        "the resource Worker changed: DependsOn",
        "added the output New",
        "removed the output Gone",
        "the template's Globals changed",
    ]
    assert figures == {"resources": [2, 2]}
