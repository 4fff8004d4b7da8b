"""The design's API: OpenAPI document and its files (``api/openapi.yaml``)."""

from __future__ import annotations

from collections.abc import Iterator

from app.generators.api.openapi import openapi_document
from app.generators.output import Artifact, yaml_text
from app.model import ValidDesign


def openapi_files(valid: ValidDesign, per_context: bool = False) -> Iterator[Artifact]:
    """``api/openapi.yaml`` (and ``api/contexts/<code>.openapi.yaml`` when asked)."""
    yield Artifact.text("api/openapi.yaml", "openapi", yaml_text(openapi_document(valid)))
    if per_context:
        for entry in valid.of_kind("contexts"):
            code = valid.code(entry.element)
            document = openapi_document(valid, context=code)
            yield Artifact.text(f"api/contexts/{code}.openapi.yaml", "openapi", yaml_text(document))


__all__ = ["openapi_document", "openapi_files"]
