"""Golden workflow files of every test design and starter, compared byte for byte, and every
generated state machine checked by asl-validator and by our own structural checks.

Regenerate after an intended change with
``STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/workflows``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from app.generators.workflows import check_state_machine, state_machines, workflow_files
from app.proofs.asl_validator import validate_definitions
from tests.generators.workflows.factories import DESIGNS, HERE, STARTERS, load

GOLDENS = HERE / "goldens"
UPDATE = os.environ.get("STORMDRAFT_UPDATE_GOLDENS") == "1"
INPUTS = sorted(DESIGNS.glob("*.storm.yaml")) + sorted(STARTERS.glob("*.storm.yaml"))


def golden_folder(path: Path) -> Path:
    prefix = "starter-" if path.parent == STARTERS else ""
    return GOLDENS / f"{prefix}{path.name.removesuffix('.storm.yaml')}"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_workflow_files_match_their_goldens(path: Path) -> None:
    actual = {
        a.path.removeprefix("workflows/"): a.content.decode() for a in workflow_files(load(path))
    }
    folder = golden_folder(path)
    if UPDATE and actual:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        for name, text in actual.items():
            (folder / name).write_text(text, encoding="utf-8")
        return
    if UPDATE:
        return
    expected = {g.name: g.read_text(encoding="utf-8") for g in folder.glob("*.json")}
    if not expected and actual:
        pytest.fail(f"no goldens for {path.name}; run with STORMDRAFT_UPDATE_GOLDENS=1")
    assert sorted(actual) == sorted(expected), "the set of workflow files changed"
    for name, text in actual.items():
        if text != expected[name]:
            diff = "".join(
                difflib.unified_diff(
                    expected[name].splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"goldens/{folder.name}/{name}",
                    tofile="generated now",
                    n=2,
                )
            )
            pytest.fail(
                f"{name} of {path.name} changed:\n{diff[:6000]}\n"
                "if intended: STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/workflows",
                pytrace=False,
            )


def test_every_golden_folder_has_a_design() -> None:
    wanted = {golden_folder(p).name for p in INPUTS}
    assert {g.name for g in GOLDENS.iterdir() if g.is_dir()} <= wanted


def test_every_state_machine_passes_asl_validator_and_our_checks() -> None:
    definitions = {}
    for path in INPUTS:
        for machine in state_machines(load(path)):
            definitions[f"{path.name}:{machine.code}"] = machine.asl
    assert len(definitions) >= 8
    verdicts = validate_definitions(definitions)
    invalid = {name: v.messages for name, v in verdicts.items() if not v.valid}
    assert invalid == {}
    ours = {name: check_state_machine(asl) for name, asl in definitions.items()}
    assert {name: found for name, found in ours.items() if found} == {}


def test_the_golden_definitions_themselves_pass_asl_validator() -> None:
    import json

    goldens = {
        str(g.relative_to(GOLDENS)): json.loads(g.read_text()) for g in GOLDENS.glob("*/*.asl.json")
    }
    assert goldens, "no golden definitions"
    verdicts = validate_definitions(goldens)
    assert {n: v.messages for n, v in verdicts.items() if not v.valid} == {}
