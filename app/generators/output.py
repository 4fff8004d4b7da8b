"""The one serializer every artifact goes through: stable key order, UTF-8, final newline."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from app.model.stormfile import dump_yaml


def json_text(data: Any) -> str:
    """Canonical JSON: keys sorted, two-space indent, Unicode kept, newline at the end."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def yaml_text(data: Any) -> str:
    """Block-style YAML in the order given (callers order their keys on purpose)."""
    return dump_yaml(data)


@dataclass(frozen=True)
class Artifact:
    """One generated file: where it goes under the output folder, what it is, its bytes."""

    path: str
    kind: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @classmethod
    def text(cls, path: str, kind: str, text: str) -> Artifact:
        return cls(path, kind, text.encode("utf-8"))

    @classmethod
    def json(cls, path: str, kind: str, data: Any) -> Artifact:
        return cls.text(path, kind, json_text(data))
