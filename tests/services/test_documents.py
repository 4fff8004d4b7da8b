"""The JSON kept beside each storm file: the same data, built from cached pieces, and the
storm file again when read back."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from app import catalog
from app.services import documents, edits
from app.services import studio as studio_module
from app.services.designs import design_from_starter
from app.services.documents import DocumentCache, canonical_data, data_json
from app.services.live import Hub
from app.services.studio import Studio
from app.store.db import Engine
from app.store.tables import DesignRecord


@pytest.mark.parametrize("slug", [s.slug for s in catalog.starters()])
def test_the_json_is_the_data(slug: str) -> None:
    data = canonical_data(design_from_starter(slug, "Design"))
    assert json.loads(data_json(data)) == data
    event = next(e for c in data["contexts"] for e in c.get("events", []))
    changed = edits.update_element(data, event["id"], {"description": 'ünïcode — and "quotes"'})
    assert json.loads(data_json(changed.data)) == changed.data, "only the new pieces are dumped"


@pytest.mark.parametrize("slug", [s.slug for s in catalog.starters()])
def test_another_instance_reads_the_very_storm_file_from_the_json(
    slug: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that did not write a revision dumps its text from the stored JSON: it must be
    the stored storm file, byte for byte (digests key every preview cache)."""
    studio = Studio(engine, Hub(str(engine.url.render_as_string(hide_password=False))))
    design = studio.create_from_starter(slug, "", "Ana").id
    event = next(e for c in studio.document(design).data["contexts"] for e in c.get("events", []))
    written = studio.apply(
        design, lambda d: edits.update_element(d, event["id"], {"description": "ü"}), "Ana"
    )

    fresh = DocumentCache()
    monkeypatch.setattr(documents, "DOCUMENTS", fresh)
    monkeypatch.setattr(studio_module, "DOCUMENTS", fresh)
    with Session(engine) as session:
        stored = session.get(DesignRecord, design)
        assert stored is not None and stored.data_json is not None
        assert stored.storm_yaml is None, "an edit writes the design once, as JSON"
    assert studio.document(design).text == written.document.text
