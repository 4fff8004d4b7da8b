"""Exporting a design as a SAM repository: into a folder (optionally a git repository with a
first commit) or as zip bytes for the studio."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

from app.generators.output import Artifact
from app.generators.sam.export import safe_path, sam_files, write_export
from app.model import load_design

ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def export_artifacts(text: str) -> list[Artifact]:
    """The export of a storm file's text (raises DesignError when the design is invalid)."""
    return list(sam_files(load_design(text)))


def export_to_folder(text: str, out: Path, git: bool = False) -> dict[str, list[str]]:
    """Write the export into ``out`` with re-export semantics; with ``git``, make ``out`` a
    repository with a first commit (only when it is not one yet)."""
    report = write_export(export_artifacts(text), out)
    if git and not (out / ".git").exists():
        run = {"cwd": out, "check": True, "capture_output": True}
        subprocess.run(["git", "init", "-q"], **run)  # type: ignore[call-overload]
        subprocess.run(["git", "add", "-A"], **run)  # type: ignore[call-overload]
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=Stormdraft",
                "-c",
                "user.email=export@stormdraft.invalid",
                "commit",
                "-q",
                "-m",
                "Export from Stormdraft",
            ],
            **run,  # type: ignore[call-overload]
        )
    return report


def export_zip(text: str, root: str = "export") -> bytes:
    """The export as zip bytes: entries relative, under one safe root folder, fixed dates."""
    base = safe_path(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for artifact in export_artifacts(text):
            info = zipfile.ZipInfo(f"{base}/{safe_path(artifact.path)}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, artifact.content)
    return buffer.getvalue()
