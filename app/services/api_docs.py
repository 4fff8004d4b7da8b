"""The OpenAPI document of a design as JSON, for its API docs; made once per design content."""

from __future__ import annotations

import threading
from collections import OrderedDict

from app.generators.api.openapi import openapi_document
from app.generators.output import json_text
from app.model import DesignError
from app.services.previews import validated

_DOCUMENTS: OrderedDict[str, str | None] = OrderedDict()
_LOCK = threading.Lock()


def openapi_json(digest: str, text: str) -> str | None:
    """The design's OpenAPI document as JSON text, or None while the design has problems."""
    with _LOCK:
        if digest in _DOCUMENTS:
            _DOCUMENTS.move_to_end(digest)
            return _DOCUMENTS[digest]
    valid = validated(digest, text)
    document = None if isinstance(valid, DesignError) else json_text(openapi_document(valid))
    with _LOCK:
        _DOCUMENTS[digest] = document
        while len(_DOCUMENTS) > 16:
            _DOCUMENTS.popitem(last=False)
    return document
