"""The ``stormdraft`` command: exit codes, messages, and byte-identical output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app import catalog
from app.cli import main
from app.model import load_design

ROOT = Path(__file__).parents[2]


def run_cli(*args: str, seed: str = "0", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def starter_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop.storm.yaml"
    assert main(["new", "My shop", "--from", "order-processing", "--out", str(path)]) == 0
    return path


def test_validate_accepts_a_valid_design(
    starter_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(starter_file)]) == 0
    assert "valid (" in capsys.readouterr().out


def test_validate_reports_every_problem_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.storm.yaml"
    bad.write_text(
        "name: Bad\ncontexts:\n  - name: Ordering\n    commands:\n      - name: Place order\n"
        "        emits: [OrderPlacd]\n        aggregate: Ordr\n    events:\n"
        "      - name: OrderPlaced\n",
        encoding="utf-8",
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        f"{bad}:6:17: contexts.Ordering.commands.Place order.emits[0].event: unknown event "
        "'OrderPlacd' — did you mean 'OrderPlaced'?" in err
    )
    assert any(":7:20:" in line and "unknown aggregate 'Ordr'" in line for line in err)


def test_missing_file_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.storm.yaml"))
    assert result.returncode == 2 and "cannot read" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("new", "X", "--from", "no-such-starter", "--out", "-").returncode == 2


def test_new_refuses_to_overwrite(starter_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Other", "--out", str(starter_file)]) == 2
    assert "exists" in capsys.readouterr().err


def test_new_from_every_starter_gives_a_valid_design_with_the_new_name(tmp_path: Path) -> None:
    for starter in catalog.starters():
        out = tmp_path / f"{starter.slug}.storm.yaml"
        assert main(["new", "Café ☕ design", "--from", starter.slug, "--out", str(out)]) == 0
        valid = load_design(out.read_bytes())
        assert valid.design.name == "Café ☕ design"


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Stormdraft storm file"


def test_generate_writes_the_layout_with_a_manifest(starter_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["generate", str(starter_file), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = [f["path"] for f in manifest["files"]]
    assert "model/design.json" in paths and "model/traffic.json" in paths
    assert paths == sorted(paths)
    for entry in manifest["files"]:
        assert (out / entry["path"]).stat().st_size == entry["bytes"]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("starter", [s.slug for s in catalog.starters()][:2])
def test_generate_is_byte_identical_across_runs_and_hash_seeds(
    starter: str, tmp_path: Path
) -> None:
    source = catalog.starter(starter)
    assert source is not None
    outputs = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / f"out-{seed}"
        result = run_cli("generate", str(source.path), "--out", str(out), seed=seed)
        assert result.returncode == 0, result.stderr
        outputs.append(_tree(out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) >= 3


def _inner(case: Path, key: str, tmp_path: Path) -> Path:
    """The design or usage a test case file wraps, as a file of its own."""
    out = tmp_path / f"{case.stem}.{key}.yaml"
    out.write_text(
        yaml.safe_dump(yaml.safe_load(case.read_text(encoding="utf-8"))[key]), encoding="utf-8"
    )
    return out


def test_review_exits_3_while_error_findings_remain(tmp_path: Path) -> None:
    cases = ROOT / "tests" / "review" / "cases"
    result = run_cli(
        "review", str(_inner(cases / "consumer-without-dlq.fail.yaml", "design", tmp_path))
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "consumer-without-dlq" in result.stdout
    passing = _inner(cases / "consumer-without-dlq.pass.yaml", "design", tmp_path)
    assert "consumer-without-dlq" not in run_cli("review", str(passing)).stdout


def test_cost_prices_a_design_and_usage_entered_directly(tmp_path: Path) -> None:
    source = catalog.starter("order-processing")
    assert source is not None
    result = run_cli("cost", str(source.path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total_usd"] > 0
    examples = sorted((ROOT / "tests" / "generators" / "cost" / "examples").glob("*.yaml"))
    result = run_cli("cost", "--usage", str(_inner(examples[0], "usage", tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "$" in result.stdout
    assert run_cli("cost").returncode == 2


def test_simulate_runs_every_scenario_of_a_workflow() -> None:
    source = catalog.starter("order-processing")
    assert source is not None
    result = run_cli("simulate", str(source.path), "Fulfil order")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "happy path" in result.stdout.lower()
    unknown = run_cli("simulate", str(source.path), "No such workflow")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_export_writes_a_repository_and_keeps_user_code_on_re_export(tmp_path: Path) -> None:
    source = catalog.starter("webhook-processor")
    assert source is not None
    out = tmp_path / "repo"
    first = run_cli("export", str(source.path), "--out", str(out), "--git")
    assert first.returncode == 0, first.stderr
    assert (out / "template.yaml").exists() and (out / ".git").exists()
    logic = sorted(out.rglob("logic.py"))[0]
    logic.write_text("# mine\n", encoding="utf-8")
    again = run_cli("export", str(source.path), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert logic.read_text(encoding="utf-8") == "# mine\n"
    assert "open hotspot" in again.stderr


def test_orchestrate_offers_the_workflow_of_a_policy_chain(tmp_path: Path) -> None:
    source = catalog.starter("webhook-processor")
    assert source is not None
    valid = load_design(source.text())
    event = next(
        e
        for e in valid.of_kind("events")
        if any(valid.target(p.element, "event") is e for p in valid.of_kind("policies"))
    )
    result = run_cli("orchestrate", str(source.path), event.element.name)
    assert result.returncode == 0, result.stderr
    workflow = yaml.safe_load(result.stdout)
    assert workflow["steps"], result.stdout
    assert run_cli("orchestrate", str(source.path), "No such event").returncode == 2
