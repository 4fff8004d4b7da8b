"""The plain-language diff between two versions of a design, and of their artifacts.

``diff_designs(old, new)`` returns a ``DesignDiff``: elements added, removed, renamed, moved
between contexts and changed field by field, settings changes, and the differences of the
OpenAPI document, table plan, state machines, SAM template and monthly cost. ``format_diff``,
``diff_json`` and ``diff_markdown`` render it. Pure and deterministic.
"""

from __future__ import annotations

from app.generators.diff.artifacts import artifact_diffs
from app.generators.diff.changes import ArtifactDiff, Change, DesignDiff
from app.generators.diff.elements import element_changes
from app.generators.diff.render import diff_json, diff_markdown, format_diff
from app.model import ValidDesign


def diff_designs(old: ValidDesign, new: ValidDesign, artifacts: bool = True) -> DesignDiff:
    """Everything that changed from ``old`` to ``new`` (``artifacts=False``: the model only)."""
    return DesignDiff(
        old.design.name,
        new.design.name,
        element_changes(old, new),
        artifact_diffs(old, new) if artifacts else (),
    )


__all__ = [
    "ArtifactDiff",
    "Change",
    "DesignDiff",
    "diff_designs",
    "diff_json",
    "diff_markdown",
    "format_diff",
]
