"""Edits on canonical data: the storm file stays canonical, edits merge, undo puts things back."""

import json

import pytest

from app import catalog
from app.model import dump_design, load_design, parse_design
from app.model.stormfile import dump_yaml, parse_yaml
from app.services import edits
from app.services.documents import canonical_data, canonical_text


def _canonical(text: str) -> str:
    return dump_design(parse_design(parse_yaml(text)[0]))


@pytest.fixture(params=[s.slug for s in catalog.starters()])
def starter_data(request: pytest.FixtureRequest) -> dict:
    found = catalog.starter(request.param)
    assert found is not None
    return canonical_data(dump_design(load_design(found.text()).design))


def test_incremental_text_equals_the_canonical_dump(starter_data):
    text = canonical_text(starter_data)
    assert text == dump_yaml(starter_data) == _canonical(text)


def test_every_kind_of_edit_keeps_the_storm_file_canonical(starter_data):
    lane = starter_data["contexts"][0]["id"]
    added = edits.add_element(starter_data, lane, "events", {"name": "Refund issued"})
    changed = edits.update_element(
        added.data,
        added.element_id,
        {
            "description": "a long description " * 12,
            "fields": {"amount": "decimal", "at": "datetime"},
        },
    )
    moved = edits.move_element(changed.data, added.element_id, direction="earlier")
    steps = [moved]
    if len(starter_data["contexts"]) > 1:
        steps.append(
            edits.move_element(
                moved.data, added.element_id, context_id=starter_data["contexts"][1]["id"]
            )
        )
    steps.append(edits.add_context(steps[-1].data, "Refunds"))
    steps.append(edits.delete_element(steps[-1].data, added.element_id))
    for step in steps:
        text = canonical_text(step.data)
        assert text == _canonical(text), step.summary


def test_edits_of_different_elements_merge_and_share_untouched_contexts(starter_data):
    context = starter_data["contexts"][0]
    first, second = [e for kind in ("commands", "events") for e in context.get(kind, [])][:2]
    one = edits.update_element(starter_data, first["id"], {"description": "one"})
    two = edits.update_element(
        one.data, second["id"], {"description": "two"}, base=edits.element_digest(second)
    )
    after = two.data["contexts"][0]
    found = {e["id"]: e for kind in ("commands", "events") for e in after.get(kind, [])}
    assert found[first["id"]]["description"] == "one"
    assert found[second["id"]]["description"] == "two"
    for before, after in zip(starter_data["contexts"][1:], two.data["contexts"][1:], strict=True):
        assert before is after


def test_a_stale_edit_of_one_element_is_refused_with_its_current_value(starter_data):
    event = starter_data["contexts"][0]["events"][0]
    seen = edits.element_digest(event)
    first = edits.update_element(starter_data, event["id"], {"name": "Renamed"}, base=seen)
    with pytest.raises(edits.ElementConflict) as refused:
        edits.update_element(first.data, event["id"], {"name": "Other"}, base=seen)
    assert refused.value.current is not None
    assert refused.value.current["name"] == "Renamed"


def test_structurally_invalid_edits_are_refused_in_plain_words(starter_data):
    lane = starter_data["contexts"][0]["id"]
    with pytest.raises(edits.EditRefused, match="policy cannot be saved"):
        edits.add_element(starter_data, lane, "policies", {"name": "Orphan"})
    event = starter_data["contexts"][0]["events"][0]
    with pytest.raises(edits.EditRefused, match="unknown type"):
        edits.update_element(starter_data, event["id"], {"fields": {"x": "colour"}})


def test_undo_of_a_delete_restores_the_element_in_place_after_other_edits(starter_data):
    context = starter_data["contexts"][0]
    victim = context["events"][0]
    deleted = edits.delete_element(starter_data, victim["id"])
    meanwhile = edits.add_element(deleted.data, context["id"], "hotspots", {"name": "Why?"})
    snapshot = edits.element_snapshot(starter_data, victim["id"])
    undone = edits.revert_element(meanwhile.data, snapshot, "undo")
    restored = undone.data["contexts"][0]
    assert restored["events"][0] == victim
    assert any(h["name"] == "Why?" for h in restored["hotspots"])


def test_undo_of_an_add_removes_it(starter_data):
    lane = starter_data["contexts"][0]["id"]
    added = edits.add_element(starter_data, lane, "events", {"name": "Oops"})
    undone = edits.revert_element(
        added.data, edits.element_snapshot(starter_data, added.element_id), "undo"
    )
    assert canonical_text(undone.data) == canonical_text(starter_data)


def test_undo_of_a_lane_deletion_brings_back_its_stickies_where_they_were(starter_data):
    lane = starter_data["contexts"][-1]
    # What the history keeps survives a trip through JSON (it is stored as text).
    snapshot = json.loads(json.dumps(edits.element_snapshot(starter_data, lane["id"])))
    deleted = edits.delete_element(starter_data, lane["id"])
    assert len(json.dumps(snapshot)) < len(json.dumps(starter_data))
    undone = edits.revert_element(deleted.data, snapshot, "undo")
    assert canonical_text(undone.data) == canonical_text(starter_data)


def test_moving_one_sticky_never_moves_another(starter_data):
    lane = edits.lane(starter_data, 0)
    moved_id = lane[-1][0]
    after = edits.move_element(starter_data, moved_id, direction="earlier")
    others_before = [(i, x) for i, _, x in lane if i != moved_id]
    others_after = [(i, x) for i, _, x in edits.lane(after.data, 0) if i != moved_id]
    assert others_before == others_after
    order = [i for i, _, _ in edits.lane(after.data, 0)]
    assert order.index(moved_id) == len(order) - 2
