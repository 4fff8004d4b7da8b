"""The published expert designs, restated as storm files: every pattern served, no more GSIs
than the expert used, and every pattern proven on the emulated table."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.generators.table import plan_table
from app.proofs.table import prove_table
from tests.generators.table.factories import DESIGNS, load

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "dynamodb-designs.yaml"
EXPERT_GSIS = {
    "ddb-aws-online-shop": 2,
    "ddb-aws-device-state-log": 2,
}
"""GSIs the expert used, per case id (from the reference file, restated so the tests run without
it; when the file is there, the test checks the two agree)."""
CASES = sorted(DESIGNS.glob("ddb-*.storm.yaml"))
OTHERS = sorted(set(DESIGNS.glob("*.storm.yaml")) - set(CASES))
"""Further designs in the shape of AWS's published examples (no expert count recorded)."""


def case_id(path: Path) -> str:
    return path.name.removesuffix(".storm.yaml")


def test_every_reference_case_has_a_design() -> None:
    assert REFERENCE.exists(), f"reference file missing: {REFERENCE}"
    cases = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["cases"]
    assert {c["id"] for c in cases} <= {case_id(p) for p in CASES}
    for case in cases:
        assert EXPERT_GSIS[case["id"]] == case["solution"]["gsi_count"]


@pytest.mark.parametrize("path", CASES + OTHERS, ids=case_id)
def test_the_plan_serves_every_pattern_with_no_more_gsis_than_the_expert(path: Path) -> None:
    plan = plan_table(load(path))
    assert plan.unserved == ()
    assert len(plan.gsis) <= EXPERT_GSIS.get(case_id(path), 20)
    assert plan.gsi_lower_bound <= len(plan.gsis)


@pytest.mark.parametrize("path", CASES + OTHERS, ids=case_id)
def test_the_plan_is_proven_on_the_emulated_table(path: Path) -> None:
    report = prove_table(load(path))
    failed = [(p.pattern, p.reason) for p in report.patterns if not p.passed]
    assert failed == []
    assert report.patterns and report.sample_items > 10
