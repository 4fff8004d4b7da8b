"""Runs ``asl-validator`` (from the npm registry) on state machine definitions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
VALIDATOR = Path(
    os.environ.get("STORMDRAFT_ASL_VALIDATOR", REPO / "node_modules/.bin/asl-validator")
)
_VERDICT = re.compile(
    r'^[✓✕] State machine definition "(?P<label>[^"]+)" is (?P<verdict>valid|invalid)'
)


class AslValidatorMissing(RuntimeError):
    """The npm ``asl-validator`` is not installed (``make setup`` runs ``npm ci``)."""


@dataclass(frozen=True)
class AslVerdict:
    """What asl-validator says of one definition."""

    name: str
    valid: bool
    messages: tuple[str, ...] = ()


def validate_definitions(
    definitions: dict[str, dict[str, Any]], timeout_s: float = 60
) -> dict[str, AslVerdict]:
    """Validate several definitions in one run of the validator, by name."""
    if not VALIDATOR.exists():
        raise AslValidatorMissing(f"{VALIDATOR} is missing; run 'make setup' (npm ci)")
    if not definitions:
        return {}
    with tempfile.TemporaryDirectory(prefix="asl-") as folder:
        labels: dict[str, str] = {}
        arguments: list[str] = []
        for i, (name, definition) in enumerate(definitions.items()):
            path = Path(folder) / f"definition-{i}.json"
            path.write_text(json.dumps(definition), encoding="utf-8")
            labels[str(path)] = name
            arguments += ["--json-path", str(path)]
        done = subprocess.run(
            [str(VALIDATOR), *arguments],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    found = _parse(done.stdout, labels) | _parse(done.stderr, labels)
    missing = set(definitions) - set(found)
    if missing:
        raise RuntimeError(
            f"asl-validator said nothing about {sorted(missing)} (exit {done.returncode}): "
            f"{done.stderr.strip()[:2000]}"
        )
    return found


def _parse(output: str, labels: dict[str, str]) -> dict[str, AslVerdict]:
    verdicts: dict[str, AslVerdict] = {}
    current: tuple[str, bool, list[str]] | None = None
    for line in output.splitlines():
        match = _VERDICT.match(line.strip())
        if match:
            if current:
                verdicts[current[0]] = AslVerdict(current[0], current[1], tuple(current[2]))
            name = labels.get(match["label"], match["label"])
            current = (name, match["verdict"] == "valid", [])
        elif current and line.strip():
            current[2].append(line.strip())
    if current:
        verdicts[current[0]] = AslVerdict(current[0], current[1], tuple(current[2]))
    return verdicts
