"""Reads of several items by a list of values (BatchGetItem, or one Query per value) and writes
of many-to-many link items (a transaction with both sides, a counter, create-only and version
conditions)."""

from __future__ import annotations

from typing import Any

import pytest

from app.generators.table import plan_table
from app.generators.table.explain import data_model
from app.generators.table.plan import TablePlan
from tests.generators.table.factories import DESIGNS, aggregate, design, load, pattern, shop
from tests.generators.table.test_plan import changed_templates


def operation(plan: TablePlan, code: str) -> dict[str, Any]:
    return next(p for p in plan.to_json()["patterns"] if p["pattern"] == code)


def enrolment(*patterns: dict[str, Any], counter_type: str = "integer") -> TablePlan:
    return plan_table(
        design(
            [
                aggregate(
                    "Student",
                    {"studentId": "string", "name": "string"},
                    relationships=[{"entity": "Course", "kind": "many-to-many"}],
                ),
                aggregate(
                    "Course",
                    {"courseId": "string", "title": "string", "enrolled": counter_type},
                    relationships=[{"entity": "Student", "kind": "many-to-many"}],
                ),
                aggregate("Room", {"roomId": "string", "courseId": "string"}),
            ],
            [
                pattern("Student with courses", "Student", by=["studentId"], include=["Course"]),
                pattern("Course with students", "Course", by=["courseId"], include=["Student"]),
                *patterns,
            ],
        )
    )


# --- several items by a list of values -----------------------------------------------------------


def test_a_read_by_a_list_of_identifiers_is_one_batch_get_item_on_the_table_key() -> None:
    plan = plan_table(shop([pattern("Orders by ids", "Order", by=["orderId"], batch=20)]))
    call = operation(plan, "OrdersByIds")
    assert call["operation"] == "BatchGetItem"
    assert call["key"] == {"PK": "ORDER#{orderId}", "SK": "ORDER"}
    assert call["batch"]["values_per_call"] == 20
    single = plan_table(shop([pattern("Order by id", "Order", by=["orderId"])]))
    per_item = single.capacity["OrderById"].units_per_call
    assert call["capacity"]["units_per_call"] == pytest.approx(20 * per_item)
    assert call["capacity"]["items_per_call"] == 20
    assert "dynamodb.batch_get_item(" in call["example"]["boto3"]
    assert "UnprocessedKeys" in call["example"]["boto3"]
    assert call["example"]["aws_cli"].startswith("aws dynamodb batch-get-item")
    document = data_model(plan)
    assert "| Orders by ids | BatchGetItem | table |" in document
    assert "put back in the order of the values given" in document


def test_values_that_are_not_a_table_key_are_read_with_one_query_per_value() -> None:
    plan = plan_table(
        shop([pattern("Orders of customers", "Order", by=["customerId"], batch=5, sort="total")])
    )
    call = operation(plan, "OrdersOfCustomers")
    assert call["operation"] == "Query"
    assert call["batch"]["runs"] == "one Query per value"
    assert call["example"]["boto3"].startswith("# once per value of customerId")


def test_a_batch_read_changes_no_existing_key_template() -> None:
    before = plan_table(shop())
    for extra in (
        pattern("Orders by ids", "Order", by=["orderId"], batch=20),
        pattern("Customers by ids", "Customer", by=["customerId"], batch=50),
        pattern("Orders of customers", "Order", by=["customerId"], batch=5),
    ):
        after = plan_table(shop([extra]))
        assert not after.unserved
        assert changed_templates(before, after) == 0, extra["name"]


def test_a_strongly_consistent_batch_reads_the_table_consistently() -> None:
    plan = plan_table(
        shop([pattern("Orders by ids", "Order", by=["orderId"], batch=3, consistency="strong")])
    )
    call = operation(plan, "OrdersByIds")
    assert call["operation"] == "BatchGetItem"
    assert call["consistent_read"] is True
    assert '"ConsistentRead": true' in call["example"]["aws_cli"]


# --- writes of many-to-many links ----------------------------------------------------------------


def test_adding_a_link_is_a_transaction_that_checks_both_sides_and_puts_it_once() -> None:
    plan = enrolment(
        pattern("Enrol", "Student", action="put", include=["Course"], condition="create-only")
    )
    call = operation(plan, "Enrol")
    assert call["operation"] == "TransactWriteItems"
    assert call["entity"] == "StudentCourseLink"
    parts = [(p["kind"], p["entity"]) for p in call["transact_items"]]
    assert parts == [
        ("ConditionCheck", "Student"),
        ("ConditionCheck", "Course"),
        ("Put", "StudentCourseLink"),
    ]
    put = call["transact_items"][-1]
    assert put["key"] == {"PK": "STUDENT#{studentId}", "SK": "STUDENT_COURSE#{courseId}"}
    assert put["condition"] == "attribute_not_exists(#pk)"
    assert call["transact_items"][0]["key"] == {"PK": "STUDENT#{studentId}", "SK": "STUDENT"}
    assert call["example"]["boto3"].startswith("client.transact_write_items(")
    assert call["example"]["aws_cli"].startswith("aws dynamodb transact-write-items")


def test_a_counted_link_updates_the_counter_in_the_same_transaction() -> None:
    plan = enrolment(
        pattern(
            "Enrol",
            "Student",
            action="put",
            include=["Course"],
            condition="create-only",
            counter="enrolled",
        ),
        pattern("Drop", "Student", action="delete", include=["Course"], counter="enrolled"),
    )
    enrol, drop = operation(plan, "Enrol"), operation(plan, "Drop")
    update = next(p for p in enrol["transact_items"] if p["kind"] == "Update")
    assert update["entity"] == "Course"
    assert update["update_expression"] == "SET #counter = if_not_exists(#counter, :zero) + :one"
    assert update["expression_attribute_names"]["#counter"] == "enrolled"
    assert [p["kind"] for p in drop["transact_items"]] == ["Update", "Delete"]
    assert drop["transact_items"][0]["update_expression"] == "SET #counter = #counter - :one"
    assert drop["transact_items"][1]["condition"] == "attribute_exists(#pk)"
    assert enrol["capacity"]["units_per_call"] > plan.capacity["Drop"].units_per_call / 2


def test_a_link_update_or_uncounted_removal_touches_the_link_item_alone() -> None:
    plan = enrolment(
        pattern("Regrade", "Student", action="update", include=["Course"], condition="version"),
        pattern("Unenrol", "Student", action="delete", include=["Course"]),
    )
    assert operation(plan, "Regrade")["operation"] == "UpdateItem"
    assert operation(plan, "Regrade")["condition"] == "#version = :expected"
    assert operation(plan, "Unenrol")["operation"] == "DeleteItem"


def test_link_writes_change_no_key_template_of_the_reads() -> None:
    before = enrolment()
    for extra in (
        pattern("Enrol", "Student", action="put", include=["Course"], condition="create-only"),
        pattern("Regrade", "Student", action="update", include=["Course"], condition="version"),
        pattern("Unenrol", "Course", action="delete", include=["Student"]),
        pattern("Drop", "Student", action="delete", include=["Course"], counter="enrolled"),
    ):
        after = enrolment(extra)
        assert not after.unserved, after.unserved
        assert changed_templates(before, after) == 0, extra["name"]


@pytest.mark.parametrize(
    ("extra", "counter_type", "reason"),
    [
        (
            pattern("Place", "Course", action="put", include=["Room"]),
            "integer",
            "are not related many-to-many",
        ),
        (
            pattern(
                "Enrol",
                "Student",
                action="put",
                include=["Course"],
                condition="create-only",
                counter="title",
            ),
            "integer",
            "is not an integer attribute of Course",
        ),
        (
            pattern(
                "Enrol",
                "Student",
                action="put",
                include=["Course"],
                condition="version",
                counter="enrolled",
            ),
            "integer",
            "must be put create-only",
        ),
        (
            pattern("Regrade", "Student", action="update", include=["Course"], counter="enrolled"),
            "integer",
            "not when one is updated",
        ),
    ],
    ids=["not-many-to-many", "counter-not-a-number", "counted-version-put", "counted-update"],
)
def test_a_link_write_that_cannot_be_planned_says_why(
    extra: dict[str, Any], counter_type: str, reason: str
) -> None:
    course_room = design(
        [
            aggregate(
                "Student",
                {"studentId": "string"},
                relationships=[{"entity": "Course", "kind": "many-to-many"}],
            ),
            aggregate(
                "Course",
                {"courseId": "string", "title": "string", "enrolled": counter_type},
                relationships=[{"entity": "Room"}],
            ),
            aggregate("Room", {"roomId": "string", "courseId": "string"}),
        ],
        [extra],
    )
    plan = plan_table(course_room)
    assert [u.pattern for u in plan.unserved] == [extra["name"]]
    assert reason in plan.unserved[0].reason
    assert plan.unserved[0].fix


def test_the_enrolment_design_serves_every_pattern() -> None:
    plan = plan_table(load(DESIGNS / "course-enrolment.storm.yaml"))
    assert plan.unserved == ()
    calls = {p["operation"] for p in plan.to_json()["patterns"]}
    assert {"BatchGetItem", "TransactWriteItems", "Query", "GetItem"} <= calls
