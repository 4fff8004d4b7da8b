"""The table proof: planned operations on moto agree with a naive filter and sort; writes honour
their conditions; a broken plan is caught; starters are proven or refused with a reason."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.generators.table import plan_table
from app.proofs import table as proof
from app.proofs.table import format_proof, prove_table
from tests.generators.table.factories import STARTERS, aggregate, design, load, pattern, shop


def test_every_pattern_of_the_shop_passes_with_items_to_compare() -> None:
    report = prove_table(shop())
    assert report.passed, format_proof(report)
    reads = [p for p in report.patterns if p.operation in ("Query", "GetItem")]
    assert all(p.items > 0 for p in reads)
    assert {p.operation for p in report.patterns} >= {
        "GetItem",
        "Query",
        "UpdateItem",
        "TransactWriteItems",
    }


def test_format_proof_prints_a_line_per_pattern_and_a_summary() -> None:
    report = prove_table(shop())
    lines = format_proof(report).splitlines()
    assert len(lines) == len(report.patterns) + 1
    assert all(line.startswith("PASS ") for line in lines[:-1])
    assert f"proven on {report.sample_items} sample items" in lines[-1]


def test_a_wrong_sort_direction_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = proof.plan_table

    def broken(valid):
        plan = real(valid)
        operation = plan.operations["OrdersOfCustomer"]
        plan.operations["OrdersOfCustomer"] = replace(operation, forward=not operation.forward)
        return plan

    monkeypatch.setattr(proof, "plan_table", broken)
    report = prove_table(shop())
    failed = {p.pattern: p.reason for p in report.patterns if not p.passed}
    assert list(failed) == ["OrdersOfCustomer"]
    assert "naive filter" in failed["OrdersOfCustomer"]


def test_a_key_condition_that_reads_too_much_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = proof.plan_table

    def broken(valid):
        plan = real(valid)
        operation = plan.operations["OrdersOfCustomer"]
        plan.operations["OrdersOfCustomer"] = replace(
            operation,
            key_condition="#pk = :pk",
            names={"#pk": operation.names["#pk"]},
            values={":pk": operation.values[":pk"]},
        )
        return plan

    monkeypatch.setattr(proof, "plan_table", broken)
    report = prove_table(shop())
    assert [p.pattern for p in report.patterns if not p.passed] == ["OrdersOfCustomer"]


def test_unserved_patterns_fail_with_their_reason() -> None:
    valid = design(
        [aggregate("Page", {"pageId": "string", "bookId": "string"})],
        [
            pattern("Fix page", "Page", action="update", by=["pageId"]),
            pattern("Pages of book", "Page", by=["bookId"], consistency="strong"),
        ],
    )
    report = prove_table(valid)
    failed = [p for p in report.patterns if not p.passed]
    assert [p.pattern for p in failed] == ["PagesOfBook"]
    assert failed[0].reason.startswith("not served: ")
    assert "FAIL PagesOfBook" in format_proof(report)


def test_write_conditions_refuse_what_they_must() -> None:
    valid = design(
        [aggregate("Account", {"accountId": "string", "balance": "decimal", "version": "integer"})],
        [
            pattern("Open account", "Account", action="put", condition="create-only"),
            pattern("Replace account", "Account", action="put", condition="version"),
            pattern("Change balance", "Account", action="update", condition="version"),
            pattern("Close account", "Account", action="delete", condition="version"),
            pattern("Touch account", "Account", action="update"),
            pattern("Forget account", "Account", action="delete"),
        ],
    )
    report = prove_table(valid)
    assert report.passed, format_proof(report)
    assert len(report.patterns) == 6


@pytest.mark.parametrize("path", sorted(STARTERS.glob("*.storm.yaml")), ids=lambda p: p.name)
def test_every_served_pattern_of_a_starter_is_proven(path: Path) -> None:
    valid = load(path)
    unserved = {u.pattern for u in plan_table(valid).unserved}
    report = prove_table(valid)
    wrong = [
        (p.pattern, p.reason) for p in report.patterns if not p.passed and p.pattern not in unserved
    ]
    assert wrong == []


def test_a_sharded_index_is_read_across_every_shard_and_merged_in_order() -> None:
    valid = design(
        [aggregate("Event", {"eventId": "string", "kind": "enum(A, B)", "at": "datetime"})],
        [
            pattern("Record event", "Event", action="put", requests_per_month=30_000_000_000),
            pattern("Events after", "Event", sort="at", range="gt", order="desc"),
            pattern("Events of kind", "Event", by=["kind"], sort="at"),
        ],
    )
    plan = plan_table(valid)
    assert plan.operations["EventsAfter"].shards > 1
    report = prove_table(valid)
    assert report.passed, format_proof(report)
    assert next(p for p in report.patterns if p.pattern == "EventsAfter").items > 2
