"""The design itself as generated files: ``model/design.json`` and ``model/traffic.json``."""

from __future__ import annotations

from collections.abc import Iterator

from app.generators.output import Artifact
from app.model import ValidDesign, design_data


def model_files(valid: ValidDesign) -> Iterator[Artifact]:
    """The canonical design and its traffic flow as JSON."""
    yield Artifact.json("model/design.json", "design", design_data(valid.design))
    yield Artifact.json("model/traffic.json", "traffic", valid.traffic.to_json(valid))
