"""SLOW (about 1–2 minutes, needs PyPI): a fresh venv from the exported requirements runs the
exported repository's own tests, for two starters. Pip downloads are cached."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

from app.services.export import export_to_folder

CACHE = Path(os.environ.get("STORMDRAFT_PIP_CACHE", Path.home() / ".cache" / "stormdraft-pip"))


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder, with_pip=True)
    return folder / "bin" / "python"


@pytest.mark.parametrize("starter", ["order-processing", "webhook-processor"])
def test_exported_repository_passes_its_own_tests(
    starter: str, python: Path, tmp_path: Path
) -> None:
    text = Path(f"catalog/starters/{starter}.storm.yaml").read_text("utf-8")
    export_to_folder(text, tmp_path)
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--cache-dir",
            str(CACHE),
            "-r",
            "requirements-dev.txt",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert tests.returncode == 0, tests.stdout[-4000:]
