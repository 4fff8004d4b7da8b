"""Every starter's estimate against its golden files (cost.json, cost-report.md, cost.csv).

Update the goldens after an intended change with:
    STORMDRAFT_UPDATE_GOLDENS=1 python -m pytest tests/generators/cost/test_cost_goldens.py
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.generators.cost import CostOptions, cost_files, price_design
from app.generators.cost.report import cost_json
from app.generators.output import json_text
from app.model import load_design

ROOT = Path(__file__).parents[3]
STARTERS = sorted((ROOT / "catalog" / "starters").glob("*.storm.yaml"))
GOLDENS = Path(__file__).parent / "goldens"
UPDATE = os.environ.get("STORMDRAFT_UPDATE_GOLDENS") == "1"
UPDATE_HINT = (
    "update with: STORMDRAFT_UPDATE_GOLDENS=1 python -m pytest "
    "tests/generators/cost/test_cost_goldens.py"
)


def slug(path: Path) -> str:
    return path.name.removesuffix(".storm.yaml")


def check(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden {path}; {UPDATE_HINT}"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), text.splitlines(True), str(path), "generated", n=2
            )
        )
        pytest.fail(f"{path.name} differs from its golden ({UPDATE_HINT}):\n{diff[:4000]}")


@pytest.mark.parametrize("starter", STARTERS, ids=slug)
def test_starter_estimate_matches_golden(starter: Path) -> None:
    valid = load_design(starter.read_text(encoding="utf-8"))
    artifacts = list(cost_files(valid))
    assert [a.path for a in artifacts][:2] == ["cost/cost.json", "cost/cost-report.md"]
    for artifact in artifacts:
        check(GOLDENS / slug(starter) / Path(artifact.path).name, artifact.content.decode())


def test_starter_in_a_region_without_prices_priced_in_us_east_1() -> None:
    """scheduled-jobs is designed for us-west-2, which has no confirmed price list yet: its
    generated report says so, and this golden prices it with us-east-1 prices to compare."""
    unpriced = [s for s in STARTERS if "us-west-2" in s.read_text(encoding="utf-8")]
    for starter in unpriced:
        valid = load_design(starter.read_text(encoding="utf-8"))
        estimate = price_design(valid, CostOptions(region="us-east-1"))
        check(GOLDENS / f"{slug(starter)}.in-us-east-1.cost.json", json_text(cost_json(estimate)))


def test_every_golden_belongs_to_a_starter() -> None:
    names = {slug(s) for s in STARTERS}
    for path in GOLDENS.iterdir():
        assert path.name.split(".")[0] in names, f"stale golden {path}"


def test_same_bytes_under_another_hash_seed() -> None:
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from app.generators.cost import cost_files\n"
        "from app.model import load_design\n"
        "for p in sys.argv[1:]:\n"
        "    for a in cost_files(load_design(Path(p).read_text())):\n"
        "        print(p, a.path, hashlib.sha256(a.content).hexdigest())\n"
    )
    outputs = []
    for seed in ("1", "4242"):
        run = subprocess.run(
            [sys.executable, "-c", script, *map(str, STARTERS)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and outputs[0]


def test_cost_json_lines_carry_the_documented_fields() -> None:
    valid = load_design(STARTERS[0].read_text(encoding="utf-8"))
    data = json.loads(next(iter(cost_files(valid))).content)
    for line in data.get("lines", []):
        assert {
            "service",
            "resource",
            "usage_quantity",
            "unit",
            "unit_price_usd",
            "monthly_usd",
        } <= set(line)
