"""One DynamoDB operation per access pattern: the call, index, key condition and condition."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.generators.table.keys import Entity, attribute_label, collection_range, key_text
from app.generators.table.layouts import Layout, whole_key
from app.generators.table.needs import EXISTS, Need

VERSION = "version"
"""The attribute that holds an item's version for optimistic locking."""
_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Operation:
    """How one pattern runs: the call and everything it needs, with ``{placeholders}``."""

    pattern: str
    name: str
    entity: str
    action: str
    call: str
    index: str | None = None
    key: dict[str, str] = field(default_factory=dict)
    key_condition: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    """Placeholder → the attribute whose type encodes it."""
    forward: bool = True
    consistent: bool = False
    condition: str | None = None
    shards: int = 1
    order_by: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    parent: str | None = None
    """For a transaction: the parent entity whose item must exist."""
    batch: int = 0
    """For a read of several items by a list of values: the most values one call asks for
    (BatchGetItem, or one Query per value, results in the order the values were given)."""
    transact: tuple[TransactPart, ...] = ()
    """For a link write: the items of the TransactWriteItems, in order."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "pattern": self.pattern,
            "name": self.name,
            "entity": self.entity,
            "action": self.action,
            "operation": self.call,
        }
        optional = {
            "index": self.index,
            "key": self.key,
            "key_condition": self.key_condition,
            "expression_attribute_names": self.names,
            "expression_attribute_values": self.values,
            "parameters": self.parameters,
            "condition": self.condition,
            "order_by": list(self.order_by),
            "include": list(self.include),
            "parent": self.parent,
        }
        data.update({k: v for k, v in optional.items() if v})
        if self.call == "Query":
            data["scan_index_forward"] = self.forward
        if self.consistent:
            data["consistent_read"] = True
        if self.shards > 1:
            data["shards"] = self.shards
        if self.batch:
            data["batch"] = {
                "values_per_call": self.batch,
                "runs": "one call for every 100 keys"
                if self.call == "BatchGetItem"
                else "one Query per value",
                "order": "the order the values were given",
            }
        if self.transact:
            data["transact_items"] = [part.to_json() for part in self.transact]
        return data


@dataclass(frozen=True)
class TransactPart:
    """One item of a planned TransactWriteItems: a Put, Update, Delete or ConditionCheck on one
    entity's item, its key templates and its condition."""

    kind: str  # Put | Update | Delete | ConditionCheck
    entity: str
    key: dict[str, str]
    condition: str | None = None
    update: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "entity": self.entity, "key": self.key}
        optional = {
            "update_expression": self.update,
            "condition": self.condition,
            "expression_attribute_names": self.names,
            "expression_attribute_values": self.values,
        }
        data.update({k: v for k, v in optional.items() if v})
        return data


def render(template: str, params: dict[str, Any], operation: Operation, entity: Entity) -> str:
    """Fill a key template's placeholders with parameter values, encoded as keys encode them."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        attribute = operation.parameters.get(name, name)
        return key_text(params[name], entity.type_of(attribute))

    return _PLACEHOLDER.sub(one, template)


def _part(attribute: str, need: Need, entity: Entity) -> str:
    constants = dict(need.constants)
    if attribute in constants:  # also when 'by' names it: the filter fixes its value anyway
        return key_text(constants[attribute], entity.type_of(attribute))
    return "{" + attribute + "}"


def partition_value(layout: Layout, need: Need, entity: Entity, labels: dict[str, str]) -> str:
    if not layout.partition:
        text = entity.label
    else:
        text = "#".join(
            f"{attribute_label(a, labels)}#{_part(a, need, entity)}" for a in layout.partition
        )
    return text + ("#SHARD#{shard}" if layout.shards > 1 else "")


def read_operation(
    need: Need,
    slot_name: str,
    kind: str,
    layout: Layout,
    entity: Entity,
    labels: dict[str, str],
    pk_name: str,
    sk_name: str,
    include_labels: tuple[str, ...] = (),
) -> Operation:
    """GetItem when the values give the whole table key, else one Query on the slot."""
    params = {a: a for a in need.equal if a not in dict(need.constants)}
    index = None if kind == "table" else slot_name
    pk = partition_value(layout, need, entity, labels)
    k = layout.prefix_length(need)
    base = "#".join((entity.label, *(_part(a, need, entity) for a in layout.sort[:k])))
    common: dict[str, Any] = {
        "pattern": need.pattern,
        "name": need.name,
        "entity": need.entity,
        "action": "read",
        "consistent": need.strong,
        "shards": layout.shards,
    }
    if kind == "table" and whole_key(layout, need) and not need.include and k == len(layout.sort):
        call = "BatchGetItem" if need.batch else "GetItem"
        return Operation(
            call=call, key={"PK": pk, "SK": base}, parameters=params, batch=need.batch, **common
        )
    names = {"#pk": pk_name, "#sk": sk_name}
    values = {":pk": pk}
    if need.include:
        condition = "#pk = :pk AND #sk BETWEEN :lo AND :hi"
        low, high = collection_range(list(include_labels))
        values.update({":lo": low, ":hi": high})
    elif need.sort is not None and need.range is not None:
        more = k + 1 < len(layout.sort)
        s = need.sort
        params[s] = s
        condition, extra = _range(need.range, base, "{" + s + "}", more)
        if need.range == "between":
            params.pop(s)
            params[s + "From"] = s
            params[s + "To"] = s
            extra = {":lo": f"{base}#{{{s}From}}", ":hi": f"{base}#{{{s}To}}$"}
        values.update(extra)
    elif k == len(layout.sort):
        condition = "#pk = :pk AND #sk = :sk"
        values[":sk"] = base
    else:
        condition = "#pk = :pk AND begins_with(#sk, :sk)"
        values[":sk"] = base + "#"
    if layout.shards > 1:
        params["shard"] = "shard"
    return Operation(
        call="Query",
        index=index,
        key_condition=condition,
        names=names,
        values=values,
        parameters=params,
        forward=need.order != "desc",
        order_by=layout.sort[k:],
        include=need.include,
        batch=need.batch,
        **common,
    )


def _range(kind: str, base: str, value: str, more: bool) -> tuple[str, dict[str, str]]:
    between = "#pk = :pk AND #sk BETWEEN :lo AND :hi"
    if kind == "eq":
        if more:
            return "#pk = :pk AND begins_with(#sk, :sk)", {":sk": f"{base}#{value}#"}
        return "#pk = :pk AND #sk = :sk", {":sk": f"{base}#{value}"}
    if kind == "begins_with":
        return "#pk = :pk AND begins_with(#sk, :sk)", {":sk": f"{base}#{value}"}
    bounds = {
        "lt": (f"{base}#", f"{base}#{value}"),
        "le": (f"{base}#", f"{base}#{value}$"),
        "gt": (f"{base}#{value}$", f"{base}$"),
        "ge": (f"{base}#{value}", f"{base}$"),
        "between": ("", ""),
    }[kind]
    return between, {":lo": bounds[0], ":hi": bounds[1]}


def write_operation(
    need: Need,
    layout: Layout,
    entity: Entity,
    labels: dict[str, str],
    parent: tuple[Entity, Layout] | None,
) -> Operation:
    """PutItem, UpdateItem or DeleteItem with the pattern's condition; a transaction when a new
    child must not outlive a missing parent."""
    pk = partition_value(layout, need, entity, labels)
    sk = "#".join((entity.label, *("{" + a + "}" for a in layout.sort)))
    condition = None
    names = {"#pk": "PK"}
    values: dict[str, str] = {}
    if need.condition == "create-only":
        condition = "attribute_not_exists(#pk)"
    elif need.condition == "version":
        names["#version"] = VERSION
        values[":expected"] = "{expectedVersion}"
        condition = "#version = :expected"
        if need.action == "put":
            condition = "attribute_not_exists(#pk) OR #version = :expected"
    names = {k: v for k, v in names.items() if condition and k in condition}
    call = {"put": "PutItem", "update": "UpdateItem", "delete": "DeleteItem"}[need.action]
    parent_code = None
    if parent is not None and need.action == "put" and need.condition == "create-only":
        call = "TransactWriteItems"
        parent_code = parent[0].code
    return Operation(
        pattern=need.pattern,
        name=need.name,
        entity=need.entity,
        action=need.action,
        call=call,
        key={"PK": pk, "SK": sk},
        names=names,
        values=values,
        parameters={a: a for a in entity.ids},
        condition=condition,
        parent=parent_code,
    )


def exists_conditions(layout: Layout) -> list[str]:
    return [a for a, v in layout.sparse if v is EXISTS]


def link_write_operation(
    need: Need,
    layout: Layout,
    link: Entity,
    labels: dict[str, str],
    sides: tuple[tuple[Entity, Layout], ...],
) -> Operation | tuple[str, str]:
    """A write of a many-to-many link item, or why it cannot be planned (reason, fix).

    Adding a link is one TransactWriteItems: a ConditionCheck that each side's item exists, so
    no link points at nothing, and the Put of the link item with the pattern's condition; with
    a counter, the included side's check becomes an Update of its counter. Removing a counted
    link is a transaction too (Delete, counter down); other updates and deletes touch the link
    item alone.
    """
    single = write_operation(need, layout, link, labels, None)
    counted = need.counter is not None
    if need.action == "update" or (need.action == "delete" and not counted):
        return single
    parts: list[TransactPart] = []
    parameters = dict(single.parameters)
    for side, side_layout in sides:
        if not all(link.required(a) for a in side_layout.attributes):
            if counted and side.code == need.linked:
                return (
                    f"{side.name}'s table key ({', '.join(side_layout.attributes)}) does not "
                    f"come from the link item, so its counter cannot be updated with the link",
                    f"drop the counter, or read {side.name} by its identifier only",
                )
            continue  # the link item cannot name this side's item; it is not checked
        parameters.update({a: a for a in side_layout.attributes})
        key = {
            "PK": partition_value(side_layout, need, side, labels),
            "SK": "#".join((side.label, *("{" + a + "}" for a in side_layout.sort))),
        }
        if counted and side.code == need.linked:
            step = (
                "if_not_exists(#counter, :zero) + :one"
                if need.action == "put"
                else "#counter - :one"
            )
            values: dict[str, Any] = {":one": 1}
            if need.action == "put":
                values[":zero"] = 0
            parts.append(
                TransactPart(
                    "Update",
                    side.code,
                    key,
                    condition="attribute_exists(#pk)",
                    update=f"SET #counter = {step}",
                    names={"#pk": "PK", "#counter": need.counter or ""},
                    values=values,
                )
            )
        elif need.action == "put":
            parts.append(
                TransactPart(
                    "ConditionCheck",
                    side.code,
                    key,
                    condition="attribute_exists(#pk)",
                    names={"#pk": "PK"},
                )
            )
    if need.action == "put":
        main = TransactPart(
            "Put",
            link.code,
            single.key,
            condition=single.condition,
            names=single.names,
            values=dict(single.values),
        )
    else:
        versioned = need.condition == "version"
        main = TransactPart(
            "Delete",
            link.code,
            single.key,
            condition="#version = :expected" if versioned else "attribute_exists(#pk)",
            names={"#version": VERSION} if versioned else {"#pk": "PK"},
            values=dict(single.values) if versioned else {},
        )
    if not parts:
        return single  # nothing else to keep consistent
    return Operation(
        pattern=need.pattern,
        name=need.name,
        entity=need.entity,
        action=need.action,
        call="TransactWriteItems",
        key=single.key,
        names=main.names,
        values=main.values,
        parameters=parameters,
        condition=main.condition,
        transact=(*parts, main),
    )
