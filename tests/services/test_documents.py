"""The JSON kept beside each storm file: the same data, built from cached pieces."""

from __future__ import annotations

import json

import pytest

from app import catalog
from app.services import edits
from app.services.designs import design_from_starter
from app.services.documents import canonical_data, data_json


@pytest.mark.parametrize("slug", [s.slug for s in catalog.starters()])
def test_the_json_is_the_data(slug: str) -> None:
    data = canonical_data(design_from_starter(slug, "Design"))
    assert json.loads(data_json(data)) == data
    event = next(e for c in data["contexts"] for e in c.get("events", []))
    changed = edits.update_element(data, event["id"], {"description": 'ünïcode — and "quotes"'})
    assert json.loads(data_json(changed.data)) == changed.data, "only the new pieces are dumped"
