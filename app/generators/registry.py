"""Every generator by name, and the function that runs them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.generators.api import openapi_files
from app.generators.cost import cost_files
from app.generators.diagrams import diagram_files
from app.generators.event_schemas import event_schema_files
from app.generators.model_files import model_files
from app.generators.output import Artifact
from app.generators.table import table_files
from app.generators.workflows import workflow_files
from app.model import ValidDesign
from app.review import review_files

Generator = Callable[[ValidDesign], Iterable[Artifact]]

GENERATORS: dict[str, Generator] = {
    "model": model_files,
    "diagrams": diagram_files,
    "table": table_files,
    "workflows": workflow_files,
    "api": openapi_files,
    "events": event_schema_files,
    "cost": cost_files,
    "review": review_files,
}
"""Every generator by name, in the order they run."""


def generate_all(valid: ValidDesign) -> list[Artifact]:
    """Every artifact of a design, sorted by path; refuses two generators writing one path."""
    artifacts: dict[str, Artifact] = {}
    for name, generator in GENERATORS.items():
        for artifact in generator(valid):
            if artifact.path in artifacts:
                raise RuntimeError(f"generator {name!r} writes {artifact.path} twice")
            artifacts[artifact.path] = artifact
    return [artifacts[path] for path in sorted(artifacts)]
