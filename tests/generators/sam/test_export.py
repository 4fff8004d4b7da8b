"""The SAM export: cfn-lint and the SAM translator on every starter, re-export semantics,
determinism, safe paths and zip entries, hostile names."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from app.generators.sam.export import MARKER, UnsafePath, safe_path, sam_files
from app.model import load_design
from app.services.export import export_to_folder, export_zip

STARTERS = sorted(Path("catalog/starters").glob("*.storm.yaml"))
GOLDENS = Path(__file__).parent / "goldens"
VENV_BIN = Path(sys.executable).parent


def _export(path: Path) -> dict[str, bytes]:
    return {a.path: a.content for a in sam_files(load_design(path.read_text("utf-8")))}


@pytest.mark.parametrize("starter", STARTERS, ids=lambda p: p.name.split(".")[0])
def test_template_matches_golden_and_lints_clean(starter: Path, tmp_path: Path) -> None:
    template = _export(starter)["template.yaml"]
    golden = GOLDENS / f"{starter.name.split('.')[0]}.template.yaml"
    assert template.decode() == golden.read_text("utf-8"), (
        "template differs from its golden; update with: "
        "python -m tests.generators.sam.update_goldens"
    )
    (tmp_path / "template.yaml").write_bytes(template)
    lint = subprocess.run(
        [str(VENV_BIN / "cfn-lint"), str(tmp_path / "template.yaml")],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.parametrize("starter", STARTERS, ids=lambda p: p.name.split(".")[0])
def test_template_passes_the_sam_translator(starter: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from unittest.mock import MagicMock

    from samtranslator.translator.transform import transform

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    template = yaml.safe_load(_export(starter)["template.yaml"])
    for resource in template["Resources"].values():  # local code is uploaded by `sam deploy`
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if key in resource.get("Properties", {}):
                resource["Properties"][key] = "s3://bucket/key"
    loader = MagicMock()
    loader.load.return_value = {}
    output = transform(template, {}, loader)
    assert "AWS::Lambda::Function" in {r["Type"] for r in output["Resources"].values()}


def test_export_is_deterministic() -> None:
    assert _export(STARTERS[0]) == _export(STARTERS[0])


def test_reexport_keeps_user_code_and_rewrites_generated(tmp_path: Path) -> None:
    text = STARTERS[0].read_text("utf-8")
    export_to_folder(text, tmp_path)
    logic = next(tmp_path.glob("src/*/*/logic.py"))
    logic.write_text("# mine\n")
    (tmp_path / "template.yaml").write_text("broken")
    report = export_to_folder(text, tmp_path)
    assert logic.read_text() == "# mine\n"
    assert "template.yaml" in report["written"]
    assert (tmp_path / MARKER).is_file()


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../b", "a\\b", "", "./a"])
def test_unsafe_paths_are_refused(path: str) -> None:
    with pytest.raises(UnsafePath):
        safe_path(path)


HOSTILE = """
name: "'; import os; os.system('x') #"
contexts:
  - name: "Ctx\\"\\"\\" ../../etc"
    commands:
      - name: "Do ''' it \\\\ now"
        route: POST /things
        aggregate: "Thing</script>"
        input: {class: string, model_x: string}
        access_patterns: [Put thing]
    aggregates:
      - name: "Thing</script>"
        identifier: thingId
        attributes: {thingId: string, class: string}
    read_models:
      - name: "Do ''' it \\\\ now"
        route: GET /things/{thingId}
        fields: {thingId: string}
        access_patterns: [Thing by id]
    access_patterns:
      - name: Thing by id
        entity: "Thing</script>"
        by: [thingId]
      - name: Put thing
        entity: "Thing</script>"
        action: put
        by: [thingId]
"""


def test_hostile_names_export_safe_code_and_zip(tmp_path: Path) -> None:
    data = export_zip(HOSTILE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert all(n.startswith("export/") and ".." not in n.split("/") for n in names)
        archive.extractall(tmp_path)
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tmp_path / "export")], capture_output=True
    )
    assert compiled.returncode == 0, compiled.stdout
    ruff = subprocess.run(
        [str(VENV_BIN / "ruff"), "check", "--quiet", "."],
        cwd=tmp_path / "export",
        capture_output=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    lint = subprocess.run(
        [str(VENV_BIN / "cfn-lint"), str(tmp_path / "export" / "template.yaml")],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout


def test_export_is_byte_identical_under_another_hash_seed(tmp_path: Path) -> None:
    script = (
        "import hashlib, sys; from pathlib import Path; "
        "from app.generators.sam.export import sam_files; from app.model import load_design; "
        f"files = sam_files(load_design(Path({str(STARTERS[1])!r}).read_text('utf-8'))); "
        "print(hashlib.sha256(b''.join(a.path.encode() + a.content for a in files)).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_reexport_removes_files_the_design_no_longer_generates(tmp_path: Path) -> None:
    export_to_folder(STARTERS[0].read_text("utf-8"), tmp_path)
    stale = tmp_path / "src" / "gone" / "app.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("x = 1\n")
    marker = tmp_path / MARKER
    data = json.loads(marker.read_text("utf-8"))
    data["generated"].append("src/gone/app.py")
    marker.write_text(json.dumps(data))
    report = export_to_folder(STARTERS[0].read_text("utf-8"), tmp_path)
    assert report["removed"] == ["src/gone/app.py"]
    assert not stale.exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_export_with_git_makes_a_first_commit(tmp_path: Path) -> None:
    export_to_folder(STARTERS[0].read_text("utf-8"), tmp_path, git=True)
    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert log.stdout.count("\n") == 1
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "template.yaml" in tracked and MARKER in tracked
