"""How the cost model reads a design's elements as AWS resources: which context owns an element,
which policies put a queue in front of their function."""

from __future__ import annotations

from app.model import ValidDesign
from app.model.elements import Policy
from app.model.index import Entry


def context_of(valid: ValidDesign, entry: Entry) -> str:
    """The code of the bounded context an element belongs to."""
    return valid.code(entry.context) if entry.context is not None else ""


def queue_policies(valid: ValidDesign) -> list[Entry]:
    """Policies that deliver to a function through a queue (with its DLQ)."""
    return [
        e
        for e in valid.of_kind("policies")
        if isinstance(e.element, Policy)
        and e.element.delivery == "queue"
        and e.element.command is not None
    ]
