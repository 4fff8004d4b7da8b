"""Small design factories for the cost tests: a context, a few elements, loaded and validated."""

from __future__ import annotations

import json
from typing import Any

from app.model import ValidDesign, load_design


def design(
    *contexts: dict[str, Any],
    api: str = "http",
    auth: str = "jwt",
    architecture: str = "arm64",
    region: str = "us-east-1",
) -> ValidDesign:
    data = {
        "format": 1,
        "name": "Cost test",
        "settings": {
            "region": region,
            "architecture": architecture,
            "api": {"type": api, "auth": auth},
        },
        "contexts": list(contexts),
    }
    return load_design(json.dumps(data))


def context(name: str = "Sales", **kinds: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, **kinds}


def command(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, **extra}


def workload(**values: Any) -> dict[str, Any]:
    return values
