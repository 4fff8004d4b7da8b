"""The design repository, on SQLite and PostgreSQL."""

from typing import Any

import pytest

from app.store import designs
from app.store.db import Engine, Session, session_scope

Clock = Any  # the `clock` fixture: call it for "now"; `.start` is its first reading


def _create(session: Session, clock: Clock, name: str = "Orders") -> str:
    design = designs.create_design(
        session, name=name, storm_yaml=f"name: {name}\n", actor="Ada", now=clock
    )
    session.commit()
    return design.id


def test_create_saves_revision_one_and_records_the_creation(session: Session, clock: Clock):
    design_id = _create(session, clock)

    design = designs.get_design(session, design_id)
    assert design is not None
    assert (design.name, design.storm_yaml, design.revision) == ("Orders", "name: Orders\n", 1)
    assert design.created_at == design.updated_at == clock.start
    [change] = designs.list_changes(session, design_id)
    assert (change.revision, change.actor, change.summary, change.at) == (
        1,
        "Ada",
        "Created",
        clock.start,
    )
    assert change.storm_yaml_before is None


def test_create_takes_its_id_from_the_id_source(session: Session, clock: Clock):
    design = designs.create_design(
        session, name="Orders", storm_yaml="", actor="Ada", now=clock, make_id=lambda: "d-1"
    )
    assert design.id == "d-1"


def test_get_unknown_design_is_none(session: Session):
    assert designs.get_design(session, "nope") is None


def test_list_is_newest_first_and_searches_names_case_insensitively(session: Session, clock: Clock):
    older = _create(session, clock, "Orders")
    newer = _create(session, clock, "Payments 100%")
    _create(session, clock, "Shipping_v2")

    assert [d.id for d in designs.list_designs(session)][1:] == [newer, older]
    assert [d.name for d in designs.list_designs(session, name_contains="ORD")] == ["Orders"]
    # Wildcards in the search text are taken literally.
    assert [d.name for d in designs.list_designs(session, name_contains="0%")] == ["Payments 100%"]
    assert [d.name for d in designs.list_designs(session, name_contains="g_v")] == ["Shipping_v2"]
    assert list(designs.list_designs(session, name_contains="%")) != []
    assert list(designs.list_designs(session, name_contains="x_y")) == []


def test_update_advances_the_revision_and_keeps_what_it_is_given_of_before(
    session: Session, clock: Clock
):
    design_id = _create(session, clock)

    design = designs.update_design(
        session,
        design_id,
        expected_revision=1,
        actor="Grace",
        summary="Added PlaceOrder",
        storm_yaml="name: Orders\ncommands: [PlaceOrder]\n",
        storm_yaml_before="name: Orders\n",
        now=clock,
    )
    session.commit()

    assert design.revision == 2
    assert design.updated_at > design.created_at
    change = designs.list_changes(session, design_id)[-1]
    assert (change.revision, change.actor, change.summary) == (2, "Grace", "Added PlaceOrder")
    assert change.storm_yaml_before == "name: Orders\n"


def test_renaming_keeps_no_storm_file_copy(session: Session, clock: Clock):
    design_id = _create(session, clock)
    designs.update_design(
        session, design_id, expected_revision=1, actor="Ada", summary="Renamed", name="Sales"
    )
    assert designs.list_changes(session, design_id)[-1].storm_yaml_before is None
    assert designs.get_design(session, design_id).name == "Sales"  # type: ignore[union-attr]


def test_update_with_an_old_revision_is_stale_and_changes_nothing(session: Session, clock: Clock):
    design_id = _create(session, clock)
    designs.update_design(
        session, design_id, expected_revision=1, actor="Ada", summary="first", name="A"
    )
    session.commit()

    with pytest.raises(designs.StaleRevision) as stale:
        designs.update_design(
            session, design_id, expected_revision=1, actor="Bob", summary="late", name="B"
        )
    session.rollback()

    assert (stale.value.expected, stale.value.actual) == (1, 2)
    design = designs.get_design(session, design_id)
    assert design is not None and (design.name, design.revision) == ("A", 2)


def test_two_sessions_racing_on_one_revision_let_exactly_one_win(engine: Engine, clock: Clock):
    with session_scope(engine) as setup:
        design_id = _create(setup, clock)
    with Session(engine) as first, Session(engine) as second:
        assert designs.get_design(first, design_id) is not None
        assert designs.get_design(second, design_id) is not None
        designs.update_design(
            first, design_id, expected_revision=1, actor="A", summary="a", name="A"
        )
        first.commit()
        with pytest.raises(designs.StaleRevision):
            designs.update_design(
                second, design_id, expected_revision=1, actor="B", summary="b", name="B"
            )


def test_update_of_an_unknown_design_is_not_found(session: Session):
    with pytest.raises(designs.DesignNotFound):
        designs.update_design(session, "nope", expected_revision=1, actor="A", summary="x")


def test_soft_delete_hides_the_design_and_restore_brings_it_back(session: Session, clock: Clock):
    design_id = _create(session, clock)

    deleted = designs.delete_design(session, design_id, actor="Ada", now=clock)
    session.commit()
    assert deleted.deleted_at is not None
    assert designs.get_design(session, design_id) is None
    assert designs.get_design(session, design_id, include_deleted=True) is not None
    assert list(designs.list_designs(session)) == []
    assert len(designs.list_designs(session, include_deleted=True)) == 1
    with pytest.raises(designs.DesignNotFound):
        designs.delete_design(session, design_id, actor="Ada")

    restored = designs.restore_design(session, design_id, actor="Ada", now=clock)
    session.commit()
    assert restored.deleted_at is None
    assert designs.get_design(session, design_id) is not None
    summaries = [c.summary for c in designs.list_changes(session, design_id)]
    assert summaries == ["Created", "Deleted", "Restored"]
    with pytest.raises(designs.DesignNotFound):
        designs.restore_design(session, design_id, actor="Ada")


def test_timestamps_come_back_in_utc(session: Session, clock: Clock):
    design_id = _create(session, clock)
    session.expunge_all()
    design = designs.get_design(session, design_id)
    assert design is not None and design.created_at.utcoffset() is not None
    assert design.created_at == clock.start
