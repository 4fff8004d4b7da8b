"""A design diff as terminal text, JSON data and Markdown, grouped by context."""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby
from typing import Any

from app.generators.diff.changes import Change, DesignDiff

MARKS = {"added": "+", "removed": "-", "renamed": "~", "moved": ">", "changed": "~"}
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]<>#|~&$@")
"""Escaped in Markdown wherever they appear: what can start markup mid-line (HTML, links,
images, emphasis, code, table cells, entities, math, e-mail autolinks). The sentences carry
no markup of their own, and never start a line."""
AUTOLINKS = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=www)\.", re.IGNORECASE)
"""``https://`` and ``www.``, which GitHub turns into links without any markup."""


def plain(text: str) -> str:
    """Text safe for a terminal: line breaks, tabs and control or format characters (escape
    sequences, bidirectional overrides) become spaces, so a name cannot forge lines."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written: specials backslash-escaped, on one line."""
    escaped = "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in plain(text))
    return AUTOLINKS.sub(lambda m: "\\" + m.group(0), escaped)


def _groups(diff: DesignDiff) -> list[tuple[str | None, list[Change]]]:
    return [(c, list(items)) for c, items in groupby(diff.changes, key=lambda c: c.context)]


def _summary(diff: DesignDiff) -> str:
    """ "2 added, 1 changed": the actions that happened, with how many elements each."""
    return ", ".join(f"{n} {action}" for action, n in diff.counts().items() if n)


def format_diff(diff: DesignDiff) -> str:
    """The diff for the terminal: a summary line, then each context's changes, then artifacts."""
    title = plain(
        diff.old_name if diff.old_name == diff.new_name else f"{diff.old_name} → {diff.new_name}"
    )
    lines = [f"Changes to {title}", _summary(diff) if diff.changes else "No changes to the design."]
    for context, changes in _groups(diff):
        lines += ["", "Design" if context is None else f"Context {plain(context)}"]
        lines += [f"  {MARKS[c.action]} {plain(c.text)}" for c in changes]
    if diff.artifacts:
        lines += ["", "Artifacts"]
    for artifact in diff.artifacts:
        if artifact.unavailable is not None:
            lines.append(f"  {artifact.title}: not compared — {plain(artifact.unavailable)}")
        elif not artifact.lines:
            lines.append(f"  {artifact.title}: unchanged")
        else:
            lines.append(f"  {artifact.title}")
            lines += [f"    - {plain(line)}" for line in artifact.lines]
    return "\n".join(lines) + "\n"


def diff_json(diff: DesignDiff) -> dict[str, Any]:
    """The diff as plain data (what ``stormdraft diff --json`` prints)."""
    return {
        "old": diff.old_name,
        "new": diff.new_name,
        "summary": diff.counts(),
        "changes": [c.to_json() for c in diff.changes],
        "artifacts": [a.to_json() for a in diff.artifacts],
    }


def diff_markdown(diff: DesignDiff) -> str:
    """The diff as Markdown; every name is escaped, so a design cannot inject markup."""
    if diff.old_name == diff.new_name:
        title = markdown_text(diff.new_name)
    else:
        title = f"{markdown_text(diff.old_name)} → {markdown_text(diff.new_name)}"
    lines = [f"# Changes to {title}", ""]
    lines.append(_summary(diff) if diff.changes else "No changes to the design.")
    for context, changes in _groups(diff):
        heading = "Design" if context is None else f"Context {markdown_text(context)}"
        lines += ["", f"## {heading}", ""]
        lines += [f"- {c.action}: {markdown_text(c.text)}" for c in changes]
    if diff.artifacts:
        lines += ["", "## Artifacts"]
    for artifact in diff.artifacts:
        lines += ["", f"### {artifact.title}", ""]
        if artifact.unavailable is not None:
            lines.append(f"Not compared: {markdown_text(artifact.unavailable)}.")
        elif not artifact.lines:
            lines.append("Unchanged.")
        else:
            lines += [f"- {markdown_text(line)}" for line in artifact.lines]
    return "\n".join(lines) + "\n"
