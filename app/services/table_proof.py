"""The table plan's proof for the studio: each access pattern run on an emulated table (moto),
once per design content and only when the Table plan tab asks for it."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from app.generators.table.plan import plan_table
from app.generators.table.samples import sample_items
from app.model import DesignError
from app.proofs.table import ProofReport, prove_table, stored_item
from app.services.previews import GENERATOR_FAILURES, validated

logger = logging.getLogger(__name__)

_PROOFS: OrderedDict[str, TableProof] = OrderedDict()
# The emulated AWS is process-wide state: one proof at a time.
_RUNNING = threading.Lock()


@dataclass(frozen=True)
class TableProof:
    """A proof report, or why there is none."""

    report: ProofReport | None
    message: str = ""


def table_proof(digest: str, text: str) -> TableProof:
    """The proof of a storm file's table plan (cached by content hash)."""
    with _RUNNING:
        if digest in _PROOFS:
            _PROOFS.move_to_end(digest)
            return _PROOFS[digest]
        found = _prove(digest, text)
        _PROOFS[digest] = found
        while len(_PROOFS) > 16:
            _PROOFS.popitem(last=False)
        return found


def _prove(digest: str, text: str) -> TableProof:
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return TableProof(None, "Fix the design's problems before its table can be proven.")
    try:
        return TableProof(prove_table(valid))
    except (*GENERATOR_FAILURES, ClientError, BotoCoreError) as exc:
        logger.warning("the table proof failed", exc_info=exc)
        return TableProof(None, f"The proof could not finish ({type(exc).__name__}).")


SAMPLES_SHOWN = 2
"""Sample items shown per entity in the Table plan tab."""


def table_samples(digest: str, text: str) -> list[tuple[str, list[str]]]:
    """A few of the sample items the proof writes, per entity, as stored through the planned
    keys (JSON): what the table will hold. Empty while the design has problems."""
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return []
    try:
        plan = plan_table(valid)
        samples = sample_items(plan.entities)
    except GENERATOR_FAILURES as exc:
        logger.warning("no sample items", exc_info=exc)
        return []
    return [
        (
            plan.entities[code].name,
            [
                json.dumps(stored_item(plan, code, item), indent=2, sort_keys=True, default=str)
                for item in items[:SAMPLES_SHOWN]
            ],
        )
        for code, items in samples.items()
        if items
    ]
