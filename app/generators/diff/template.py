"""How two SAM templates differ: resources added, removed and changed, outputs and settings.

A resource is named by its logical id and type; a changed one lists the properties that
differ (``MemorySize``, ``Events``), so a reader sees which parts of the stack a deploy touches.
"""

from __future__ import annotations

from typing import Any

OUTER = ("Parameters", "Globals", "Conditions", "Mappings")
"""Template-wide sections, each reported as one line when it changed."""


def template_lines(old: dict[str, Any], new: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The differences of two templates in plain sentences, and the resource counts."""
    a, b = old.get("Resources", {}), new.get("Resources", {})
    lines = [f"added the resource {k} ({_type(b[k])})" for k in b if k not in a]
    lines += [f"removed the resource {k} ({_type(a[k])})" for k in a if k not in b]
    for key in [k for k in b if k in a and a[k] != b[k]]:
        if _type(a[key]) != _type(b[key]):
            lines.append(f"the resource {key} changed from {_type(a[key])} to {_type(b[key])}")
        else:
            lines.append(f"the resource {key} changed: {', '.join(_parts(a[key], b[key]))}")
    outputs_a, outputs_b = old.get("Outputs", {}), new.get("Outputs", {})
    lines += [f"added the output {k}" for k in outputs_b if k not in outputs_a]
    lines += [f"removed the output {k}" for k in outputs_a if k not in outputs_b]
    lines += [
        f"the output {k} changed"
        for k in outputs_b
        if k in outputs_a and outputs_a[k] != outputs_b[k]
    ]
    lines += [
        f"the template's {section} changed"
        for section in OUTER
        if old.get(section) != new.get(section)
    ]
    return lines, {"resources": [len(a), len(b)]}


def _type(resource: Any) -> str:
    return str(resource.get("Type", "unknown type")) if isinstance(resource, dict) else "?"


def _parts(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The properties (and resource attributes such as DependsOn) that differ, in order."""
    props_a, props_b = old.get("Properties", {}), new.get("Properties", {})
    keys = [*props_a, *(k for k in props_b if k not in props_a)]
    parts = [k for k in keys if props_a.get(k) != props_b.get(k)]
    attributes = [*old, *(k for k in new if k not in old)]
    parts += [k for k in attributes if k not in ("Type", "Properties") and old.get(k) != new.get(k)]
    return parts or ["its definition"]
