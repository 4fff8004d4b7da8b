"""The planner's decisions: keys, collections, indexes, sparse and inverted indexes, TTL,
sharding, local indexes, refusals with reasons, stability and determinism."""

from __future__ import annotations

import os
import subprocess
import sys

from app.generators.table import plan_table
from app.generators.table.plan import TablePlan
from tests.generators.table.factories import aggregate, design, pattern, shop


def operation(plan: TablePlan, code: str) -> dict:
    return next(p for p in plan.to_json()["patterns"] if p["pattern"] == code)


def test_a_lookup_by_identifier_is_one_get_item_on_the_table() -> None:
    plan = plan_table(shop())
    call = operation(plan, "CustomerById")
    assert call["operation"] == "GetItem"
    assert call["key"] == {"PK": "CUSTOMER#{customerId}", "SK": "CUSTOMER"}


def test_a_parent_with_its_children_is_one_query_over_an_item_collection() -> None:
    plan = plan_table(shop())
    call = operation(plan, "OrderWithLines")
    assert call["operation"] == "Query"
    where = call.get("index", "table")
    order_pk, _ = plan.templates("Order")[where]
    line_pk, _ = plan.templates("OrderLine")[where]
    assert order_pk == line_pk == "ORDER#{orderId}"
    assert call["key_condition"] == "#pk = :pk AND #sk BETWEEN :lo AND :hi"


def test_a_range_on_a_sort_attribute_is_a_key_condition_not_a_filter() -> None:
    call = operation(plan_table(shop()), "OrdersOfCustomer")
    assert "BETWEEN" in call["key_condition"]
    assert call["scan_index_forward"] is False
    assert "filter" not in str(call).lower()


def test_a_constant_filter_gets_a_sparse_index_and_an_exists_filter_too() -> None:
    plan = plan_table(shop())
    doc = plan.to_json()
    open_orders = operation(plan, "OpenOrdersOfCustomer")
    coupon = operation(plan, "OrdersWithCoupon")
    indexes = {i["name"]: i for i in doc["indexes"]}
    assert indexes[open_orders["index"]]["sparse"]
    assert indexes[coupon["index"]]["sparse"]
    keys = next(e for e in doc["entities"] if e["entity"] == "Order")["keys"]
    assert {"attribute": "couponCode", "exists": True} in keys[coupon["index"]]["only_items_with"]


def test_patterns_of_different_entities_share_one_overloaded_index() -> None:
    plan = plan_table(
        design(
            [
                aggregate(
                    "Ticket", {"ticketId": "string", "agentId": "string", "openedAt": "datetime"}
                ),
                aggregate(
                    "Call", {"callId": "string", "agentId": "string", "startedAt": "datetime"}
                ),
            ],
            [
                pattern("Ticket by id", "Ticket", by=["ticketId"]),
                pattern("Call by id", "Call", by=["callId"]),
                pattern("Tickets of agent", "Ticket", by=["agentId"], sort="openedAt"),
                pattern("Calls of agent", "Call", by=["agentId"], sort="startedAt"),
            ],
        )
    )
    assert len(plan.gsis) == 1
    assert sorted(plan.gsis[0].layouts) == ["Call", "Ticket"]
    assert plan.to_json()["indexes"][0]["overloaded"]


def test_a_link_entity_read_from_both_sides_gets_an_inverted_index() -> None:
    plan = plan_table(
        design(
            [
                aggregate(
                    "Membership",
                    {"userId": "string", "groupId": "string", "role": "string"},
                    identifier=["userId", "groupId"],
                )
            ],
            [
                pattern("Groups of user", "Membership", by=["userId"]),
                pattern("Members of group", "Membership", by=["groupId"]),
            ],
        )
    )
    doc = plan.to_json()
    assert doc["gsi_count"] == 1
    assert doc["indexes"][0]["inverted_for"] == ["Membership"]


def test_many_to_many_include_reads_link_items_in_the_parent_collection() -> None:
    plan = plan_table(
        design(
            [
                aggregate(
                    "Student",
                    {"studentId": "string", "name": "string"},
                    relationships=[{"entity": "Course", "kind": "many-to-many"}],
                ),
                aggregate("Course", {"courseId": "string", "title": "string"}),
            ],
            [pattern("Student with courses", "Student", by=["studentId"], include=["Course"])],
        )
    )
    assert not plan.unserved
    assert "StudentCourseLink" in plan.entities
    assert plan.templates("StudentCourseLink")["table"][0] == "STUDENT#{studentId}"


def test_entities_that_expire_get_the_table_ttl_attribute() -> None:
    plan = plan_table(
        design(
            [
                aggregate(
                    "Session", {"sessionId": "string", "expiresAt": "datetime"}, ttl="expiresAt"
                )
            ],
            [pattern("Session by id", "Session", by=["sessionId"])],
        )
    )
    assert plan.to_json()["table"]["ttl_attribute"] == "ttl"
    keys = plan.item_keys("Session", {"sessionId": "s1", "expiresAt": "2026-01-01T00:00:00Z"})
    assert keys["ttl"] == "1767225600"


def test_a_hot_index_partition_is_write_sharded_and_read_with_a_fan_out() -> None:
    plan = plan_table(
        design(
            [aggregate("Event", {"eventId": "string", "kind": "enum(A, B)", "at": "datetime"})],
            [
                pattern("Record event", "Event", action="put", requests_per_month=30_000_000_000),
                pattern("Events by time", "Event", sort="at", range="gt"),
            ],
        )
    )
    call = operation(plan, "EventsByTime")
    assert call["shards"] > 1
    assert "{shard}" in call["expression_attribute_values"][":pk"]
    assert any("sharded" in w for w in plan.warnings)


def test_strong_reads_on_an_alternate_sort_use_a_local_index() -> None:
    plan = plan_table(
        design(
            [aggregate("Page", {"pageId": "string", "bookId": "string", "number": "integer"})],
            [
                pattern("Fix page", "Page", action="update", by=["bookId", "pageId"]),
                pattern(
                    "Pages of book in order",
                    "Page",
                    by=["bookId"],
                    sort="number",
                    consistency="strong",
                ),
            ],
        )
    )
    call = operation(plan, "PagesOfBookInOrder")
    assert call["index"] == "LSI1" and call["consistent_read"] is True
    assert not plan.gsis


def test_what_cannot_be_served_is_reported_with_reason_and_fix() -> None:
    plan = plan_table(
        design(
            [aggregate("Page", {"pageId": "string", "bookId": "string", "tags": "list<string>"})],
            [
                pattern("Fix page", "Page", action="update", by=["pageId"]),
                pattern("Pages of book", "Page", by=["bookId"], consistency="strong"),
                pattern("Pages by tags", "Page", by=["tags"]),
                pattern("Rename page", "Page", action="update", by=["bookId"]),
            ],
        )
    )
    reasons = {u.pattern: (u.reason, u.fix) for u in plan.unserved}
    assert set(reasons) == {"PagesOfBook", "PagesByTags", "RenamePage"}
    assert "Fix page" in reasons["PagesOfBook"][0] and "bookId" in reasons["PagesOfBook"][1]
    assert "list" in reasons["PagesByTags"][0]
    assert "identifier" in reasons["RenamePage"][0]


def changed_templates(before: TablePlan, after: TablePlan) -> int:
    changed = 0
    for code in before.entities:
        old, new = before.templates(code), after.templates(code)
        changed += sum(1 for slot, keys in old.items() if new.get(slot) != keys)
    return changed


def test_adding_a_pattern_changes_no_existing_key_template() -> None:
    before = plan_table(shop())
    for extra in (
        pattern("Orders by status", "Order", by=["status"], sort="createdAt"),
        pattern("Lines of order", "Order line", by=["orderId"]),
        pattern("Gold customers", "Customer", filters={"tier": "GOLD"}),
        pattern("Line by sku", "Order line", by=["sku"]),
    ):
        after = plan_table(shop([extra]))
        assert not after.unserved
        assert changed_templates(before, after) == 0, extra["name"]


def test_the_plan_is_the_same_under_another_hash_seed() -> None:
    script = (
        "from tests.generators.table.factories import shop;"
        "from app.generators.table import table_files;"
        "import hashlib;"
        "print(hashlib.sha256(b''.join(a.content for a in table_files(shop()))).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_large_items_and_hot_read_partitions_are_warned_about() -> None:
    plan = plan_table(
        design(
            [aggregate("Blob", {"blobId": "string", "kind": "enum(A, B)"}, item_size_kb=380)],
            [pattern("Blobs of kind", "Blob", by=["kind"], requests_per_month=50_000_000_000)],
        )
    )
    assert any("near the 400 KB item limit" in w for w in plan.warnings)
    assert any("reads per second at peak on one partition" in w for w in plan.warnings)


def test_capacity_counts_index_copies_and_consistency() -> None:
    plan = plan_table(shop())
    put = plan.capacity["PlaceOrder"]
    copies = 1 + sum(1 for s in plan.slots if s.kind != "table" and "Order" in s.layouts)
    # a transaction costs double, and its check that the customer exists costs 2 more
    assert put.unit == "WCU" and put.units_per_call == copies * 2 + 2
    assert plan.capacity["CustomerById"].units_per_call == 0.5  # eventual, one 1 KB item
