"""The storm file's JSON Schema is valid and accepts every design the model accepts."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from app.model import storm_schema
from app.model.stormfile import parse_yaml

STARTERS = sorted((Path(__file__).parents[2] / "catalog" / "starters").glob("*.storm.yaml"))


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(storm_schema())


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.name)
def test_every_starter_matches_the_schema(path: Path) -> None:
    data, _ = parse_yaml(path.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(storm_schema()).iter_errors(data))
    assert not errors, [f"{list(e.path)}: {e.message[:200]}" for e in errors[:5]]


def test_schema_refuses_unknown_keys() -> None:
    data = {"name": "x", "contexts": [{"name": "A", "commands": [{"name": "C", "emitz": []}]}]}
    assert list(jsonschema.Draft202012Validator(storm_schema()).iter_errors(data))
