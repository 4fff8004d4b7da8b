"""The review artifacts of the poor design against golden files.

Regenerate after an intended change with ``STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/review``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from app.model import load_design
from app.review import review_files

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
UPDATE = os.environ.get("STORMDRAFT_UPDATE_GOLDENS") == "1"


@pytest.mark.parametrize("name", ["findings.json", "findings.md"])
def test_review_files_match_the_goldens(name: str) -> None:
    valid = load_design((HERE / "poor.storm.yaml").read_text(encoding="utf-8"))
    produced = {a.path.removeprefix("review/"): a.content for a in review_files(valid)}[name]
    golden = GOLDEN / f"poor.{name}"
    if UPDATE:
        golden.write_bytes(produced)
    if not golden.exists():
        pytest.fail(f"no golden {golden.name}; run with STORMDRAFT_UPDATE_GOLDENS=1")
    expected = golden.read_bytes()
    if produced != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.decode().splitlines(keepends=True),
                produced.decode().splitlines(keepends=True),
                f"golden/{golden.name}",
                "produced",
            )
        )
        pytest.fail(
            f"{diff}\nif intended: STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/review", pytrace=False
        )
