"""``stormdraft diff OLD NEW [--json | --markdown]``: exit 0 when both load, 2 when either is
invalid (its problems on stderr)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli

STARTER = Path("catalog/starters/order-processing.storm.yaml")


@pytest.fixture
def versions(tmp_path: Path) -> tuple[str, str]:
    old = tmp_path / "old.storm.yaml"
    new = tmp_path / "new.storm.yaml"
    old.write_text(STARTER.read_text())
    new.write_text(STARTER.read_text().replace("POST /orders", "POST /v2/orders", 1))
    return str(old), str(new)


def test_prints_the_plain_language_diff(
    versions: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["diff", *versions]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Changes to Order processing\n")
    assert "the route of Place order changed from POST /orders to POST /v2/orders" in out
    assert "added the operation POST /v2/orders" in out


def test_json(versions: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["diff", *versions, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["changed"] == 1
    artifacts = [a["artifact"] for a in data["artifacts"]]
    assert artifacts == ["openapi", "table", "workflows", "template", "cost"]


def test_markdown(versions: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["diff", *versions, "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Changes to Order processing\n")


def test_an_invalid_version_exits_2_with_its_problems(
    tmp_path: Path, versions: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.storm.yaml"
    bad.write_text("name: Broken\ncontexts:\n  - name: A\n    commands:\n"
                   "      - name: X\n        emits: [Nope]\n")  # fmt: skip
    assert cli.main(["diff", versions[0], str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{bad}:6:17: contexts.A.commands.X.emits[0].event: unknown event 'Nope'" in captured.err


def test_both_invalid_versions_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing_a, missing_b = tmp_path / "a.storm.yaml", tmp_path / "b.storm.yaml"
    assert cli.main(["diff", str(missing_a), str(missing_b)]) == 2
    err = capsys.readouterr().err
    assert f"cannot read {missing_a}" in err and f"cannot read {missing_b}" in err
