"""Proof of the table plan on an emulated table (moto): every pattern's planned operation returns
exactly what a naive filter and sort over the same sample items returns; writes honour their
conditions."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError
from moto import mock_aws

from app.generators.table.files import table_resource
from app.generators.table.keys import NUMBER_TYPES
from app.generators.table.naive import (
    BATCH,
    choose_parameters,
    expected_items,
    identity,
    plain,
    same_values,
    show,
    to_dynamo,
)
from app.generators.table.operations import VERSION
from app.generators.table.plan import TablePlan, plan_table
from app.generators.table.samples import sample_items
from app.generators.table.transactions import transact_items
from app.model import ValidDesign

REGION = "us-east-1"


@dataclass(frozen=True)
class PatternProof:
    """The outcome for one access pattern."""

    pattern: str
    name: str
    passed: bool
    items: int
    reason: str = ""
    operation: str = ""


@dataclass(frozen=True)
class ProofReport:
    """The outcome for every pattern, and how many sample items the table held."""

    table: str
    sample_items: int
    patterns: list[PatternProof] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(p.passed for p in self.patterns)

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "sample_items": self.sample_items,
            "passed": self.passed,
            "patterns": [
                {
                    "pattern": p.pattern,
                    "name": p.name,
                    "passed": p.passed,
                    "items": p.items,
                    "operation": p.operation,
                    "reason": p.reason,
                }
                for p in self.patterns
            ],
        }


def format_proof(report: ProofReport) -> str:
    """One line per pattern, ``PASS``/``FAIL``, then a summary line (what ``stormdraft prove``
    prints)."""
    lines = []
    for p in report.patterns:
        mark = "PASS" if p.passed else "FAIL"
        detail = (
            f"{p.operation}, {p.items} item{'' if p.items == 1 else 's'}" if p.passed else p.reason
        )
        lines.append(f"{mark} {p.pattern} ({p.name}): {detail}")
    failed = sum(1 for p in report.patterns if not p.passed)
    lines.append(
        f"{report.table}: {len(report.patterns) - failed} of {len(report.patterns)} patterns "
        f"proven on {report.sample_items} sample items" + (f"; {failed} failed" if failed else "")
    )
    return "\n".join(lines) + "\n"


def stored_item(plan: TablePlan, code: str, item: dict[str, Any]) -> dict[str, Any]:
    """The item as written through the planned keys."""
    return {VERSION: 1, **to_dynamo(item), **plan.item_keys(code, item), "entity": code}


def create_table(client: Any, plan: TablePlan) -> None:
    """Create on moto the very table the CloudFormation resource describes."""
    properties = table_resource(plan)["Properties"]
    wanted = (
        "BillingMode",
        "AttributeDefinitions",
        "KeySchema",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
    )
    client.create_table(
        TableName=plan.table_name, **{k: properties[k] for k in wanted if k in properties}
    )


def prove_table(valid: ValidDesign) -> ProofReport:
    """Plan the table, fill an emulated one with sample items, and check every pattern."""
    plan = plan_table(valid)
    samples = sample_items(plan.entities)
    results: dict[str, PatternProof] = {}
    for unserved in plan.unserved:
        results[unserved.pattern] = PatternProof(
            unserved.pattern, unserved.name, False, 0, f"not served: {unserved.reason}"
        )
    with mock_aws():
        client = boto3.client(
            "dynamodb", region_name=REGION, aws_access_key_id="proof", aws_secret_access_key="proof"
        )
        create_table(client, plan)
        table = boto3.resource(
            "dynamodb", region_name=REGION, aws_access_key_id="proof", aws_secret_access_key="proof"
        ).Table(plan.table_name)
        count = 0
        with table.batch_writer() as batch:
            for code, items in samples.items():
                for item in items:
                    batch.put_item(Item=stored_item(plan, code, item))
                    count += 1
        for need in plan.needs:
            operation = plan.operations.get(need.pattern)
            if operation is None or not need.reading:
                continue
            results[need.pattern] = _prove_read(plan, table, need, samples)
        for need in plan.needs:
            operation = plan.operations.get(need.pattern)
            if operation is None or need.reading:
                continue
            passed, written, reason = prove_write(plan, table, client, need, samples)
            results[need.pattern] = PatternProof(
                need.pattern, need.name, passed, written, reason, operation.call
            )
    order = {n.pattern: n.position for n in plan.needs}
    ordered = sorted(results.values(), key=lambda p: (order.get(p.pattern, 10**9), p.pattern))
    return ProofReport(plan.table_name, count, ordered)


def _prove_read(
    plan: TablePlan, table: Any, need: Any, samples: dict[str, list[dict[str, Any]]]
) -> PatternProof:
    operation = plan.operations[need.pattern]
    params = choose_parameters(plan, need, samples)
    expected = expected_items(plan, need, samples, params)
    got = run_read(plan, table, operation, params)
    want = [identity(plan, c, i) for c, i in expected]
    have = [identity(plan, i["entity"], i) for i in got]
    if want != have:
        return PatternProof(
            need.pattern,
            need.name,
            False,
            len(got),
            f"the table returned {show(have)} but the naive filter {show(want)} "
            f"(parameters {params})",
            operation.call,
        )
    for (code, item), stored in zip(expected, got, strict=True):
        if not same_values(item, stored):
            return PatternProof(
                need.pattern,
                need.name,
                False,
                len(got),
                f"item {identity(plan, code, item)} came back with other values",
                operation.call,
            )
    return PatternProof(need.pattern, need.name, True, len(got), "", operation.call)


def run_read(
    plan: TablePlan, table: Any, operation: Any, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Run one planned read with parameters: GetItem, or Query over every shard, merged; a
    batch read as BatchGetItem, or one such read per value, in the order the values came."""
    from app.generators.table.operations import render

    entity = plan.entities[operation.entity]
    if BATCH in params:
        if operation.call == "BatchGetItem":
            return _batch_get(plan, table, operation, params[BATCH])
        return [i for value in params[BATCH] for i in run_read(plan, table, operation, value)]
    if operation.call == "GetItem":
        key = {k: render(v, params, operation, entity) for k, v in operation.key.items()}
        found = table.get_item(Key=key, ConsistentRead=operation.consistent).get("Item")
        return [found] if found else []
    sk_name = operation.names.get("#sk", "SK")
    runs = []
    for shard in range(operation.shards):
        values = {
            k: render(v, {**params, "shard": shard}, operation, entity)
            for k, v in operation.values.items()
        }
        args: dict[str, Any] = {
            "KeyConditionExpression": operation.key_condition,
            "ExpressionAttributeNames": operation.names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": operation.forward,
        }
        if operation.index:
            args["IndexName"] = operation.index
        if operation.consistent:
            args["ConsistentRead"] = True
        runs.append(_pages(table, args))
    if len(runs) == 1:
        return runs[0]
    return list(heapq.merge(*runs, key=lambda i: i[sk_name], reverse=not operation.forward))


BATCH_KEYS = 100
"""The most keys one BatchGetItem call may name."""


def _batch_get(
    plan: TablePlan, table: Any, operation: Any, values: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """BatchGetItem in calls of at most 100 keys, asking again for unprocessed keys, and the
    items put back in the order of the values asked for (BatchGetItem keeps no order)."""
    from app.generators.table.operations import render

    entity = plan.entities[operation.entity]
    keys = [{k: render(v, p, operation, entity) for k, v in operation.key.items()} for p in values]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for start in range(0, len(keys), BATCH_KEYS):
        request: dict[str, Any] = {
            plan.table_name: {
                "Keys": keys[start : start + BATCH_KEYS],
                "ConsistentRead": operation.consistent,
            }
        }
        while request:
            page = table.meta.client.batch_get_item(RequestItems=request)
            for item in page["Responses"].get(plan.table_name, []):
                found[(item["PK"], item["SK"])] = item
            request = page.get("UnprocessedKeys") or {}
    return [found[(k["PK"], k["SK"])] for k in keys if (k["PK"], k["SK"]) in found]


def _pages(table: Any, args: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = table.query(**args)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items
        args = {**args, "ExclusiveStartKey": page["LastEvaluatedKey"]}


_serialize: Callable[[Any], Any] = TypeSerializer().serialize


# --- writes ------------------------------------------------------------------------------------


def _refused(action: Callable[[], Any]) -> bool:
    """Whether DynamoDB refuses the write because its condition does not hold."""
    try:
        action()
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
            return True
        raise
    return False


def prove_write(
    plan: TablePlan, table: Any, client: Any, need: Any, samples: dict[str, list[dict[str, Any]]]
) -> tuple[bool, int, str]:
    """Run a write pattern's operation and check that its condition behaves as asked."""
    from app.generators.table.samples import new_item

    operation = plan.operations[need.pattern]
    code = need.entity
    entity = plan.entities[code]
    fresh = new_item(entity, samples, 900 + need.position)

    def key(item: dict[str, Any]) -> dict[str, str]:
        keys = plan.item_keys(code, item)
        return {"PK": keys["PK"], "SK": keys["SK"]}

    def present(item: dict[str, Any]) -> dict[str, Any] | None:
        found: dict[str, Any] | None = table.get_item(Key=key(item), ConsistentRead=True).get(
            "Item"
        )
        return found

    if operation.transact:
        return prove_link_write(plan, table, client, need, samples)
    condition = operation.condition
    names = operation.names
    if need.action == "put":
        if operation.call == "TransactWriteItems":
            return _prove_transaction(plan, client, need, fresh, samples)
        stored = stored_item(plan, code, fresh)
        if need.condition == "create-only":
            first = _refused(
                lambda: table.put_item(
                    Item=stored, ConditionExpression=condition, ExpressionAttributeNames=names
                )
            )
            second = _refused(
                lambda: table.put_item(
                    Item=stored, ConditionExpression=condition, ExpressionAttributeNames=names
                )
            )
            return (
                not first and second,
                1,
                "" if not first and second else "a second create-only put was not refused",
            )
        if need.condition == "version":

            def put(expected: int, version: int) -> Callable[[], Any]:
                return lambda: table.put_item(
                    Item={**stored, "version": version},
                    ConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={":expected": expected},
                )

            ok = not _refused(put(0, 1)) and not _refused(put(1, 2)) and _refused(put(1, 2))
            return ok, 1, "" if ok else "a put with a stale version was not refused"
        table.put_item(Item=stored)
        ok = present(fresh) is not None
        return ok, 1, "" if ok else "the item was not found after the put"
    target = samples[code][-1] if samples[code] else fresh
    table.put_item(Item=stored_item(plan, code, target))  # each write proof starts afresh
    if need.action == "update":

        def update(item: dict[str, Any], expected: int | None) -> Callable[[], Any]:
            args: dict[str, Any] = {
                "Key": key(item),
                "UpdateExpression": "SET #v = :next",
                "ExpressionAttributeNames": {"#v": "version", **names},
                "ExpressionAttributeValues": {":next": 2},
            }
            if condition:
                args["ConditionExpression"] = condition
            if expected is not None:
                args["ExpressionAttributeValues"][":expected"] = expected
            return lambda: table.update_item(**args)

        if need.condition == "version":
            ok = not _refused(update(target, 1)) and _refused(update(target, 1))
            return ok, 1, "" if ok else "an update with a stale version was not refused"
        if need.condition == "create-only":
            ok = _refused(update(target, None)) and not _refused(update(fresh, None))
            return ok, 1, "" if ok else "a create-only update of an existing item was not refused"
        ok = not _refused(update(target, None)) and (present(target) or {}).get("version") == 2
        return ok, 1, "" if ok else "the update did not reach the item"
    if need.condition == "version":

        def delete(expected: int) -> Callable[[], Any]:
            return lambda: table.delete_item(
                Key=key(target),
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={":expected": expected},
            )

        ok = _refused(delete(99)) and not _refused(delete(1)) and present(target) is None
        return ok, 1, "" if ok else "a delete with a stale version was not refused"
    table.delete_item(Key=key(target))
    ok = present(target) is None
    return ok, 1, "" if ok else "the item was still there after the delete"


def _prove_transaction(
    plan: TablePlan,
    client: Any,
    need: Any,
    fresh: dict[str, Any],
    samples: dict[str, list[dict[str, Any]]],
) -> tuple[bool, int, str]:
    """A new child goes in only while its parent exists, and only once."""
    operation = plan.operations[need.pattern]
    parent = plan.entities[operation.parent or ""]
    if not samples[parent.code]:
        return False, 0, f"no sample {parent.name} to attach to"
    owner = samples[parent.code][0]
    child = {**fresh, **{i: owner[i] for i in parent.ids}}
    orphan = {**fresh, **{i: f"missing-{i}" for i in parent.ids}}

    def write(item: dict[str, Any]) -> Callable[[], Any]:
        parent_keys = plan.item_keys(parent.code, {i: item[i] for i in parent.ids})
        return lambda: client.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": plan.table_name,
                        "Key": {k: _serialize(parent_keys[k]) for k in ("PK", "SK")},
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": plan.table_name,
                        "Item": {
                            k: _serialize(v)
                            for k, v in stored_item(plan, need.entity, item).items()
                        },
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )

    first = _refused(write(child))
    again = _refused(write(child))
    lonely = _refused(write(orphan))
    ok = not first and again and lonely
    reason = (
        ""
        if ok
        else (
            "the first put was refused"
            if first
            else "a second create-only put was not refused"
            if not again
            else "a child without its parent was not refused"
        )
    )
    return ok, 2, reason


# --- many-to-many link writes ------------------------------------------------------------------


def prove_link_write(
    plan: TablePlan, table: Any, client: Any, need: Any, samples: dict[str, list[dict[str, Any]]]
) -> tuple[bool, int, str]:
    """Run the planned transaction of a link write: a new link goes in once (create-only), or
    only at the expected version; never to a side that does not exist; its counter moves by
    exactly one; and the link is then read (or no longer read) through both sides' patterns."""
    operation = plan.operations[need.pattern]
    link = plan.entities[need.entity]
    assert link.link is not None
    side, other = (plan.entities[c] for c in link.link)
    if not samples[side.code] or not samples[other.code]:
        return False, 0, f"no sample {side.name} or {other.name} to link"
    counted = next((p for p in operation.transact if p.kind == "Update"), None)

    def run(item: dict[str, Any], expected: int = 1, version: int = 1) -> Callable[[], Any]:
        stored = {**stored_item(plan, link.code, item), VERSION: version}
        items = transact_items(plan, operation, item, stored, expected)
        return lambda: client.transact_write_items(TransactItems=items)

    def count(item: dict[str, Any]) -> Any:
        if counted is None:
            return None
        owner = plan.entities[counted.entity]
        key = plan.item_keys(owner.code, {i: item[i] for i in owner.ids})
        found = table.get_item(Key={"PK": key["PK"], "SK": key["SK"]}, ConsistentRead=True)
        return plain(found.get("Item", {}).get(need.counter, 0))

    if need.action == "delete":
        item = samples[link.code][0] if samples[link.code] else None
        if item is None:
            return False, 0, "no sample link to remove"
        table.put_item(Item=stored_item(plan, link.code, item))  # each write proof starts afresh
        before = count(item)
        stale = need.condition == "version" and not _refused(run(item, expected=99))
        removed = not _refused(run(item))
        again = _refused(run(item))
        moved = count(item) == before - 1 if counted else not need.counter
        removal = [
            (not stale, "a delete with a stale version was not refused"),
            (removed, "the delete was refused"),
            (again, "removing the link twice was not refused"),
            (moved, f"the counter {need.counter} did not go down by exactly one"),
            *_read_through_sides(plan, table, link, item, present=False),
        ]
        return _verdict(removal, 2)
    fresh = {
        **{a: v for a, v in samples[other.code][0].items() if a in link.attributes},
        **{i: samples[side.code][-1][i] for i in side.ids},
    }
    table.delete_item(Key={k: plan.item_keys(link.code, fresh)[k] for k in ("PK", "SK")})
    before = count(fresh)
    checks: list[tuple[bool, str]] = []
    if need.condition == "version":
        checks += [
            (not _refused(run(fresh, expected=0)), "the first put was refused"),
            (not _refused(run(fresh, expected=1, version=2)), "a put at the version was refused"),
            (
                _refused(run(fresh, expected=1, version=3)),
                "a put with a stale version was not refused",
            ),
        ]
    else:
        checks += [
            (not _refused(run(fresh)), "the first put was refused"),
            (
                need.condition != "create-only" or _refused(run(fresh)),
                "a second create-only put was not refused",
            ),
        ]
    if need.counter or counted:
        # The pattern asks for the counter: a transaction without its update fails here too.
        moved = counted is not None and count(fresh) == before + 1
        checks.append((moved, f"the counter {need.counter} did not go up by exactly one"))
    for part in operation.transact:
        if part.kind == "Put":
            continue
        owner = plan.entities[part.entity]
        orphan = {**fresh, **{i: _absent(owner, i) for i in owner.ids}}
        checks.append(
            (_refused(run(orphan)), f"a link to a {owner.name} that does not exist was not refused")
        )
    checks += _read_through_sides(plan, table, link, fresh, present=True)
    return _verdict(checks, len(operation.transact))


def _absent(entity: Any, attribute: str) -> Any:
    from app.generators.table.naive import MISSING_NUMBER

    return MISSING_NUMBER if entity.type_of(attribute) in NUMBER_TYPES else f"missing-{attribute}"


def _read_through_sides(
    plan: TablePlan, table: Any, link: Any, item: dict[str, Any], present: bool
) -> list[tuple[bool, str]]:
    """Whether every read that returns this link (from either side) now returns it, or no longer
    does."""
    checks = []
    wanted = identity(plan, link.code, item)
    for reader in plan.needs:
        if not reader.reading or link.code not in reader.include:
            continue
        operation = plan.operations.get(reader.pattern)
        if operation is None:
            continue
        params = {a: item[a] for a in reader.equal}
        got = [identity(plan, i["entity"], i) for i in run_read(plan, table, operation, params)]
        checks.append(
            (
                (wanted in got) == present,
                f"'{reader.name}' {'does not return' if present else 'still returns'} the link",
            )
        )
    return checks


def _verdict(checks: list[tuple[bool, str]], written: int) -> tuple[bool, int, str]:
    failed = [reason for ok, reason in checks if not ok]
    return not failed, written, "; ".join(failed)
