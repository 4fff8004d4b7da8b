"""AWS's worked pricing examples, each reproduced through the usage format within 1%.

The published figures come from ``shared/reference/pricing-examples.yaml``; each usage file in
``examples/`` restates one case's inputs (and says where the example takes a free tier off), with
one ``label`` per published line item, in the published order; where the page publishes a
usage type's tiers as separate lines, the fixture's ``published`` list names the tier bands
(``tier: [service, usage_type, tier index]``) or labels each published line stands for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.generators.cost.estimate import price_usage

EXAMPLES = Path(__file__).parent / "examples"
REFERENCE = Path(__file__).parents[4] / "shared" / "reference" / "pricing-examples.yaml"
TOLERANCE = 0.01


def _cases() -> dict[str, dict]:
    if not REFERENCE.is_file():
        return {}
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return {case["id"]: case for case in data["cases"]}


CASES = _cases()


def test_every_published_case_has_a_usage_file() -> None:
    assert CASES, f"no reference file at {REFERENCE}"
    assert sorted(CASES) == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_worked_example_within_one_percent(path: Path) -> None:
    fixture = yaml.safe_load(path.read_text(encoding="utf-8"))
    case = CASES.get(fixture["case"])
    assert case is not None, f"case {fixture['case']} not in {REFERENCE}"
    estimate = price_usage(fixture["usage"])
    by_label: dict[str, float] = {}
    for line in estimate.lines:
        by_label[line.line.label] = by_label.get(line.line.label, 0.0) + line.usd
    bands = {(b.service, b.usage_type, b.tier): b.usd for b in estimate.priced.bands}
    figures = fixture.get("published") or [
        {"label": label}
        for label in dict.fromkeys(line["label"] for line in fixture["usage"]["lines"])
    ]
    published = [item["amount"] for item in case["breakdown"]]
    assert len(figures) == len(published)
    for figure, amount in zip(figures, published, strict=True):
        ours = by_label[figure["label"]] if "label" in figure else bands[tuple(figure["tier"])]
        assert ours == pytest.approx(amount, rel=TOLERANCE, abs=0.005), figure
    assert estimate.total == pytest.approx(case["total_usd"], rel=TOLERANCE)
    assert (case["free_tier_applied"] is False) == (fixture["usage"]["free_tier"] is False)
