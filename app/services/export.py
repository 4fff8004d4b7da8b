"""Exporting a design as a SAM repository: into a folder (optionally a git repository with a
first commit) or as zip bytes for the studio."""

from __future__ import annotations

import io
import logging
import subprocess
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.generators.output import Artifact
from app.generators.sam.export import STAGES, safe_path, sam_files, write_export
from app.model import ValidDesign, load_design

logger = logging.getLogger(__name__)

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
    return zip_artifacts(export_artifacts(text), root)


def zip_artifacts(artifacts: Iterable[Artifact], root: str) -> bytes:
    """Files as zip bytes under one safe root folder, with fixed dates (the same files give
    the same bytes); no entry can leave the root."""
    base = safe_path(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for artifact in artifacts:
            info = zipfile.ZipInfo(f"{base}/{safe_path(artifact.path)}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, artifact.content)
    return buffer.getvalue()


# -- the studio's repository builds, with their progress ----------------------------------------


@dataclass
class Build:
    """One repository export of one design content: its progress, then its archive."""

    stage: str = "starting"
    files: int = 0
    archive: bytes | None = None
    error: str = ""
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def step(self) -> int:
        """How many of the export's parts are done (``len(STAGES) + 1`` with the archive)."""
        names = [name for name, _stage in STAGES]
        if self.finished.is_set():
            return len(names) + 1
        return names.index(self.stage) if self.stage in names else len(names)

    @property
    def steps(self) -> int:
        return len(STAGES) + 1


class RepositoryBuilds:
    """Repository exports built in the background, one per design content (newest kept)."""

    def __init__(self, size: int = 8) -> None:
        self._builds: OrderedDict[str, Build] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def ensure(self, digest: str, valid: ValidDesign) -> Build:
        """The build of this content, started now if none is known."""
        with self._lock:
            build = self._builds.get(digest)
            if build is not None:
                self._builds.move_to_end(digest)
                return build
            build = self._builds[digest] = Build()
            while len(self._builds) > self._size:
                self._builds.popitem(last=False)
        threading.Thread(target=_run, args=(build, valid), name="export", daemon=True).start()
        return build


def _run(build: Build, valid: ValidDesign) -> None:
    def heard(stage: str, files: int) -> None:
        build.stage, build.files = stage, files

    try:
        artifacts = list(sam_files(valid, heard))
        build.stage, build.files = "the archive", len(artifacts)
        build.archive = zip_artifacts(artifacts, "export")
    except Exception as exc:  # noqa: BLE001 - shown to the person waiting, and logged
        logger.error("the repository export failed", exc_info=exc)
        build.error = f"The export could not finish ({type(exc).__name__}); it has been logged."
    finally:
        build.finished.set()


BUILDS = RepositoryBuilds()
