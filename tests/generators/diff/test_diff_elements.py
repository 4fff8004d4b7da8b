"""Element changes in plain language: add, remove, rename, move, and field changes."""

from __future__ import annotations

from typing import Any

import pytest

from app.generators.diff import diff_designs
from tests.generators.diff.factories import base, edited, load, named, ordering, shipping

BASE = load(base())


def sentences(change: Any) -> list[str]:
    return [c.text for c in diff_designs(BASE, edited(change), artifacts=False).changes]


def test_the_same_design_has_no_changes() -> None:
    diff = diff_designs(BASE, load(base()))
    assert diff.changes == ()
    assert diff.empty


# kind, name of the element in Ordering (or "Shipping" for contexts)
ELEMENTS = [
    ("actors", "actor", "Customer"),
    ("aggregates", "aggregate", "Order"),
    ("commands", "command", "Place order"),
    ("events", "event", "Order placed"),
    ("policies", "policy", "Charge when placed"),
    ("read_models", "read model", "Orders of customer"),
    ("access_patterns", "access pattern", "Orders by customer"),
    ("external_systems", "external system", "Payment provider"),
    ("calls", "direct call", "Place order calls Charge payment"),
    ("schedules", "schedule", "Nightly report"),
    ("sources", "source", "Order uploads"),
    ("workflows", "workflow", "Fulfil order"),
    ("hotspots", "hotspot", "Who refunds?"),
]


@pytest.mark.parametrize(("kind", "singular", "name"), ELEMENTS)
def test_an_element_renamed_without_ids_is_a_rename(kind: str, singular: str, name: str) -> None:
    def rename(data: dict[str, Any]) -> None:
        items = ordering(data)[kind]
        element = items[0] if kind == "calls" else named(items, name)
        element["name"] = "Renamed thing"
        _retarget(data, name, "Renamed thing")

    found = sentences(rename)
    assert found[0] == f"renamed the {singular} {name} to Renamed thing"
    assert not any(s.startswith(("added", "removed")) for s in found)


def _retarget(node: Any, old: str, new: str) -> None:
    """Point every reference by name at the renamed element (as the studio does)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and value == old and key != "name":
                node[key] = new
            else:
                _retarget(value, old, new)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if value == old:
                node[i] = new
            else:
                _retarget(value, old, new)


def test_a_rename_keeps_references_quiet() -> None:
    def rename(data: dict[str, Any]) -> None:
        named(ordering(data)["events"], "Order placed")["name"] = "Order submitted"
        _retarget(data, "Order placed", "Order submitted")

    assert sentences(rename) == ["renamed the event Order placed to Order submitted"]


def test_a_rename_with_ids_is_found_by_id_even_when_content_changed() -> None:
    first = base()
    named(ordering(first)["commands"], "Place order")["id"] = "cmd-place1"
    second = base()
    command = named(ordering(second)["commands"], "Place order")
    command.update(id="cmd-place1", name="Submit order", route="POST /submissions")
    _retarget(second, "Place order", "Submit order")
    diff = diff_designs(load(first), load(second), artifacts=False)
    assert [c.text for c in diff.changes] == [
        "renamed the command Place order to Submit order",
        "renamed the direct call Place order calls Charge payment to Submit order calls "
        "Charge payment",
        "the route of Submit order changed from POST /orders to POST /submissions",
    ]


def add_one_of_each(data: dict[str, Any]) -> None:
    """Add one element of every kind to Shipping."""
    ctx = shipping(data)
    ctx["actors"] = [{"name": "Courier"}]
    ctx["aggregates"] = [{"name": "Parcel", "attributes": {"parcelId": "string"}}]
    ctx["commands"].append({"name": "Track parcel", "aggregate": "Parcel"})
    ctx["events"].append({"name": "Parcel lost"})
    ctx["policies"] = [
        {"name": "Track when shipped", "event": "Order shipped", "command": "Track parcel"}
    ]
    ctx["read_models"] = [{"name": "Parcel status", "route": "GET /parcels/{parcelId}"}]
    ctx["access_patterns"] = [{"name": "Parcel by id", "entity": "Parcel", "by": ["parcelId"]}]
    ctx["external_systems"] = [{"name": "Carrier"}]
    ctx["calls"] = [{"caller": "Ship order", "callee": "Track parcel"}]
    ctx["schedules"] = [
        {"name": "Hourly sweep", "expression": "rate(1 hour)", "command": "Track parcel"}
    ]
    ctx["sources"] = [{"name": "Label uploads", "kind": "bucket", "consumer": "Track parcel"}]
    ctx["workflows"] = [{"name": "Deliver", "steps": [{"name": "Go", "task": "Ship order"}]}]
    ctx["hotspots"] = [{"name": "Which carrier?"}]


ONE_OF_EACH = [
    ("actor", "Courier"),
    ("command", "Track parcel"),
    ("event", "Parcel lost"),
    ("aggregate", "Parcel"),
    ("policy", "Track when shipped"),
    ("read model", "Parcel status"),
    ("access pattern", "Parcel by id"),
    ("external system", "Carrier"),
    ("direct call", "Ship order calls Track parcel"),
    ("schedule", "Hourly sweep"),
    ("source", "Label uploads"),
    ("workflow", "Deliver"),
    ("hotspot", "Which carrier?"),
]


def test_removed_elements_of_each_kind() -> None:
    diff = diff_designs(edited(add_one_of_each), BASE, artifacts=False)
    assert [(c.action, c.context, c.text) for c in diff.changes] == [
        ("removed", "Shipping", f"removed the {kind} {name}") for kind, name in ONE_OF_EACH
    ]


def test_added_elements_of_each_kind() -> None:
    assert sentences(add_one_of_each) == [
        "added the actor Courier",
        "added the command Track parcel",
        "added the event Parcel lost",
        "added the aggregate Parcel",
        "added the policy Track when shipped",
        "added the read model Parcel status",
        "added the access pattern Parcel by id",
        "added the external system Carrier",
        "added the direct call Ship order calls Track parcel",
        "added the schedule Hourly sweep",
        "added the source Label uploads",
        "added the workflow Deliver",
        "added the hotspot Which carrier?",
    ]


def test_an_element_moved_between_contexts() -> None:
    def move(data: dict[str, Any]) -> None:
        event = named(ordering(data)["events"], "Order placed")
        ordering(data)["events"].remove(event)
        shipping(data)["events"].append(event)

    diff = diff_designs(BASE, edited(move), artifacts=False)
    assert [(c.action, c.context, c.text) for c in diff.changes] == [
        ("moved", "Shipping", "moved the event Order placed from Ordering to Shipping"),
    ]


def test_a_context_renamed_without_ids_keeps_its_elements() -> None:
    found = sentences(lambda data: shipping(data).update(name="Delivery"))
    assert found == ["renamed the context Shipping to Delivery"]


def test_added_and_removed_contexts() -> None:
    def swap(data: dict[str, Any]) -> None:
        data["contexts"][1] = {"name": "Billing", "events": [{"name": "Invoice sent"}]}

    diff = diff_designs(BASE, edited(swap), artifacts=False)
    assert [(c.context, c.text) for c in diff.changes] == [
        ("Billing", "added the context Billing"),
        ("Billing", "added the event Invoice sent"),
        ("Shipping", "removed the context Shipping"),
        ("Shipping", "removed the command Ship order"),
        ("Shipping", "removed the event Order shipped"),
    ]


def _id_of(kind: str) -> str:
    return BASE.of_kind(kind)[0].id


FIELD_CHANGES = [
    (
        lambda d: named(ordering(d)["commands"], "Place order")["emits"].append("Order shipped"),
        "Place order now emits Order shipped too",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").update(emits=[]),
        "Place order no longer emits Order placed",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").update(
            emits=[{"event": "Order placed", "probability": 0.05}]
        ),
        "the probability that Place order emits Order placed went from 100% to 5%",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").update(route="POST /v2/orders"),
        "the route of Place order changed from POST /orders to POST /v2/orders",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").pop("route"),
        "Place order no longer has a route (was POST /orders)",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Charge payment").update(
            workload={"memory_mb": 1024}
        ),
        "the memory of Charge payment went from 512 MB to 1,024 MB",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Charge payment").update(
            workload={"overrides": {"timeout_s": 30}}
        ),
        "Charge payment now has a timeout override: 30 s",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").update(actors=[]),
        "Place order can no longer be called by Customer",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order")["input"].update(note="string?"),
        "Place order now has the input field note (string?)",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").update(
            input={"customerId": "integer"}
        ),
        "the input field customerId of Place order changed from string to integer",
    ),
    (
        lambda d: named(ordering(d)["commands"], "Place order").update(description="Buys things."),
        "the description of Place order changed",
    ),
    (
        lambda d: named(ordering(d)["events"], "Order placed").update(version=2),
        "the version of Order placed went from 1 to 2",
    ),
    (
        lambda d: named(ordering(d)["events"], "Order placed")["fields"].pop("orderId"),
        "Order placed no longer has the field orderId",
    ),
    (
        lambda d: named(ordering(d)["aggregates"], "Order")["attributes"].update(total="decimal"),
        "Order now has the attribute total (decimal)",
    ),
    (
        lambda d: named(ordering(d)["access_patterns"], "Orders by customer").update(order="desc"),
        "Orders by customer now sorts newest first",
    ),
    (
        lambda d: named(ordering(d)["access_patterns"], "Orders by customer").update(
            consistency="strong"
        ),
        "the read consistency of Orders by customer changed from eventual to strong",
    ),
    (
        lambda d: named(ordering(d)["policies"], "Charge when placed").update(
            command=None, workflow="Fulfil order"
        ),
        "Charge when placed no longer has a command (was Charge payment)",
    ),
    (
        lambda d: named(ordering(d)["policies"], "Charge when placed").update(
            event="Order shipped"
        ),
        "the event of Charge when placed changed from Order placed to Order shipped",
    ),
    (
        lambda d: named(ordering(d)["schedules"], "Nightly report").update(
            expression="rate(2 days)"
        ),
        "the schedule of Nightly report changed from rate(1 day) to rate(2 days)",
    ),
    (
        lambda d: named(ordering(d)["sources"], "Order uploads").update(suffix=".csv"),
        "the suffix of Order uploads changed from nothing to .csv",
    ),
    (
        lambda d: named(ordering(d)["read_models"], "Orders of customer").update(
            access_patterns=[]
        ),
        "Orders of customer no longer uses the access pattern Orders by customer",
    ),
    (
        lambda d: named(ordering(d)["external_systems"], "Payment provider").update(
            called_by=["Charge payment", "Place order"]
        ),
        "Place order now calls Payment provider",
    ),
    (
        lambda d: named(ordering(d)["hotspots"], "Who refunds?").update(status="resolved"),
        "the status of Who refunds? changed from open to resolved",
    ),
    (
        lambda d: d["settings"]["api"].update(type="rest"),
        "settings: API type changed from HTTP to REST",
    ),
    (
        lambda d: d["settings"].update(region="eu-west-1"),
        "settings: region changed from us-east-1 to eu-west-1",
    ),
    (
        lambda d: d["settings"].update(runtime="python3.13"),
        "settings: runtime changed from python3.12 to python3.13",
    ),
    (
        lambda d: named(ordering(d)["external_systems"], "Payment provider").update(
            webhook={"route": "POST /hooks/pay", "emits": ["Order placed"]}
        ),
        "Payment provider now has a webhook: {route: POST /hooks/pay, signature: hmac-sha256, "
        "emits: {Order placed: {probability: 100%, count: 1}}, command: none}",
    ),
    (
        lambda d: d.update(description="All of the shop."),
        "the design's description changed",
    ),
    (
        lambda d: d.update(
            accepted_findings=[
                {"rule": "direct-call", "element": _id_of("calls"), "reason": "Fast enough."}
            ]
        ),
        "the finding direct-call on Place order calls Charge payment is now accepted",
    ),
    (
        lambda d: d.update(name="Shop v2"),
        "the design's name changed from Shop to Shop v2",
    ),
]


@pytest.mark.parametrize(("change", "sentence"), FIELD_CHANGES)
def test_a_field_change_reads_as_one_sentence(change: Any, sentence: str) -> None:
    assert sentence in sentences(change)


def test_a_policy_switching_from_command_to_workflow() -> None:
    found = sentences(
        lambda d: named(ordering(d)["policies"], "Charge when placed").update(
            command=None, workflow="Fulfil order"
        )
    )
    assert found == [
        "Charge when placed no longer has a command (was Charge payment)",
        "Charge when placed now has a workflow: Fulfil order",
    ]


def test_field_change_carries_old_and_new_values_by_name() -> None:
    diff = diff_designs(
        BASE,
        edited(
            lambda d: named(ordering(d)["commands"], "Place order")["emits"].append("Order shipped")
        ),
        artifacts=False,
    )
    (change,) = diff.changes
    assert (change.action, change.kind, change.name, change.context) == (
        "changed", "commands", "Place order", "Ordering",
    )  # fmt: skip
    assert change.new == {"probability": 1.0, "count": 1.0}
    assert change.field.startswith("emits[")


def test_no_rename_is_guessed_when_two_candidates_look_alike() -> None:
    first, second = base(), base()
    shipping(first)["actors"] = [{"name": "Clerk"}, {"name": "Driver"}]
    shipping(second)["actors"] = [{"name": "Courier"}, {"name": "Packer"}]
    diff = diff_designs(load(first), load(second), artifacts=False)
    assert [c.text for c in diff.changes] == [
        "added the actor Courier",
        "added the actor Packer",
        "removed the actor Clerk",
        "removed the actor Driver",
    ]


def test_a_move_with_ids_also_reports_field_changes() -> None:
    first, second = base(), base()
    named(ordering(first)["events"], "Order placed")["id"] = "evt-placed1"
    event = named(ordering(second)["events"], "Order placed")
    ordering(second)["events"].remove(event)
    event.update(id="evt-placed1", size_kb=4)
    shipping(second)["events"].append(event)
    diff = diff_designs(load(first), load(second), artifacts=False)
    assert [(c.action, c.context, c.text) for c in diff.changes] == [
        ("moved", "Shipping", "moved the event Order placed from Ordering to Shipping"),
        ("changed", "Shipping", "the event size of Order placed went from 1 KB to 4 KB"),
    ]
