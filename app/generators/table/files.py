"""The table generator: ``table/table-plan.json``, ``table/data-model.md``,
``table/table.cfn.yaml`` and ``table/nosql-workbench.json``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.generators.output import Artifact, yaml_text
from app.generators.table.explain import data_model
from app.generators.table.plan import TTL_ATTRIBUTE, TablePlan, key_names, plan_table
from app.generators.table.workbench import workbench_model
from app.model import ValidDesign


def table_resource(plan: TablePlan) -> dict[str, Any]:
    """The ``AWS::DynamoDB::Table`` resource: keys, indexes, TTL, PITR, SSE, on-demand."""
    attributes = {"PK", "SK"}
    gsis, lsis = [], []
    for slot in plan.slots:
        pk, sk = key_names(slot)
        attributes |= {pk, sk}
        index = {
            "IndexName": slot.name,
            "KeySchema": [
                {"AttributeName": pk, "KeyType": "HASH"},
                {"AttributeName": sk, "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }
        if slot.kind == "gsi":
            gsis.append(index)
        elif slot.kind == "lsi":
            lsis.append(index)
    properties: dict[str, Any] = {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)
        ],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
    }
    if gsis:
        properties["GlobalSecondaryIndexes"] = gsis
    if lsis:
        properties["LocalSecondaryIndexes"] = lsis
    if plan.ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["SSESpecification"] = {"SSEEnabled": True}
    return {
        "Type": "AWS::DynamoDB::Table",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": properties,
    }


def table_template(plan: TablePlan) -> dict[str, Any]:
    """A CloudFormation template holding the table alone (the SAM export embeds the resource)."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"The single DynamoDB table of {plan.table_name}",
        "Resources": {"Table": table_resource(plan)},
        "Outputs": {
            "TableName": {"Value": {"Ref": "Table"}},
            "TableArn": {"Value": {"Fn::GetAtt": ["Table", "Arn"]}},
        },
    }


def table_files(valid: ValidDesign) -> Iterator[Artifact]:
    """Every table artifact of a design (none when the design has no entities)."""
    if not valid.of_kind("aggregates"):
        return
    plan = plan_table(valid)
    yield Artifact.json("table/table-plan.json", "table-plan", plan.to_json())
    yield Artifact.text("table/data-model.md", "data-model", data_model(plan))
    yield Artifact.text("table/table.cfn.yaml", "cloudformation", yaml_text(table_template(plan)))
    yield Artifact.json("table/nosql-workbench.json", "nosql-workbench", workbench_model(plan))
