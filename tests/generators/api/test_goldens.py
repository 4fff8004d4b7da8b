"""Golden ``api/openapi.yaml`` for the starters and the hostile corpus.

Regenerate after an intended change with
``STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/api``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from app.generators.api import openapi_files
from tests.generators.diagrams.factories import CASES, case_id, load
from tests.generators.diagrams.golden_files import check_goldens

GOLDENS = Path(__file__).resolve().parent / "goldens"


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_openapi_matches_golden(path) -> None:
    actual = {a.path: a.content.decode() for a in openapi_files(load(path))}
    check_goldens(GOLDENS / case_id(path), actual, "tests/generators/api")


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_golden_is_a_valid_spec(path) -> None:
    """The goldens themselves pass the independent validator, as read from the YAML file."""
    golden = GOLDENS / case_id(path) / "api" / "openapi.yaml"
    validate(yaml.safe_load(golden.read_text(encoding="utf-8")))
