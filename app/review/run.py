"""One review of a design: run every rule, set accepted findings apart, say which rules waited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from app.model import ValidDesign
from app.review import rules as rules_package
from app.review.catalog_view import limits, rule_texts
from app.review.engine import Finding, Provider, Registry, ReviewContext, discover
from app.review.providers import table_plan
from app.review.report import AcceptedFinding, NotRun, ReviewReport, RuleExplanation


@cache
def registry() -> Registry:
    """Every rule under ``app/review/rules/``, discovered once."""
    return discover(rules_package)


PROVIDERS: dict[str, Provider] = {"table_plan": table_plan}
"""What rules may need beyond the design, by name; ``register_provider`` adds the others (the
cost estimate, the observability plan) once the generators that compute them exist."""


def register_provider(name: str, provider: Provider) -> None:
    """Make ``name`` available to rules that declare ``needs = (name,)``."""
    PROVIDERS[name] = provider


def review(
    valid: ValidDesign,
    providers: Mapping[str, Provider] | None = None,
    rules: Registry | None = None,
) -> ReviewReport:
    """Review a design against every rule; findings sorted, accepted ones set apart."""
    available = dict(PROVIDERS if providers is None else providers)
    texts = rule_texts()
    provided: dict[str, object] = {}
    findings: list[Finding] = []
    not_run: list[NotRun] = []
    ctx = ReviewContext(valid, limits(), provided)
    used = rules if rules is not None else registry()
    for rule_class in used:
        missing = [need for need in rule_class.needs if need not in available]
        if missing:
            not_run.append(NotRun(rule_class.id, tuple(missing)))
            continue
        for need in rule_class.needs:
            if need not in provided:
                provided[need] = available[need](valid)
        findings.extend(rule_class(texts[rule_class.id]).check(ctx))
    report = _settle(valid, findings, not_run)
    present = sorted({f.rule for f in report.findings} | {a.finding.rule for a in report.accepted})
    return replace(report, explanations=tuple(_explain(used, rule_id) for rule_id in present))


def _explain(rules: Registry, rule_id: str) -> RuleExplanation:
    rule = rules.get(rule_id)
    text = rule_texts()[rule_id]
    return RuleExplanation(
        rule.id, rule.title, rule.severity, rule.topic, text.why, text.fix, text.links
    )


def _settle(valid: ValidDesign, findings: list[Finding], not_run: list[NotRun]) -> ReviewReport:
    reasons = {(a.rule, a.element): a.reason for a in valid.design.accepted_findings}
    used: set[tuple[str, str]] = set()
    open_findings: list[Finding] = []
    accepted: list[AcceptedFinding] = []
    for finding in sorted(set(findings), key=Finding.sort_key):
        key = (finding.rule, finding.element)
        if key in reasons:
            used.add(key)
            accepted.append(AcceptedFinding(finding, reasons[key]))
        else:
            open_findings.append(finding)
    stale = tuple(sorted(key for key in reasons if key not in used))
    return ReviewReport(tuple(open_findings), tuple(accepted), tuple(not_run), stale)
