"""``data-model.md``: the plan in plain language, with boto3 and AWS CLI examples."""

from __future__ import annotations

import json
import pprint
from typing import Any

from app.generators.table.document import index_json, is_inverted, sparse_json
from app.generators.table.indexes import Slot
from app.generators.table.naive import BATCH, choose_parameters
from app.generators.table.operations import Operation, render
from app.generators.table.plan import TTL_ATTRIBUTE, TablePlan, key_names
from app.generators.table.samples import sample_items
from app.generators.table.transactions import transact_items


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def example_values(plan: TablePlan) -> dict[str, dict[str, Any]]:
    """Sample parameters per pattern, drawn from the same samples the proof uses."""
    samples = sample_items(plan.entities)
    found: dict[str, dict[str, Any]] = {}
    for need in plan.needs:
        operation = plan.operations.get(need.pattern)
        if operation is None:
            continue
        if need.reading:
            found[need.pattern] = choose_parameters(plan, need, samples)
        elif samples.get(need.entity):
            found[need.pattern] = dict(samples[need.entity][0])
    return found


def _example_item(plan: TablePlan, operation: Operation, params: dict[str, Any]) -> dict[str, Any]:
    """The item a put example writes: its attributes and its planned keys."""
    return {**params, **plan.item_keys(operation.entity, params)}


def _batch_boto3(plan: TablePlan, operation: Operation, values: list[dict[str, Any]]) -> str:
    entity = plan.entities[operation.entity]
    keys = [{k: render(v, p, operation, entity) for k, v in operation.key.items()} for p in values]
    request: dict[str, Any] = {"Keys": keys}
    if operation.consistent:
        request["ConsistentRead"] = True
    return (
        "# at most 100 keys a call; ask again with UnprocessedKeys until it is empty;\n"
        "# BatchGetItem keeps no order: put the items back in the order of the keys asked for\n"
        f"dynamodb.batch_get_item(\n    RequestItems={{{plan.table_name!r}: {request!r}}},\n)"
    )


def _batch_cli(plan: TablePlan, operation: Operation, values: list[dict[str, Any]]) -> str:
    entity = plan.entities[operation.entity]
    keys = [
        {k: _typed(render(v, p, operation, entity)) for k, v in operation.key.items()}
        for p in values
    ]
    request: dict[str, Any] = {"Keys": keys}
    if operation.consistent:
        request["ConsistentRead"] = True
    text = json.dumps({plan.table_name: request}, ensure_ascii=False)
    return f"aws dynamodb batch-get-item \\\n  --request-items '{_quote(text)}'"


def boto3_call(plan: TablePlan, operation: Operation, params: dict[str, Any]) -> str:
    if BATCH in params:
        batch = params[BATCH]
        if operation.call == "BatchGetItem":
            return _batch_boto3(plan, operation, batch)
        names = ", ".join(dict.fromkeys(operation.parameters.values()))
        return (
            f"# once per value of {names} ({len(batch)} here), results in the order given\n"
            + boto3_call(plan, operation, batch[0])
        )
    if operation.transact:
        items = transact_items(plan, operation, params, _example_item(plan, operation, params))
        text = pprint.pformat(items, indent=1, width=96, sort_dicts=False)
        return f"client.transact_write_items(\n    TransactItems={text},\n)"
    entity = plan.entities[operation.entity]
    p = {**params, "shard": 0, "expectedVersion": 1}
    args: list[str] = []
    if operation.call == "GetItem" or operation.action in ("update", "delete"):
        key = {k: render(v, p, operation, entity) for k, v in operation.key.items()}
        args.append(f"Key={key!r}")
    if operation.call == "Query":
        if operation.index:
            args.append(f"IndexName={operation.index!r}")
        args.append(f"KeyConditionExpression={operation.key_condition!r}")
    if operation.action == "put":
        keys = plan.item_keys(operation.entity, params)
        args.append(f"Item={{**item, **{keys!r}}}")
    if operation.action == "update":
        args.append("UpdateExpression='SET #version = :next'")
        if "#version" not in operation.names:
            operation = _with_version(operation)
    if operation.condition:
        args.append(f"ConditionExpression={operation.condition!r}")
    if operation.names:
        args.append(f"ExpressionAttributeNames={operation.names!r}")
    values: dict[str, Any] = {
        k: render(v, p, operation, entity) for k, v in operation.values.items()
    }
    if ":expected" in values:
        values[":expected"] = 1
    if operation.action == "update":
        values[":next"] = 2
    if values:
        args.append(f"ExpressionAttributeValues={values!r}")
    if operation.call == "Query" and not operation.forward:
        args.append("ScanIndexForward=False")
    if operation.consistent:
        args.append("ConsistentRead=True")
    method = {
        "GetItem": "get_item",
        "Query": "query",
        "PutItem": "put_item",
        "UpdateItem": "update_item",
        "DeleteItem": "delete_item",
        "TransactWriteItems": "put_item",
    }[operation.call]
    inner = ",\n    ".join(args)
    loop = (
        f"# once per shard 0..{operation.shards - 1}, merged by sort key\n"
        if operation.shards > 1
        else ""
    )
    note = (
        "# inside TransactWriteItems, with a ConditionCheck that the parent exists\n"
        if operation.call == "TransactWriteItems"
        else ""
    )
    return f"{loop}{note}table.{method}(\n    {inner},\n)"


def _with_version(operation: Operation) -> Operation:
    from dataclasses import replace

    return replace(operation, names={**operation.names, "#version": "version"})


def _typed(value: str) -> dict[str, str]:
    return {"S": value}


def cli_call(plan: TablePlan, operation: Operation, params: dict[str, Any]) -> str:
    if BATCH in params:
        batch = params[BATCH]
        if operation.call == "BatchGetItem":
            return _batch_cli(plan, operation, batch)
        return "# once per value, results in the order given\n" + cli_call(
            plan, operation, batch[0]
        )
    if operation.transact:
        items = transact_items(plan, operation, params, _example_item(plan, operation, params))
        text = json.dumps(items, ensure_ascii=False)
        return f"aws dynamodb transact-write-items \\\n  --transact-items '{_quote(text)}'"
    entity = plan.entities[operation.entity]
    p = {**params, "shard": 0, "expectedVersion": 1}
    command = {
        "GetItem": "get-item",
        "Query": "query",
        "PutItem": "put-item",
        "UpdateItem": "update-item",
        "DeleteItem": "delete-item",
        "TransactWriteItems": "transact-write-items",
    }[operation.call]
    parts = [f"aws dynamodb {command} --table-name {plan.table_name}"]
    if operation.call == "TransactWriteItems":
        return (
            parts[0].replace(" --table-name " + plan.table_name, "")
            + " --transact-items file://transaction.json"
        )
    if operation.key and operation.call != "PutItem":
        key = {k: _typed(render(v, p, operation, entity)) for k, v in operation.key.items()}
        parts.append(f"--key '{_quote(json.dumps(key, ensure_ascii=False))}'")
    if operation.call == "PutItem":
        parts.append("--item file://item.json")
    if operation.index:
        parts.append(f"--index-name {operation.index}")
    if operation.key_condition:
        parts.append(f"--key-condition-expression '{operation.key_condition}'")
    if operation.action == "update":
        parts.append("--update-expression 'SET #version = :next'")
        operation = _with_version(operation)
    if operation.condition:
        parts.append(f"--condition-expression '{operation.condition}'")
    if operation.names:
        parts.append(f"--expression-attribute-names '{_quote(json.dumps(operation.names))}'")
    values: dict[str, Any] = {
        k: _typed(render(v, p, operation, entity)) for k, v in operation.values.items()
    }
    if ":expected" in values:
        values[":expected"] = {"N": "1"}
    if operation.action == "update":
        values[":next"] = {"N": "2"}
    if values:
        parts.append(
            f"--expression-attribute-values '{_quote(json.dumps(values, ensure_ascii=False))}'"
        )
    if operation.call == "Query" and not operation.forward:
        parts.append("--no-scan-index-forward")
    if operation.consistent:
        parts.append("--consistent-read")
    return " \\\n  ".join(parts)


def _quote(text: str) -> str:
    return text.replace("'", "'\"'\"'")


def why(plan: TablePlan, slot: Slot, code: str) -> str:
    layout = slot.layouts[code]
    entity = plan.entities[code]
    reasons = []
    if layout.partition:
        reasons.append(f"items that share {', '.join(layout.partition)} sit in one partition")
    else:
        reasons.append(
            f"every {entity.name} item sits under one partition key, so one Query reads them all"
        )
    if layout.sort:
        reasons.append(
            f"the sort key orders them by {', '.join(layout.sort)}, so equality on the leading "
            "attributes and a range or order on the next one are answered by the key"
        )
    optional = [a for a in layout.attributes if not entity.required(a)]
    if optional and slot.kind != "table":
        reasons.append(f"items without {', '.join(optional)} stay out of this index (sparse)")
    serves = [n.name for n in slot.served_needs() if n.entity == code or code in n.include]
    if serves:
        reasons.append(f"serves {', '.join(serves)}")
    if layout.sparse:
        conditions = ", ".join(
            f"{c['attribute']} present" if c.get("exists") else f"{c['attribute']} = {c['equals']}"
            for c in sparse_json(layout)
        )
        reasons.append(f"sparse: only items with {conditions} carry these keys")
    if is_inverted(plan, slot, code):
        reasons.append(
            "inverted: the table's sort attributes become the partition, so the link "
            "is read from the other side"
        )
    if layout.shards > 1:
        reasons.append(
            f"written across {layout.shards} shards so no partition passes 1,000 "
            "writes per second; reads query every shard and merge"
        )
    if entity.link is not None:
        reasons.append(
            f"one item per {plan.entities[entity.link[0]].name}–"
            f"{plan.entities[entity.link[1]].name} pair, carrying the other side's "
            "attributes; write links with TransactWriteItems and a ConditionCheck on "
            "both sides"
        )
    return "; ".join(reasons)


def data_model(plan: TablePlan) -> str:
    """The whole data-model document as Markdown."""
    out = [f"# Data model: {plan.table_name}", ""]
    out.append(
        f"One DynamoDB table, `{plan.table_name}`, holds every entity. Its key attributes are "
        "generic (`PK`, `SK`), so one table serves every access pattern: on-demand billing, "
        "point-in-time recovery and encryption at rest are on."
        + (
            f" Items expire through the TTL attribute `{TTL_ATTRIBUTE}` (epoch seconds)."
            if plan.ttl
            else ""
        )
    )
    out += [
        "",
        f"Global secondary indexes: **{len(plan.gsis)}** (no plan can use fewer than "
        f"{plan.gsi_lower_bound}); local secondary indexes: {len(plan.lsis)}.",
        "",
    ]
    out += ["## Entities", "", "```mermaid", "erDiagram"]
    for entity in plan.entities.values():
        for child in entity.children:
            out.append(f"    {entity.code} ||--o{{ {child} : has")
        for other in entity.linked:
            out.append(f"    {entity.code} }}o--o{{ {other} : links")
        if not entity.children and not entity.linked:
            out.append(f"    {entity.code} {{ string {entity.ids[0]} }}")
    out += [
        "```",
        "",
        "## Key templates",
        "",
        "| Entity | Where | Partition key | Sort key | Serves | Why |",
        "|---|---|---|---|---|---|",
    ]
    for code, entity in plan.entities.items():
        for slot in plan.slots:
            if code not in slot.layouts:
                continue
            pk, sk = plan.templates(code)[slot.name]
            serves = [
                n.pattern for n in slot.served_needs() if n.entity == code or code in n.include
            ]
            out.append(
                f"| {_cell(entity.name)} | {slot.name} | `{pk}` | `{sk}` | "
                f"{_cell(', '.join(serves) or '—')} | {_cell(why(plan, slot, code))} |"
            )
    out += ["", "## Indexes", ""]
    for slot in plan.slots:
        if slot.kind == "table":
            continue
        pk, sk = key_names(slot)
        kind = "global" if slot.kind == "gsi" else "local (strongly consistent reads)"
        facts = index_json(plan, slot)
        notes = []
        if facts["overloaded"]:
            notes.append(
                "overloaded: its generic keys hold several entities, told apart by the "
                "sort-key label"
            )
        if facts["sparse"]:
            notes.append(
                "sparse: only items that carry its keys are in it, so reads and writes "
                "of the others cost nothing here"
            )
        if facts["inverted_for"]:
            notes.append(
                f"inverted index for {', '.join(facts['inverted_for'])}: the table's "
                "sort attributes become the partition, to read links from the other side"
            )
        out.append(
            f"- **{slot.name}** ({kind}; `{pk}` / `{sk}`, projection ALL) holds "
            f"{', '.join(sorted(slot.layouts))} and serves {', '.join(slot.served)}"
            + "".join(f"; {n}" for n in notes)
            + "."
        )
    out += [
        "",
        "## Access patterns",
        "",
        "| Pattern | Operation | Where | Key condition / key | Units per month |",
        "|---|---|---|---|---|",
    ]
    examples = example_values(plan)
    for need in plan.needs:
        operation = plan.operations.get(need.pattern)
        if operation is None:
            continue
        capacity = plan.capacity[need.pattern]
        where = operation.index or "table"
        condition = operation.key_condition or ", ".join(
            f"{k} = {v}" for k, v in operation.key.items()
        )
        out.append(
            f"| {_cell(need.name)} | {operation.call} | {where} | `{_cell(condition)}` | "
            f"{capacity.units_per_month:,.0f} {capacity.unit} |"
        )
    for need in plan.needs:
        operation = plan.operations.get(need.pattern)
        if operation is None:
            continue
        params = examples.get(need.pattern, {})
        out += [
            "",
            f"### {need.name}",
            "",
            sentence(plan, need, operation),
            "",
            "```python",
            boto3_call(plan, operation, params),
            "```",
            "",
            "```sh",
            cli_call(plan, operation, params),
            "```",
        ]
    if plan.ttl:
        out += ["", "## Time to live", ""]
        for entity in plan.entities.values():
            if entity.ttl:
                out.append(
                    f"- {entity.name}: `{TTL_ATTRIBUTE}` is `{entity.ttl}` in epoch seconds;"
                    " DynamoDB deletes the item within days after that time."
                )
    if plan.unserved:
        out += ["", "## Patterns not served", ""]
        for u in plan.unserved:
            out.append(f"- **{u.name}**: {u.reason}. Fix: {u.fix}.")
    if plan.warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in plan.warnings]
    return "\n".join(out) + "\n"


def sentence(plan: TablePlan, need: Any, operation: Operation) -> str:
    entity = plan.entities[need.entity]
    where = f"the index {operation.index}" if operation.index else "the table"
    if operation.call == "GetItem":
        return f"Reads one {entity.name} with GetItem on its full table key."
    if operation.call == "BatchGetItem":
        return (
            f"Reads up to {operation.batch} {entity.name} items at once with BatchGetItem on "
            "their full table keys (at most 100 keys a call; unprocessed keys are asked for "
            "again), put back in the order of the values given; a value with no item returns "
            "nothing" + (", strongly consistent." if operation.consistent else ".")
        )
    if operation.transact:
        return transaction_sentence(plan, need, operation)
    if operation.call == "Query":
        what = (
            f"{entity.name} with its {', '.join(plan.entities[c].name for c in need.include)}"
            if need.include
            else f"{entity.name} items"
        )
        text = f"One Query on {where} returns the {what}"
        if need.sort:
            direction = "newest/largest first" if need.order == "desc" else "ascending"
            text += f", ordered by {need.sort} {direction}"
        if need.range:
            text += f", with a {need.range} condition on {need.sort} in the key"
        if need.constants:
            text += (
                "; the constant filter is part of the key or of a sparse index, "
                "so nothing is read and discarded"
            )
        if operation.shards > 1:
            text += f"; run once per shard ({operation.shards}) and merged"
        if operation.batch:
            text += (
                f"; for a list of up to {operation.batch} values it runs once per value and "
                "keeps the results in the order the values were given (the values are not one "
                "table key, so BatchGetItem cannot read them)"
            )
        return text + "."
    condition = {
        "create-only": "refuses to overwrite an existing item",
        "version": "refuses a stale version (optimistic locking)",
    }.get(need.condition or "", "")
    text = f"{operation.call} on the table"
    if operation.call == "TransactWriteItems":
        text += f", checking in the same transaction that the parent {operation.parent} exists"
    return text + (f"; the condition {condition}." if condition else ".")


def transaction_sentence(plan: TablePlan, need: Any, operation: Operation) -> str:
    """What each item of a link write's transaction does, in order."""
    link = plan.entities[need.entity]
    steps = []
    for part in operation.transact:
        owner = plan.entities[part.entity]
        if part.kind == "ConditionCheck":
            steps.append(f"a ConditionCheck that the {owner.name} exists")
        elif part.kind == "Update":
            sign = "+1" if need.action == "put" else "-1"
            steps.append(
                f"an Update of the {owner.name}'s {need.counter} by {sign} (it must exist)"
            )
        elif part.kind == "Put":
            steps.append(f"the Put of the {link.name} item")
        else:
            steps.append(f"the Delete of the {link.name} item (it must exist)")
    condition = {
        "create-only": "; putting the same link twice is refused",
        "version": "; a stale version is refused (optimistic locking)",
    }.get(need.condition or "", "")
    return (
        "One TransactWriteItems, all or nothing: "
        + ", ".join(steps)
        + condition
        + ". The link item carries the keys of both sides' reads, so it is read from either."
    )
