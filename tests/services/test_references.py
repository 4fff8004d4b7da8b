"""A rename on the board takes every reference by the old name along, and undo takes it back."""

from __future__ import annotations

import pytest

from app.model import parse_design, validate
from app.services import edits
from app.services.designs import design_from_starter
from app.services.documents import canonical_data
from app.services.references import rename_references

Data = dict


@pytest.fixture
def data() -> Data:
    return canonical_data(design_from_starter("order-processing", "Orders"))


def element(data: Data, kind: str, name: str) -> Data:
    return next(e for c in data["contexts"] for e in c.get(kind, []) if e["name"] == name)


def mentions(data: Data, name: str) -> list[str]:
    """Elements whose data still holds `name` anywhere."""
    return [
        e["name"]
        for c in data["contexts"]
        for value in c.values()
        if isinstance(value, list)
        for e in value
        if isinstance(e, dict) and e.get("name") != name and name in repr(e)
    ]


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [
        ("events", "Order placed", "Order submitted"),
        ("aggregates", "Order", "Purchase"),
        ("commands", "Charge payment", "Take payment"),
        ("actors", "Customer", "Shopper"),
    ],
)
def test_a_rename_keeps_the_design_whole(data: Data, kind: str, old: str, new: str) -> None:
    assert mentions(data, old), "the starter refers to it"
    renamed = edits.update_element(data, element(data, kind, old)["id"], {"name": new})
    assert "reference" in renamed.summary
    validate(parse_design(renamed.data), renamed.data)  # no reference left dangling
    snapshot = edits.element_snapshot(data, element(data, kind, old)["id"])
    undone = edits.revert_element(renamed.data, snapshot, "Undone")
    assert undone.data == data


def test_only_references_change(data: Data) -> None:
    policy = element(data, "policies", "Fulfil order when placed")
    described = {**policy, "description": "Runs when Order placed happens."}
    data = edits.update_element(data, policy["id"], {"description": described["description"]}).data
    renamed = edits.update_element(
        data, element(data, "events", "Order placed")["id"], {"name": "Placed"}
    )
    after = element(renamed.data, "policies", "Fulfil order when placed")
    assert after["event"] == "Placed"
    assert after["description"] == "Runs when Order placed happens.", "prose is left alone"
    untouched = element(data, "events", "Order shipped")
    assert element(renamed.data, "events", "Order shipped") is untouched, "identity kept"


def test_names_compare_as_references_do(data: Data) -> None:
    shouting = {**data}
    changed, count = rename_references(shouting, "ORDER PLACED", "Placed")
    assert count >= 2 and not [m for m in mentions(changed, "Order placed")]
    same, none = rename_references(data, "Order placed", "order placed")
    assert (same, none) == (data, 0)
