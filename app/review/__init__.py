"""Design review: rules that judge a design's choices, as an automatic, explainable review.

``review(valid)`` runs every rule and returns a ``ReviewReport``; ``format_review`` renders it
for the CLI, and ``review_files`` is the generator that writes ``review/findings.json`` and
``review/findings.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.generators.output import Artifact
from app.model import ValidDesign
from app.review.engine import Finding, Registry, ReviewContext, Rule
from app.review.report import ReviewReport, format_review, report_files
from app.review.run import register_provider, registry, review


def review_files(valid: ValidDesign) -> Iterator[Artifact]:
    """The generator: the review of a design as JSON and Markdown under ``review/``."""
    yield from report_files(review(valid))


__all__ = [
    "Finding",
    "Registry",
    "ReviewContext",
    "ReviewReport",
    "Rule",
    "format_review",
    "register_provider",
    "registry",
    "review",
    "review_files",
]
