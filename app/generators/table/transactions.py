"""Planned transactions as the low-level API takes them: the same request for the examples in
``data-model.md`` and for the proof on the emulated table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeSerializer

from app.generators.table.naive import to_dynamo
from app.generators.table.operations import Operation, TransactPart, render

if TYPE_CHECKING:
    from app.generators.table.plan import TablePlan

_serializer = TypeSerializer()


def typed(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB attribute value (``{"S": …}``, ``{"N": "…"}``, …)."""
    result: dict[str, Any] = _serializer.serialize(to_dynamo(value))
    return result


def transact_items(
    plan: TablePlan,
    operation: Operation,
    params: dict[str, Any],
    item: dict[str, Any],
    expected: int = 1,
) -> list[dict[str, Any]]:
    """The ``TransactItems`` of a planned link write: keys filled from ``params``, the Put's
    ``item`` as written (keys included), ``expected`` as the version a version check expects."""
    return [_part(plan, operation, part, params, item, expected) for part in operation.transact]


def _part(
    plan: TablePlan,
    operation: Operation,
    part: TransactPart,
    params: dict[str, Any],
    item: dict[str, Any],
    expected: int,
) -> dict[str, Any]:
    entity = plan.entities[part.entity]
    body: dict[str, Any] = {"TableName": plan.table_name}
    if part.kind == "Put":
        body["Item"] = {k: typed(v) for k, v in item.items()}
    else:
        body["Key"] = {k: typed(render(v, params, operation, entity)) for k, v in part.key.items()}
    if part.update:
        body["UpdateExpression"] = part.update
    if part.condition:
        body["ConditionExpression"] = part.condition
    if part.names:
        body["ExpressionAttributeNames"] = dict(part.names)
    values = {k: (expected if v == "{expectedVersion}" else v) for k, v in part.values.items()}
    if values:
        body["ExpressionAttributeValues"] = {k: typed(v) for k, v in values.items()}
    return {part.kind: body}
