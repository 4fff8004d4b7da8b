"""The table plan's proof for the studio: each access pattern run on an emulated table (moto),
once per design content and only when the Table plan tab asks for it."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from app.model import DesignError
from app.proofs.table import ProofReport, prove_table
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
