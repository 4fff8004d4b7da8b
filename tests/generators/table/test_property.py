"""Random entity and pattern sets either plan and prove, or name the pattern that cannot be
served with the reason and the fix."""

from __future__ import annotations

import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.generators.table import plan_table
from app.model import load_design
from app.proofs.table import prove_table

TYPES = [
    "string",
    "integer",
    "decimal",
    "datetime",
    "date",
    "boolean",
    "enum(RED, GREEN, BLUE)",
    "list<string>",
]


@st.composite
def designs(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    names = ["Alpha", "Beta", "Gamma"][:count]
    aggregates = []
    attributes_of: dict[str, dict[str, str]] = {}
    for i, name in enumerate(names):
        own = f"{name.lower()}Id"
        attributes = {own: "string"}
        for j in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(TYPES))
            optional = draw(st.booleans()) and not kind.startswith("list")
            attributes[f"f{j}{name[0]}"] = kind + ("?" if optional else "")
        aggregate: dict[str, Any] = {"name": name, "attributes": attributes}
        if i > 0 and draw(st.booleans()):
            parent = names[i - 1]
            attributes[f"{parent.lower()}Id"] = "string"
            aggregates[i - 1].setdefault("relationships", []).append({"entity": name})
        aggregates.append(aggregate)
        attributes_of[name] = attributes
    patterns = []
    for n in range(draw(st.integers(1, 8))):
        entity = draw(st.sampled_from(names))
        attributes = attributes_of[entity]
        plain = [a for a, t in attributes.items()]
        scalar = [a for a, t in attributes.items() if not t.startswith("list")]
        action = draw(st.sampled_from(["read", "read", "read", "put", "update", "delete"]))
        spec: dict[str, Any] = {"name": f"P{n}", "entity": entity, "action": action}
        if action == "read":
            spec["by"] = draw(st.lists(st.sampled_from(plain), max_size=2, unique=True))
            enums = [a for a, t in attributes.items() if t.startswith("enum")]
            if enums and draw(st.booleans()):
                spec["filters"] = {enums[0]: "RED"}
            optional = [a for a, t in attributes.items() if t.endswith("?")]
            if optional and draw(st.booleans()):
                spec["exists"] = [optional[0]]
            if draw(st.booleans()):
                spec["sort"] = draw(st.sampled_from(scalar))
                spec["order"] = draw(st.sampled_from(["asc", "desc"]))
                spec["range"] = draw(
                    st.sampled_from([None, "eq", "lt", "le", "gt", "ge", "between", "begins_with"])
                )
                if spec["range"] is None:
                    del spec["range"]
            children = [
                r["entity"]
                for a in aggregates
                if a["name"] == entity
                for r in a.get("relationships", [])
            ]
            if children and draw(st.booleans()):
                spec["include"] = children[:1]
            if draw(st.integers(0, 4)) == 0:
                spec["consistency"] = "strong"
        else:
            if draw(st.booleans()):
                spec["by"] = draw(
                    st.lists(st.sampled_from(plain), min_size=1, max_size=2, unique=True)
                )
            spec["condition"] = draw(st.sampled_from([None, "create-only", "version"]))
            if spec["condition"] is None:
                del spec["condition"]
        patterns.append(spec)
    return {
        "format": 1,
        "name": "Random",
        "contexts": [{"name": "Main", "aggregates": aggregates, "access_patterns": patterns}],
    }


@settings(
    max_examples=int(os.environ.get("STORMDRAFT_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(designs())
def test_random_designs_plan_and_prove_or_say_why_not(data: dict[str, Any]) -> None:
    valid = load_design(yaml.safe_dump(data, sort_keys=False))
    plan = plan_table(valid)
    unserved = {u.pattern: u for u in plan.unserved}
    codes = [valid.code(e.element) for e in valid.of_kind("access_patterns")]
    for code in codes:
        assert (code in plan.operations) != (code in unserved), code
        if code in unserved:
            assert unserved[code].reason and unserved[code].fix
    report = prove_table(valid)
    for result in report.patterns:
        if result.pattern in unserved:
            assert not result.passed and result.reason.startswith("not served: ")
        else:
            assert result.passed, (result.pattern, result.reason)
