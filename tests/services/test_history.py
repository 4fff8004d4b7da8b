"""The change history: what it keeps of the design before each change, and undo from it."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.services import edits
from app.services.live import Hub
from app.services.studio import Studio
from app.store.db import Engine
from app.store.tables import ChangeRecord


@pytest.fixture
def studio(engine: Engine) -> Studio:
    return Studio(engine, Hub(str(engine.url.render_as_string(hide_password=False))))


def _change(engine: Engine, design_id: str, revision: int) -> ChangeRecord:
    with Session(engine) as session:
        query = select(ChangeRecord).where(
            ChangeRecord.design_id == design_id, ChangeRecord.revision == revision
        )
        return session.exec(query).one()


def test_an_element_edit_keeps_that_element_not_the_whole_storm_file(
    studio: Studio, engine: Engine
) -> None:
    design = studio.create_from_starter("order-processing", "", "Ana").id
    before = studio.document(design)
    victim = before.data["contexts"][0]["events"][0]
    deleted = studio.apply(design, lambda data: edits.delete_element(data, victim["id"]), "Ana")

    change = _change(engine, design, deleted.document.revision)
    assert change.storm_yaml_before is None
    assert change.element_before is not None and victim["name"] in change.element_before
    assert len(change.element_before) < len(before.text) / 10

    studio.undo(design, deleted.document.revision, "Ben")
    assert studio.document(design).text == before.text


def test_a_text_edit_keeps_the_storm_file_it_replaced(studio: Studio, engine: Engine) -> None:
    design = studio.create_blank("Orders", "Ana").id
    before = studio.document(design)
    saved = studio.apply_text(
        design, before.text.replace("name: Orders", "name: Sales"), before.revision, "Ana"
    )
    change = _change(engine, design, saved.document.revision)
    assert (change.storm_yaml_before, change.element_before) == (before.text, None)


def test_changes_recorded_with_the_whole_storm_file_can_still_be_undone(
    studio: Studio, engine: Engine
) -> None:
    """History written before element snapshots existed kept the whole file before."""
    design = studio.create_from_starter("order-processing", "", "Ana").id
    before = studio.document(design)
    victim = before.data["contexts"][0]["commands"][0]
    deleted = studio.apply(design, lambda data: edits.delete_element(data, victim["id"]), "Ana")
    with Session(engine) as session:
        change = _change(engine, design, deleted.document.revision)
        change.element_before, change.storm_yaml_before = None, before.text
        session.add(change)
        session.commit()

    studio.undo(design, deleted.document.revision, "Ben")
    assert studio.document(design).text == before.text
