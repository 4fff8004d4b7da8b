"""The SAM export as artifacts, and writing it over an existing repository without loss.

Generated files are listed in ``.stormdraft/generated.json`` and rewritten on every export;
user-owned files (each command's ``logic.py``) are written once and never touched again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from app.generators.diagrams import diagram_graphs
from app.generators.diagrams.mermaid import to_mermaid
from app.generators.output import Artifact, json_text
from app.generators.sam.handlers import USER_OWNED, handler_files
from app.generators.sam.layer import layer_files
from app.generators.sam.project import project_files
from app.generators.sam.serial import plain_yaml
from app.generators.sam.shared import export_state_machines
from app.generators.sam.template import build_template
from app.generators.sam.tests import test_files
from app.generators.sam.webhooks import webhook_files
from app.model import ValidDesign

MARKER = ".stormdraft/generated.json"


class UnsafePath(ValueError):
    """An artifact path that would leave the export folder."""


def safe_path(path: str) -> str:
    """The path if it is relative, normalised and stays inside the export root."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or "\\" in path or any(p in ("..", "", ".") for p in path.split("/")):
        raise UnsafePath(f"unsafe export path {path!r}")
    return str(pure)


def _docs(valid: ValidDesign) -> Iterator[Artifact]:
    """Architecture as Mermaid (GitHub renders it; Graphviz SVGs are the studio's, and slow to
    render for a large design), then the other docs."""
    asl = {m.code: m.asl for m in export_state_machines(valid)}
    sections = [f"# Architecture of {valid.design.name}\n"]
    for stem, graph in sorted(diagram_graphs(valid, asl).items()):
        if stem.startswith("contexts/"):  # per-context views are the studio's; the map suffices
            continue
        mermaid = to_mermaid(graph)
        yield Artifact.text(f"docs/architecture/{stem}.mmd", "diagram-mermaid", mermaid)
        sections.append(f"## {stem}\n\n```mermaid\n{mermaid.rstrip()}\n```\n")
    yield Artifact.text("docs/architecture.md", "docs", "\n".join(sections))
    from app.generators.sam.docs import doc_files

    yield from doc_files(valid)


def _template(valid: ValidDesign) -> Iterator[Artifact]:
    yield Artifact.text("template.yaml", "sam-template", plain_yaml(build_template(valid)))


def _state_machines(valid: ValidDesign) -> Iterator[Artifact]:
    for machine in export_state_machines(valid):
        yield Artifact.json(f"statemachines/{machine.code}.asl.json", "asl", machine.asl)


def _api(valid: ValidDesign) -> Iterator[Artifact]:
    from app.generators.api import openapi_files

    for a in openapi_files(valid):
        yield Artifact(f"api/{PurePosixPath(a.path).name}", a.kind, a.content)


STAGES = (
    ("the template", _template),
    ("the state machines", _state_machines),
    ("the shared layer", layer_files),
    ("the handlers", handler_files),
    ("the webhooks", webhook_files),
    ("the tests", test_files),
    ("the project files", project_files),
    ("the docs", _docs),
    ("the API", _api),
)
"""The export's parts in the order they are made (the studio shows them as progress)."""


def sam_files(
    valid: ValidDesign, progress: Callable[[str, int], None] | None = None
) -> Iterator[Artifact]:
    """Every file of the exported repository, sorted by path, the marker last. ``progress``
    hears each part's name and the number of files made so far as the parts are made."""
    artifacts: list[Artifact] = []
    for name, stage in STAGES:
        if progress is not None:
            progress(name, len(artifacts))
        artifacts.extend(stage(valid))
    by_path = {safe_path(a.path): a for a in artifacts}
    ordered = [by_path[p] for p in sorted(by_path)]
    marker = {
        "generated": [a.path for a in ordered if a.kind != USER_OWNED],
        "user_owned": [a.path for a in ordered if a.kind == USER_OWNED],
    }
    yield from ordered
    yield Artifact.text(MARKER, "export-marker", json_text(marker))


def write_export(artifacts: list[Artifact], out: Path) -> dict[str, list[str]]:
    """Write an export into ``out``: generated files rewritten, user-owned files kept, and files
    the previous export generated but this one does not removed. Returns what happened."""
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, list[str]] = {"written": [], "kept": [], "removed": []}
    previous = _previous_generated(out)
    current = set()
    for artifact in artifacts:
        target = out / safe_path(artifact.path)
        current.add(artifact.path)
        if artifact.kind == USER_OWNED and target.exists():
            report["kept"].append(artifact.path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != artifact.content:
            target.write_bytes(artifact.content)
            report["written"].append(artifact.path)
    for stale in sorted(previous - current):
        target = out / safe_path(stale)
        if target.is_file():
            target.unlink()
            report["removed"].append(stale)
    return report


def _previous_generated(out: Path) -> set[str]:
    import json

    marker = out / MARKER
    if not marker.is_file():
        return set()
    data = json.loads(marker.read_text("utf-8"))
    return {p for p in data.get("generated", []) if isinstance(p, str)}
