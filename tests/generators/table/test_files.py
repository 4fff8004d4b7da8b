"""The table artifacts: paths, CloudFormation that cfn-lint accepts, the data-model document,
and NoSQL Workbench JSON out and back in."""

from __future__ import annotations

import json

import pytest
import yaml

from app.generators.table import import_workbench, plan_table, table_files
from app.generators.table.workbench import workbench_model
from app.model import load_design
from tests.generators.table.factories import DESIGNS, load, shop

PATHS = [
    "table/table-plan.json",
    "table/data-model.md",
    "table/table.cfn.yaml",
    "table/nosql-workbench.json",
]


def test_the_generator_writes_the_four_table_files() -> None:
    assert [a.path for a in table_files(shop())] == PATHS


@pytest.mark.parametrize("path", sorted(DESIGNS.glob("*.storm.yaml")), ids=lambda p: p.name)
def test_cfn_lint_finds_no_error_or_warning_in_the_table_template(path) -> None:
    import cfnlint.api as lint

    template = next(a for a in table_files(load(path)) if a.path.endswith(".cfn.yaml"))
    text = template.content.decode()
    matches = lint.lint_all(text)
    serious = [m for m in matches if m.rule.id[0] in "EW"]
    assert serious == []
    resource = yaml.safe_load(text)["Resources"]["Table"]["Properties"]
    assert resource["BillingMode"] == "PAY_PER_REQUEST"
    assert resource["SSESpecification"] == {"SSEEnabled": True}
    assert resource["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]


def test_the_data_model_explains_every_template_and_pattern_with_examples() -> None:
    valid = shop()
    plan = plan_table(valid)
    text = next(a for a in table_files(valid) if a.path.endswith(".md")).content.decode()
    for need in plan.needs:
        assert f"### {need.name}" in text
    for code in plan.entities:
        for pk, sk in plan.templates(code).values():
            assert f"`{pk}`" in text and f"`{sk}`" in text
    assert text.count("```python") == len(plan.needs)
    assert text.count("aws dynamodb ") == len(plan.needs)
    assert "erDiagram" in text


def test_a_workbench_export_imports_back_into_a_design_that_plans() -> None:
    exported = workbench_model(plan_table(shop()))
    json.dumps(exported)
    assert exported["DataModel"][0]["TableFacets"]
    data = import_workbench(exported)
    valid = load_design(yaml.safe_dump(data, sort_keys=False))
    names = [e.element.name for e in valid.of_kind("aggregates")]
    assert {"Customer", "Order", "OrderLine"} <= set(names)
    assert plan_table(valid).unserved == ()


def test_a_published_workbench_model_without_facets_imports() -> None:
    model = {
        "ModelName": "DeviceStateLog",
        "DataModel": [
            {
                "TableName": "DeviceStateLog",
                "KeyAttributes": {
                    "PartitionKey": {"AttributeName": "DeviceID", "AttributeType": "S"},
                    "SortKey": {"AttributeName": "State#Date", "AttributeType": "S"},
                },
                "NonKeyAttributes": [
                    {"AttributeName": "Operator", "AttributeType": "S"},
                    {"AttributeName": "Date", "AttributeType": "S"},
                    {"AttributeName": "EscalatedTo", "AttributeType": "S"},
                ],
                "GlobalSecondaryIndexes": [
                    {
                        "IndexName": "GSI1",
                        "KeyAttributes": {
                            "PartitionKey": {"AttributeName": "Operator", "AttributeType": "S"},
                            "SortKey": {"AttributeName": "Date", "AttributeType": "S"},
                        },
                        "Projection": {"ProjectionType": "ALL"},
                    }
                ],
            }
        ],
    }
    valid = load_design(yaml.safe_dump(import_workbench(model), sort_keys=False))
    plan = plan_table(valid)
    assert [p.element.name for p in valid.of_kind("access_patterns")] == [
        "DeviceStateLog by identifier",
        "DeviceStateLog by Operator",
    ]
    assert plan.unserved == ()
