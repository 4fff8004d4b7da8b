"""Typed, read-only views of the data in ``catalog/`` (starter designs, and later prices,
limits and rule texts)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.model.stormfile import parse_yaml

CATALOG_DIR = Path(os.environ.get("STORMDRAFT_CATALOG", Path(__file__).parent.parent / "catalog"))
STARTER_SUFFIX = ".storm.yaml"


@dataclass(frozen=True)
class Starter:
    """A starter design: a realistic example to begin a design from."""

    slug: str
    name: str
    description: str
    path: Path

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@cache
def starters() -> tuple[Starter, ...]:
    """Every starter design, by slug."""
    found = []
    for path in sorted((CATALOG_DIR / "starters").glob(f"*{STARTER_SUFFIX}")):
        data, _ = parse_yaml(path.read_text(encoding="utf-8"))
        slug = path.name.removesuffix(STARTER_SUFFIX)
        found.append(
            Starter(slug, str(data.get("name", slug)), str(data.get("description", "")), path)
        )
    return tuple(found)


def starter(slug: str) -> Starter | None:
    """The starter with this slug, or None."""
    return next((s for s in starters() if s.slug == slug), None)
