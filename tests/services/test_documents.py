"""How a design is stored and read back: its JSON, built from cached pieces; and an element
edit kept as that element after, replayed by every other process to the very same storm file."""

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
from app.store import designs as stored_designs
from app.store.db import Engine
from app.store.tables import DesignRecord


@pytest.mark.parametrize("slug", [s.slug for s in catalog.starters()])
def test_the_json_is_the_data(slug: str) -> None:
    data = canonical_data(design_from_starter(slug, "Design"))
    assert json.loads(data_json(data)) == data
    event = next(e for c in data["contexts"] for e in c.get("events", []))
    changed = edits.update_element(data, event["id"], {"description": 'ünïcode — and "quotes"'})
    assert json.loads(data_json(changed.data)) == changed.data, "only the new pieces are dumped"


def _as_process(monkeypatch: pytest.MonkeyPatch, cache: DocumentCache) -> DocumentCache:
    """Hold the documents `cache` holds, as another process (or instance) would."""
    monkeypatch.setattr(documents, "DOCUMENTS", cache)
    monkeypatch.setattr(studio_module, "DOCUMENTS", cache)
    return cache


def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> DocumentCache:
    """Forget every document this process holds, as another instance would not have them."""
    return _as_process(monkeypatch, DocumentCache())


@pytest.fixture
def pipeline(engine: Engine) -> tuple[Studio, str, str]:
    """A studio, a design from the document-pipeline starter and its first event's id."""
    studio = Studio(engine, Hub(str(engine.url.render_as_string(hide_password=False))))
    design = studio.create_from_starter("document-pipeline", "", "Ana").id
    return studio, design, _first_event(studio, design)


def _stored(engine: Engine, design: str) -> DesignRecord:
    with Session(engine) as session:
        record = session.get(DesignRecord, design)
        assert record is not None
        session.expunge(record)
        return record


def _first_event(studio: Studio, design: str) -> str:
    data = studio.document(design).data
    return str(next(e for c in data["contexts"] for e in c.get("events", []))["id"])


@pytest.mark.parametrize("slug", [s.slug for s in catalog.starters()])
def test_another_instance_reads_the_very_storm_file_from_the_stored_changes(
    slug: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that did not write a revision replays the stored changes on the stored data
    and dumps its text: it must be the writer's storm file, byte for byte (digests key every
    preview cache)."""
    studio = Studio(engine, Hub(str(engine.url.render_as_string(hide_password=False))))
    design = studio.create_from_starter(slug, "", "Ana").id
    event = _first_event(studio, design)
    written = studio.apply(
        design, lambda d: edits.update_element(d, event, {"description": "ü"}), "Ana"
    )
    stored = _stored(studio.engine, design)
    assert (stored.revision, stored.data_revision) == (2, 1), "an element edit writes itself"

    _fresh_process(monkeypatch)
    assert studio.document(design).text == written.document.text


def test_an_element_edit_writes_the_element_and_now_and_then_the_design(
    pipeline: tuple[Studio, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    studio, design, event = pipeline

    def describe(n: int) -> studio_module.Edit:
        return lambda d: edits.update_element(d, event, {"description": f"edit {n}"})

    every = studio_module.WRITE_WHOLE_EVERY
    for n in range(every - 1):
        studio.apply(design, describe(n), "Ana")
    stored = _stored(studio.engine, design)
    assert (stored.revision, stored.data_revision) == (every, 1)
    with Session(studio.engine) as session:
        changes = stored_designs.list_changes(session, design)
        assert all(len(c.element_after or "") < 2_000 for c in changes[1:]), "one element each"

    last = studio.apply(design, describe(99), "Ana")
    stored = _stored(studio.engine, design)
    assert stored.data_revision == stored.revision == every + 1
    assert stored.data_json is not None and stored.storm_yaml is None
    assert json.loads(stored.data_json) == last.document.data

    another = studio.apply(design, describe(100), "Ana")
    _fresh_process(monkeypatch)
    assert studio.document(design).text == another.document.text


def test_a_process_behind_replays_only_what_it_missed(
    pipeline: tuple[Studio, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    studio, design, event = pipeline
    behind = _fresh_process(monkeypatch)
    studio.document(design)  # this "instance" holds revision 1
    _fresh_process(monkeypatch)
    for n in range(3):
        written = studio.apply(
            design, lambda d, n=n: edits.update_element(d, event, {"name": f"Renamed {n}"}), "Ana"
        )

    _as_process(monkeypatch, behind)
    read = studio.document(design)
    assert (read.revision, read.text) == (4, written.document.text)
    assert read.data == written.document.data


def test_a_change_whose_replay_would_differ_writes_the_whole_design(
    pipeline: tuple[Studio, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that says it is about one element but changes more is written whole."""
    studio, design, event = pipeline

    def two_things(data: documents.Data) -> edits.Outcome:
        changed = edits.update_element(data, event, {"description": "one"}).data
        return edits.Outcome({**changed, "description": "and another"}, event, "Two things")

    written = studio.apply(design, two_things, "Ana")
    stored = _stored(studio.engine, design)
    assert stored.data_revision == stored.revision == 2
    _fresh_process(monkeypatch)
    assert studio.document(design).data["description"] == "and another"
    assert studio.document(design).text == written.document.text


def test_undo_after_replayed_changes_reads_the_same_design(
    pipeline: tuple[Studio, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    studio, design, event = pipeline
    created = studio.document(design)
    deleted = studio.apply(design, lambda d: edits.delete_element(d, event), "Ana")
    _fresh_process(monkeypatch)
    undone = studio.undo(design, deleted.document.revision, "Ana")
    assert undone.document.text == created.text
    _fresh_process(monkeypatch)
    assert studio.document(design).text == created.text
