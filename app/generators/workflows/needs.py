"""What a state machine needs from its stack: definition substitutions and IAM permissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Needs:
    """Collected while states are built: each placeholder once, each action on its resources."""

    substitutions: dict[str, dict[str, str]] = field(default_factory=dict)
    permissions: dict[str, set[str]] = field(default_factory=dict)

    def placeholder(self, name: str, resource: str, attribute: str, element: str = "") -> str:
        """Register ``${name}`` (the ``attribute`` of a ``resource`` of the stack) and return it."""
        entry = {"resource": resource, "attribute": attribute}
        if element:
            entry["element"] = element
        self.substitutions[name] = entry
        return "${" + name + "}"

    def allow(self, actions: tuple[str, ...], *resources: str) -> None:
        for action in actions:
            self.permissions.setdefault(action, set()).update(resources)

    def substitutions_json(self) -> dict[str, Any]:
        return dict(sorted(self.substitutions.items()))

    def iam_json(self) -> dict[str, Any]:
        """Least-privilege statements: actions grouped by the exact resources they need."""
        grouped: dict[tuple[str, ...], list[str]] = {}
        for action, resources in self.permissions.items():
            grouped.setdefault(tuple(sorted(resources)), []).append(action)
        statements = [
            {"Effect": "Allow", "Action": sorted(actions), "Resource": list(resources)}
            for resources, actions in grouped.items()
        ]
        statements.sort(key=lambda s: (s["Action"], s["Resource"]))
        return {"Version": "2012-10-17", "Statement": statements}
