"""Rendering: terminal text, JSON and Markdown; hostile names stay plain text; determinism."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.generators.diff import diff_designs, diff_json, diff_markdown, format_diff
from app.generators.diff.render import markdown_text
from app.model import load_design
from tests.generators.diff.factories import base, edited, load, named, ordering, shipping

BASE = load(base())
STARTERS = sorted(Path("catalog/starters").glob("*.storm.yaml"))


def edit(data: dict[str, Any]) -> None:
    data["settings"]["api"]["type"] = "rest"
    named(ordering(data)["commands"], "Place order")["emits"].append("Order shipped")
    shipping(data)["events"].append({"name": "Parcel lost"})


def test_terminal_text_groups_by_context() -> None:
    text = format_diff(diff_designs(BASE, edited(edit), artifacts=False))
    assert text == (
        "Changes to Shop\n"
        "1 added, 2 changed\n"
        "\n"
        "Design\n"
        "  ~ settings: API type changed from HTTP to REST\n"
        "\n"
        "Context Ordering\n"
        "  ~ Place order now emits Order shipped too\n"
        "\n"
        "Context Shipping\n"
        "  + added the event Parcel lost\n"
    )


def test_terminal_text_lists_artifact_sections() -> None:
    text = format_diff(diff_designs(BASE, load(base())))
    assert text.endswith(
        "Artifacts\n  OpenAPI: unchanged\n  Table plan: unchanged\n  Workflows: unchanged\n"
        "  SAM template: unchanged\n  Cost: unchanged\n"
    )
    assert "No changes to the design." in text


def test_json_carries_summary_changes_and_artifacts() -> None:
    data = diff_json(diff_designs(BASE, edited(edit)))
    assert data["summary"] == {"added": 1, "removed": 0, "renamed": 0, "moved": 0, "changed": 2}
    assert data["changes"][0] == {
        "action": "changed",
        "kind": "settings",
        "element_id": None,
        "name": "settings",
        "context": None,
        "text": "settings: API type changed from HTTP to REST",
        "field": "settings.api.type",
        "old": "http",
        "new": "rest",
    }
    assert [a["artifact"] for a in data["artifacts"]] == [
        "openapi",
        "table",
        "workflows",
        "template",
        "cost",
    ]


def test_markdown_has_headings_per_context() -> None:
    text = diff_markdown(diff_designs(BASE, edited(edit), artifacts=False))
    assert text == (
        "# Changes to Shop\n"
        "\n"
        "1 added, 2 changed\n"
        "\n"
        "## Design\n"
        "\n"
        "- changed: settings: API type changed from HTTP to REST\n"
        "\n"
        "## Context Ordering\n"
        "\n"
        "- changed: Place order now emits Order shipped too\n"
        "\n"
        "## Context Shipping\n"
        "\n"
        "- added: added the event Parcel lost\n"
    )


HOSTILE = "<img src=x onerror=alert(1)> [click](https://evil.example) **bold** `x` |a|"


def test_hostile_names_stay_plain_text_in_markdown() -> None:
    def hostile(data: dict[str, Any]) -> None:
        shipping(data)["name"] = "Ship\u202eping <b>"
        shipping(data)["events"].append({"name": HOSTILE, "code": "Hostile"})

    text = diff_markdown(diff_designs(BASE, edited(hostile), artifacts=False))
    unescaped = re.sub(r"\\.", "", text)
    assert not set("<>[]`*|") & set(unescaped)
    assert "https://" not in text
    assert "\u202e" not in text
    assert (
        "- added: added the event \\<img src=x onerror=alert(1)\\> "
        "\\[click\\](https\\://evil.example) \\*\\*bold\\*\\* \\`x\\` \\|a\\|" in text
    )


def test_hostile_names_cannot_forge_terminal_lines() -> None:
    def hostile(data: dict[str, Any]) -> None:
        name = "Lost\n  + added the context Fake\u2028x\u202egnp.exe"
        shipping(data)["events"].append({"name": name, "code": "Lost"})

    text = format_diff(diff_designs(BASE, edited(hostile), artifacts=False))
    assert "  + added the event Lost   + added the context Fake x gnp.exe\n" in text
    assert not {"\u2028", "\u202e"} & set(text)
    assert text.count("\n") == 5


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a_b*c", "a\\_b\\*c"),
        ("www.evil.example", "www\\.evil.example"),
        ("x & y", "x \\& y"),
        ("user@example.com", "user\\@example.com"),
        ("$x$", "\\$x\\$"),
    ],
)
def test_markdown_escapes(raw: str, escaped: str) -> None:
    assert markdown_text(raw) == escaped


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.stem)
def test_a_starter_against_itself_has_no_differences(path: Path) -> None:
    valid = load_design(path.read_text())
    diff = diff_designs(valid, load_design(path.read_text()))
    assert diff.empty
    # The cost section needs a price list for the design's region; the others always compare.
    assert all(a.unavailable is None for a in diff.artifacts if a.artifact != "cost")


def test_starters_diff_each_other() -> None:
    assert len(STARTERS) >= 2
    old, new = (load_design(p.read_text()) for p in STARTERS[:2])
    diff = diff_designs(old, new)
    assert diff.counts()["added"] > 0 and diff.counts()["removed"] > 0
    assert format_diff(diff) == format_diff(diff_designs(old, new))


SCRIPT = """
import sys
from pathlib import Path
from app.generators.diff import diff_designs, format_diff, diff_markdown
from app.generators.output import json_text
from app.generators.diff import diff_json
from app.model import load_design
starters = sorted(Path("catalog/starters").glob("*.storm.yaml"))
old, new = (load_design(p.read_text()) for p in starters[:2])
diff = diff_designs(old, new)
sys.stdout.write(format_diff(diff) + diff_markdown(diff) + json_text(diff_json(diff)))
"""


def test_output_does_not_depend_on_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
