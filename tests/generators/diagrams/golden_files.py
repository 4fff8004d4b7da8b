"""Golden-file comparison shared by the diagram, OpenAPI and event-schema tests.

``STORMDRAFT_UPDATE_GOLDENS=1`` rewrites the goldens (and removes stale ones) instead of
comparing; a mismatch fails with a unified diff and the command that updates them.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

UPDATE = os.environ.get("STORMDRAFT_UPDATE_GOLDENS") == "1"


def check_goldens(folder: Path, actual: dict[str, str], tests: str) -> None:
    """Compare generated files (relative path → text) with the goldens in ``folder``."""
    command = f"STORMDRAFT_UPDATE_GOLDENS=1 pytest {tests}"
    if UPDATE:
        for name, text in actual.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        for stale in folder.rglob("*.*"):
            if stale.relative_to(folder).as_posix() not in actual:
                stale.unlink()
    if not folder.exists():
        pytest.fail(f"no goldens in {folder}; run {command}")
    stored = {p.relative_to(folder).as_posix() for p in folder.rglob("*.*")}
    missing, extra = sorted(set(actual) - stored), sorted(stored - set(actual))
    assert not missing and not extra, f"missing {missing}, stale {extra}; run {command}"
    for name, text in sorted(actual.items()):
        golden = (folder / name).read_text(encoding="utf-8")
        if golden != text:
            diff = "".join(
                difflib.unified_diff(
                    golden.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"golden/{name}",
                    f"generated/{name}",
                    n=2,
                )
            )
            pytest.fail(f"{name} changed:\n{diff[:6000]}\nif intended: {command}")
