"""The review engine: registry, acceptance, rules that wait for providers, report forms."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from app import catalog
from app.model import ValidDesign, load_design
from app.model.errors import format_loc
from app.model.load import parse_design, validate
from app.review import format_review, registry, review, review_files
from app.review.catalog_view import CatalogDataError, RuleText, limits, rule_text_from
from app.review.engine import DuplicateRuleError, Registry, Rule, readable_path

HERE = Path(__file__).parent
POOR = HERE / "poor.storm.yaml"

POOR_FINDINGS = {
    ("scan-access-pattern", "contexts.Shop.access_patterns.All orders.by"),
    ("consumer-without-idempotency", "contexts.Shop.commands.Bill.workload.overrides.idempotency"),
    (
        "reserved-concurrency-zero",
        "contexts.Shop.commands.Bill.workload.overrides.reserved_concurrency",
    ),
    ("api-timeout-too-close", "contexts.Shop.commands.Place order.workload.overrides.timeout_s"),
    ("sync-payload-over-limit", "contexts.Shop.commands.Place order.workload.payload_kb"),
    ("event-over-eventbridge-limit", "contexts.Shop.events.OrderPlaced.size_kb"),
    (
        "consumer-without-dlq",
        "contexts.Shop.policies.Bill when placed.workload.overrides.dead_letter_queue",
    ),
    ("express-cannot-wait", "contexts.Shop.workflows.Refund.steps.Approve.approval"),
    ("item-near-size-limit", "contexts.Shop.aggregates.Order.item_size_kb"),
    ("ephemeral-entity-without-ttl", "contexts.Shop.aggregates.Session.ttl"),
    ("direct-function-call", "contexts.Shop.calls.Place order calls Price"),
    ("route-without-actors", "contexts.Shop.commands.Place order.actors"),
    (
        "cold-start-breaks-budget",
        "contexts.Shop.commands.Place order.workload.overrides.provisioned_concurrency",
    ),
    ("timeout-far-above-p99", "contexts.Shop.commands.Place order.workload.overrides.timeout_s"),
    ("event-without-consumer", "contexts.Shop.events.SessionOpened"),
    ("event-without-fields", "contexts.Shop.events.SessionOpened.fields"),
    ("open-hotspot", "contexts.Shop.hotspots.Who pays shipping?.status"),
    ("policy-without-queue", "contexts.Shop.policies.Bill when placed.delivery"),
    ("consumer-retries-off", "contexts.Shop.policies.Bill when placed.workload.overrides.retries"),
    ("read-model-without-access-patterns", "contexts.Shop.read_models.Orders.access_patterns"),
    (
        "approval-without-timeout-path",
        "contexts.Shop.workflows.Refund.steps.Approve.approval.on_timeout",
    ),
    ("step-retry-off", "contexts.Shop.workflows.Refund.steps.Pay back.retry"),
    ("rest-api-without-rest-features", "settings.api.type"),
    ("unused-aggregate", "contexts.Shop.aggregates.Coupon"),
    ("command-emits-nothing", "contexts.Shop.commands.Price.emits"),
    ("memory-far-from-efficient", "contexts.Shop.commands.Price.workload.memory_mb"),
    ("x86-override", "contexts.Shop.commands.Price.workload.overrides.architecture"),
    ("x86-override", "settings.architecture"),
}


def poor_data() -> dict[str, Any]:
    return yaml.safe_load(POOR.read_text(encoding="utf-8"))


def poor() -> ValidDesign:
    return load_design(POOR.read_text(encoding="utf-8"))


def element_id(valid: ValidDesign, name: str) -> str:
    return next(e.id for e in valid.entries.values() if e.element.name == name)


def test_the_poor_design_yields_exactly_the_findings_the_catalogue_predicts() -> None:
    report = review(poor())
    assert {(f.rule, f.path) for f in report.findings} == POOR_FINDINGS
    assert report.has_errors


def test_findings_are_sorted_errors_first_then_by_path() -> None:
    findings = review(poor()).findings
    assert list(findings) == sorted(findings, key=lambda f: f.sort_key())
    assert findings[0].severity == "error" and findings[-1].severity == "info"


def test_an_accepted_finding_is_set_apart_with_its_reason_and_a_stale_one_is_reported() -> None:
    first = poor()
    scan = element_id(first, "All orders")
    coupon = element_id(first, "Coupon")
    data = poor_data()
    data["accepted_findings"] = [
        {"rule": "scan-access-pattern", "element": scan, "reason": "admin export, run monthly"},
        {"rule": "open-hotspot", "element": coupon, "reason": "no such finding"},
    ]
    report = review(validate(parse_design(data)))
    assert ("scan-access-pattern", scan) not in {(f.rule, f.element) for f in report.findings}
    assert [(a.finding.rule, a.finding.element, a.reason) for a in report.accepted] == [
        ("scan-access-pattern", scan, "admin export, run monthly")
    ]
    assert report.stale_acceptances == (("open-hotspot", coupon),)
    text = format_review(report)
    assert "accepted scan-access-pattern" in text and "admin export, run monthly" in text


def test_a_design_level_finding_can_be_accepted_by_the_design_id() -> None:
    valid = poor()
    data = poor_data()
    data["id"] = valid.design.id
    data["accepted_findings"] = [
        {
            "rule": "rest-api-without-rest-features",
            "element": valid.design.id,
            "reason": "we need WAF",
        }
    ]
    report = review(validate(parse_design(data)))
    assert [a.finding.path for a in report.accepted] == ["settings.api.type"]


def test_a_rule_that_needs_a_missing_provider_is_reported_as_not_run() -> None:
    report = review(poor(), providers={})
    assert [(n.rule, n.needs) for n in report.not_run] == [
        ("gsi-count-near-limit", ("table_plan",)),
        ("unserved-access-pattern", ("table_plan",)),
    ]
    assert "not run gsi-count-near-limit: needs table_plan" in format_review(report)


def test_rules_that_need_the_table_plan_run_by_default() -> None:
    assert not review(poor()).not_run


def test_a_provider_is_computed_once_and_only_when_a_rule_needs_it() -> None:
    calls: list[str] = []

    def plan(valid: ValidDesign) -> object:
        calls.append(valid.design.name)
        return SimpleNamespace(gsis=list(range(19)), unserved=())

    report = review(poor(), providers={"table_plan": plan, "cost_estimate": lambda v: 1 / 0})
    assert calls == ["Poor shop"]
    assert not report.not_run
    assert ("gsi-count-near-limit", "") in {(f.rule, f.path) for f in report.findings}


def test_the_registry_refuses_a_duplicate_id() -> None:
    class One(Rule):
        id = "same-id"
        title = "one"
        severity = "info"
        topic = "structure"

    class Two(One):
        title = "two"

    rules = Registry()
    rules.add(One)
    with pytest.raises(DuplicateRuleError, match="same-id"):
        rules.add(Two)


def test_a_missing_threshold_names_the_catalog_file() -> None:
    rule = registry().get("scan-access-pattern")(RuleText("scan-access-pattern", "w", "f"))
    with pytest.raises(KeyError, match="catalog/rules/scan-access-pattern.yaml"):
        rule.threshold("large_entity_items")


def test_every_limit_is_dated_and_sourced() -> None:
    found = limits()
    for key in (
        "eventbridge.event_kb",
        "sqs.message_kb",
        "stepfunctions.payload_kb",
        "apigateway.payload_kb",
        "apigateway.rest_timeout_s",
        "lambda.sync_payload_kb",
        "lambda.async_payload_kb",
        "dynamodb.item_kb",
    ):
        assert key in found
    for limit in found.values():
        assert limit.source.startswith("https://") and len(limit.as_of) == 10, limit.key


def test_review_files_writes_json_and_markdown() -> None:
    artifacts = {a.path: a for a in review_files(poor())}
    assert set(artifacts) == {"review/findings.json", "review/findings.md"}
    data = json.loads(artifacts["review/findings.json"].content)
    assert data["summary"]["error"] == 8
    assert {(f["rule"], f["path"]) for f in data["findings"]} == POOR_FINDINGS
    markdown = artifacts["review/findings.md"].content.decode()
    assert markdown.startswith("# Design review") and "`scan-access-pattern`" in markdown
    assert "Who pays shipping?" in markdown


def test_a_clean_design_has_no_errors() -> None:
    valid = load_design(
        "name: Tiny\ncontexts: [{name: Shop, events: [{name: Pinged, fields: {at: datetime}}]}]\n"
    )
    report = review(valid, providers={})
    assert not report.has_errors
    assert {f.rule for f in report.findings} == {"event-without-consumer"}


def test_review_output_does_not_depend_on_the_hash_seed() -> None:
    script = (
        "import sys; from app.model import load_design; from app.review import review_files;"
        "v = load_design(open(sys.argv[1]).read());"
        "print([a.sha256 for a in review_files(v)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(POOR)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=HERE.parent.parent,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


STARTERS = catalog.starters()


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.slug)
def test_starters_have_no_error_level_findings(starter: catalog.Starter) -> None:
    report = review(load_design(starter.text()))
    errors = [f"{f.rule} {f.path}: {f.message}" for f in report.findings if f.severity == "error"]
    assert not errors


def test_there_are_starters_to_review() -> None:
    assert STARTERS, "catalog/starters/ holds no starter"


def test_paths_read_like_the_models_own_error_paths() -> None:
    valid = poor()
    raw = valid.design.model_dump(mode="json", by_alias=True)
    for entry in valid.entries.values():
        assert readable_path(valid, (*entry.loc, "name")) == format_loc((*entry.loc, "name"), raw)


def test_a_rule_text_must_carry_its_own_id(tmp_path: Path) -> None:
    path = tmp_path / "open-hotspot.yaml"
    path.write_text("id: open-hotspots\nwhy: w\nfix: f\n", encoding="utf-8")
    with pytest.raises(CatalogDataError, match="expected 'open-hotspot'"):
        rule_text_from(path)
