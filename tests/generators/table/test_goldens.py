"""Golden plans: ``table-plan.json`` of every test design and starter, compared byte for byte.

Regenerate after an intended change with
``STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/table``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from app.generators.output import json_text
from app.generators.table import plan_table
from tests.generators.table.factories import DESIGNS, HERE, STARTERS, load

GOLDENS = HERE / "goldens"
UPDATE = os.environ.get("STORMDRAFT_UPDATE_GOLDENS") == "1"
INPUTS = sorted(DESIGNS.glob("*.storm.yaml")) + sorted(STARTERS.glob("*.storm.yaml"))


def golden_path(path: Path) -> Path:
    prefix = "starter-" if path.parent == STARTERS else ""
    return GOLDENS / f"{prefix}{path.name.removesuffix('.storm.yaml')}.table-plan.json"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_plan_matches_its_golden(path: Path) -> None:
    actual = json_text(plan_table(load(path)).to_json())
    golden = golden_path(path)
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"no golden for {path.name}; run with STORMDRAFT_UPDATE_GOLDENS=1")
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=str(golden.relative_to(HERE)),
                tofile="planned now",
                n=2,
            )
        )
        pytest.fail(
            f"the plan of {path.name} changed:\n{diff[:6000]}\n"
            "if intended: STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/table",
            pytrace=False,
        )


def test_every_golden_has_a_design() -> None:
    wanted = {golden_path(p).name for p in INPUTS}
    assert {g.name for g in GOLDENS.glob("*.json")} <= wanted
