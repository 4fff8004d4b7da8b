"""Reading review test cases: ``cases/<rule-id>.<pass|fail>.yaml`` with a design and the
paths of the findings the rule must report on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from app.model import ValidDesign
from app.model.load import parse_design, validate
from app.review.run import PROVIDERS

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    rule: str
    mode: str
    path: Path

    @property
    def data(self) -> dict[str, Any]:
        return yaml.safe_load(self.path.read_text(encoding="utf-8"))

    def design(self) -> ValidDesign:
        return validate(parse_design(self.data["design"]))

    def expected(self) -> set[str]:
        return set(self.data.get("expect") or [])

    def providers(self) -> dict[str, Any]:
        """What the rule needs beyond the design (``provide:`` in the case): ``planner`` for
        the real provider, or a mapping that stands in for its result."""
        given = self.data.get("provide") or {}
        return {
            name: PROVIDERS[name] if value == "planner" else _stand_in(value)
            for name, value in given.items()
        }


def _stand_in(value: dict[str, Any]) -> Any:
    return lambda _valid: SimpleNamespace(**value)


def all_cases() -> list[Case]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        rule, mode, _ = path.name.rsplit(".", 2)
        found.append(Case(rule, mode, path))
    return found
