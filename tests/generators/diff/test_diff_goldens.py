"""Golden diffs: terminal text, Markdown and JSON between two versions in ``designs/``.

Regenerate after an intended change with
``STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/diff``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.generators.diff import diff_designs, diff_json, diff_markdown, format_diff
from app.generators.output import json_text
from app.model import load_design
from tests.generators.diagrams.golden_files import check_goldens

HERE = Path(__file__).resolve().parent
CASES = sorted(p.name.removesuffix(".v1.storm.yaml") for p in (HERE / "designs").glob("*.v1.*"))


@pytest.mark.parametrize("case", CASES)
def test_diff_matches_golden(case: str) -> None:
    old, new = (
        load_design((HERE / "designs" / f"{case}.{v}.storm.yaml").read_text()) for v in ("v1", "v2")
    )
    diff = diff_designs(old, new)
    actual = {
        "diff.txt": format_diff(diff),
        "diff.md": diff_markdown(diff),
        "diff.json": json_text(diff_json(diff)),
    }
    check_goldens(HERE / "goldens" / case, actual, "tests/generators/diff")


def test_there_is_a_golden_case() -> None:
    assert CASES == ["order-processing"]
