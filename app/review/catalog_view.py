"""Typed, frozen views of the review data in ``catalog/``: rule texts and dated service limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.catalog import CATALOG_DIR

RULES_DIR = "rules"
LIMITS_FILE = "limits.yaml"


@dataclass(frozen=True)
class RuleText:
    """A rule's explanation as data: why it matters, how to fix it, links, and its thresholds."""

    id: str
    why: str
    fix: str
    links: tuple[str, ...] = ()
    thresholds: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Limit:
    """A service limit with its unit, where it comes from and when it was last checked."""

    key: str
    value: float
    unit: str
    what: str
    source: str
    as_of: str


class CatalogDataError(ValueError):
    """A file in ``catalog/`` does not have the shape review expects (a bug in the catalog)."""


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CatalogDataError(f"{path} is not a mapping")
    return data


def rule_text_from(path: Path) -> RuleText:
    """Read one ``catalog/rules/<rule-id>.yaml``."""
    data = _read(path)
    expected = path.name.removesuffix(".yaml")
    if data.get("id") != expected:
        raise CatalogDataError(f"{path} says id {data.get('id')!r}; expected {expected!r}")
    unknown = set(data) - {"id", "why", "fix", "links", "thresholds"}
    if unknown:
        raise CatalogDataError(f"{path} has unknown keys {sorted(unknown)}")
    return RuleText(
        id=expected,
        why=str(data.get("why", "")).strip(),
        fix=str(data.get("fix", "")).strip(),
        links=tuple(str(link) for link in data.get("links") or ()),
        thresholds=dict(data.get("thresholds") or {}),
    )


@cache
def rule_texts(root: Path = CATALOG_DIR) -> dict[str, RuleText]:
    """Every rule text in ``catalog/rules/``, by rule id."""
    return {
        text.id: text
        for text in (rule_text_from(p) for p in sorted((root / RULES_DIR).glob("*.yaml")))
    }


@cache
def limits(root: Path = CATALOG_DIR) -> dict[str, Limit]:
    """Every dated service limit in ``catalog/limits.yaml``, by key (``sqs.message_kb``)."""
    found = {}
    for key, item in (_read(root / LIMITS_FILE).get("limits") or {}).items():
        missing = {"value", "unit", "what", "source", "as_of"} - set(item)
        if missing:
            raise CatalogDataError(f"limit {key!r} lacks {sorted(missing)}")
        found[key] = Limit(
            key,
            float(item["value"]),
            str(item["unit"]),
            str(item["what"]),
            str(item["source"]),
            str(item["as_of"]),
        )
    return found
