"""A design started from a NoSQL Workbench model: `stormdraft new --workbench`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli
from app.generators.table import plan_table, workbench_model
from app.model import load_design
from app.services.designs import design_from_starter


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    valid = load_design(design_from_starter("order-processing", "Orders"))
    path = tmp_path / "orders-model.json"
    path.write_text(json.dumps(workbench_model(plan_table(valid))), encoding="utf-8")
    return path


def test_new_from_a_workbench_model(model_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "imported.storm.yaml"
    code = cli.main(["new", "--workbench", str(model_file), "--out", str(out)])
    assert code == cli.EXIT_OK
    assert "from the model" in capsys.readouterr().out
    valid = load_design(out.read_text(encoding="utf-8"))
    names = {entry.element.name for entry in valid.of_kind("aggregates")}
    assert {"Order", "OrderLine"} <= names
    assert valid.of_kind("access_patterns"), "a read pattern per key and index"


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "nothing.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    assert cli.main(["new", "--workbench", str(path), "--out", "-"]) == cli.EXIT_INVALID
    assert "not a NoSQL Workbench model" in capsys.readouterr().err
