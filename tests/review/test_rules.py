"""Every rule against its passing and failing case; every rule has both, and its explanation."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys

import pytest

from app.review import registry, review
from app.review import rules as rules_package
from app.review.catalog_view import rule_texts
from app.review.engine import SEVERITIES, rules_in
from tests.review.cases import Case, all_cases

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_rule_reports_exactly_the_expected_findings(case: Case) -> None:
    assert case.rule in registry(), f"{case.path.name} names no rule"
    assert case.mode in ("pass", "fail"), case.path.name
    report = review(case.design(), providers=case.providers())
    found = {f.path for f in report.findings if f.rule == case.rule}
    assert found == case.expected()
    assert case.rule not in {n.rule for n in report.not_run}
    if case.mode == "pass":
        assert not case.expected(), "a passing case expects no finding"
    else:
        assert case.expected(), "a failing case expects at least one finding"


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    have = {(c.rule, c.mode) for c in CASES}
    missing = [
        f"{rule.id}.{mode}.yaml"
        for rule in registry()
        for mode in ("pass", "fail")
        if (rule.id, mode) not in have
    ]
    assert not missing, f"add tests/review/cases/{missing}"


def test_every_rule_has_its_explanation_and_no_text_is_orphaned() -> None:
    texts = rule_texts()
    ids = {rule.id for rule in registry()}
    assert ids - set(texts) == set(), "add catalog/rules/<id>.yaml for these rules"
    assert set(texts) - ids == set(), "these catalog texts belong to no rule"
    for text in texts.values():
        assert text.why and text.fix and text.links, text.id
        assert all(link.startswith("https://") for link in text.links), text.id


def test_there_are_at_least_thirty_rules() -> None:
    assert len(registry()) >= 30


def test_each_rule_states_its_contract_and_lives_under_its_topic() -> None:
    for rule in registry():
        assert rule.severity in SEVERITIES, rule.id
        assert rule.title and rule.id == rule.id.lower(), rule.id
        assert rule.__module__.split(".")[-2] == rule.topic, rule.id
        assert (rule.__doc__ or "").strip(), rule.id


def test_one_rule_per_module() -> None:
    prefix = rules_package.__name__ + "."
    for info in pkgutil.walk_packages(rules_package.__path__, prefix):
        if not info.ispkg:
            module = importlib.import_module(info.name)
            assert len(rules_in(module)) == 1, info.name
            assert inspect.getdoc(module), info.name


def test_every_threshold_in_the_catalog_is_read_by_its_rule_and_vice_versa() -> None:
    texts = rule_texts()
    for rule in registry():
        tree = ast.parse(inspect.getsource(sys.modules[rule.__module__]))
        read = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and ast.unparse(node.func) == "self.threshold"
            and isinstance(node.args[0], ast.Constant)
        }
        assert read == set(texts[rule.id].thresholds), rule.id
