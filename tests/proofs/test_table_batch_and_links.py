"""The proof of batch reads and many-to-many link writes on the emulated table: the items and
the order asked for; a second create-only link refused, a stale version refused, a link to a
missing side refused, the counter moved by exactly one, the link read from both sides; and each
of these caught when the plan is broken."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.generators.table import plan_table
from app.generators.table.naive import BATCH, MISSING_NUMBER, choose_parameters
from app.generators.table.samples import sample_items
from app.proofs import table as proof
from app.proofs.table import format_proof, prove_table
from tests.generators.table.factories import DESIGNS, load, pattern, shop

ENROLMENT = DESIGNS / "course-enrolment.storm.yaml"


def failures(report: proof.ProofReport) -> dict[str, str]:
    return {p.pattern: p.reason for p in report.patterns if not p.passed}


def test_every_batch_read_and_link_write_of_the_enrolment_design_is_proven() -> None:
    report = prove_table(load(ENROLMENT))
    assert report.passed, format_proof(report)
    by_pattern = {p.pattern: p for p in report.patterns}
    assert by_pattern["StudentsByIds"].operation == "BatchGetItem"
    assert by_pattern["StudentsByIds"].items >= 3
    assert by_pattern["SessionsOfCourses"].items > by_pattern["StudentsByIds"].items
    assert by_pattern["EnrolStudent"].operation == "TransactWriteItems"
    assert by_pattern["CourseWithStudents"].items > 1


def test_batch_values_are_out_of_table_order_distinct_and_one_matches_nothing() -> None:
    valid = shop([pattern("Orders by ids", "Order", by=["orderId"], batch=20)])
    plan = plan_table(valid)
    need = next(n for n in plan.needs if n.pattern == "OrdersByIds")
    values = [
        v["orderId"] for v in choose_parameters(plan, need, sample_items(plan.entities))[BATCH]
    ]
    assert len(values) == len(set(values)) >= 4
    assert values != sorted(values)
    assert "missing-orderId" in values


def test_the_missing_value_of_a_numeric_identifier_is_a_number() -> None:
    valid = shop([pattern("Lines by quantity", "Order line", by=["quantity"], batch=4)])
    plan = plan_table(valid)
    need = next(n for n in plan.needs if n.pattern == "LinesByQuantity")
    values = choose_parameters(plan, need, sample_items(plan.entities))[BATCH]
    assert {"quantity": MISSING_NUMBER} in values
    assert prove_table(valid).passed


def test_a_batch_read_that_loses_the_order_asked_for_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = proof._batch_get

    def table_order(plan, table, operation, values):  # type: ignore[no-untyped-def]
        return sorted(real(plan, table, operation, values), key=lambda i: (i["PK"], i["SK"]))

    monkeypatch.setattr(proof, "_batch_get", table_order)
    report = prove_table(shop([pattern("Orders by ids", "Order", by=["orderId"], batch=20)]))
    failed = failures(report)
    assert list(failed) == ["OrdersByIds"]
    assert "naive filter" in failed["OrdersByIds"]


def test_a_query_per_value_that_reads_only_the_first_value_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = proof.run_read

    def first_only(plan, table, operation, params):  # type: ignore[no-untyped-def]
        if BATCH in params:
            params = {BATCH: params[BATCH][:1]}
        return real(plan, table, operation, params)

    monkeypatch.setattr(proof, "run_read", first_only)
    extra = pattern("Orders of customers", "Order", by=["customerId"], batch=5, sort="total")
    assert list(failures(prove_table(shop([extra])))) == ["OrdersOfCustomers"]


def broken_link(monkeypatch: pytest.MonkeyPatch, code: str, change) -> None:  # type: ignore[no-untyped-def]
    real = proof.plan_table

    def broken(valid):  # type: ignore[no-untyped-def]
        plan = real(valid)
        operation = plan.operations[code]
        plan.operations[code] = replace(operation, transact=change(operation.transact))
        return plan

    monkeypatch.setattr(proof, "plan_table", broken)


def test_a_link_put_without_its_condition_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    broken_link(
        monkeypatch,
        "EnrolStudent",
        lambda parts: tuple(
            replace(p, condition=None, names={}) if p.kind == "Put" else p for p in parts
        ),
    )
    failed = failures(prove_table(load(ENROLMENT)))
    assert list(failed) == ["EnrolStudent"]
    assert "a second create-only put was not refused" in failed["EnrolStudent"]
    assert "did not go up by exactly one" in failed["EnrolStudent"]


def test_a_link_put_that_forgets_the_counter_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    broken_link(
        monkeypatch, "EnrolStudent", lambda parts: tuple(p for p in parts if p.kind != "Update")
    )
    failed = failures(prove_table(load(ENROLMENT)))
    assert list(failed) == ["EnrolStudent"]
    assert "the counter enrolled did not go up by exactly one" in failed["EnrolStudent"]


def test_a_link_put_that_checks_no_side_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    broken_link(
        monkeypatch,
        "LinkCourseToStudent",
        lambda parts: tuple(
            replace(p, condition="attribute_not_exists(#pk)") if p.kind == "ConditionCheck" else p
            for p in parts
        ),
    )
    failed = failures(prove_table(load(ENROLMENT)))
    assert list(failed) == ["LinkCourseToStudent"]
    assert "the first put was refused" in failed["LinkCourseToStudent"]


def test_a_link_put_that_ignores_the_version_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    broken_link(
        monkeypatch,
        "LinkCourseToStudent",
        lambda parts: tuple(
            replace(p, condition=None, names={}, values={}) if p.kind == "Put" else p for p in parts
        ),
    )
    failed = failures(prove_table(load(ENROLMENT)))
    assert failed == {"LinkCourseToStudent": "a put with a stale version was not refused"}


def test_a_link_removal_that_keeps_the_item_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    broken_link(
        monkeypatch,
        "DropCourse",
        lambda parts: tuple(
            replace(p, kind="ConditionCheck") if p.kind == "Delete" else p for p in parts
        ),
    )
    failed = failures(prove_table(load(ENROLMENT)))
    assert list(failed) == ["DropCourse"]
    assert "still returns the link" in failed["DropCourse"]


def test_a_link_written_under_the_wrong_keys_is_not_read_from_either_side(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = proof.stored_item

    def unindexed(plan, code, item):  # type: ignore[no-untyped-def]
        stored = real(plan, code, item)
        if code == "StudentCourseLink":
            stored = {k: v for k, v in stored.items() if not k.startswith("GSI")}
        return stored

    monkeypatch.setattr(proof, "stored_item", unindexed)
    failed = failures(prove_table(load(ENROLMENT)))
    assert "'Student with courses' does not return the link" in failed["EnrolStudent"]
    assert "'Course with students' does not return the link" in failed["EnrolStudent"]
