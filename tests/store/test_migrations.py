"""The migrations create exactly the tables the models describe, on SQLite and PostgreSQL."""

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from alembic import command
from app.services import edits
from app.services.live import Hub
from app.services.studio import Studio
from app.store.db import create_db_engine, schema_is_ready
from app.store.migrations import alembic_config, upgrade_to_head


def test_models_and_migrations_do_not_drift(database_url: str):
    upgrade_to_head(database_url)
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == [], (
        "the tables differ from the migrations: write a migration with "
        "`.venv/bin/alembic revision --autogenerate -m '...'`"
    )


def test_downgrade_to_base_removes_every_table(database_url: str):
    upgrade_to_head(database_url)
    command.downgrade(alembic_config(database_url), "base")
    engine = create_db_engine(database_url)
    try:
        assert not schema_is_ready(engine)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_downgrade_writes_each_design_whole_first(database_url: str):
    """Before 0008 a design's row held all of it: downgrading replays the element changes."""
    upgrade_to_head(database_url)
    engine = create_db_engine(database_url)
    try:
        studio = Studio(engine, Hub(database_url))
        design = studio.create_from_starter("document-pipeline", "", "Ana").id
        event = next(
            e["id"] for c in studio.document(design).data["contexts"] for e in c.get("events", [])
        )
        latest = studio.apply(
            design, lambda d: edits.update_element(d, event, {"description": "kept"}), "Ana"
        )
        with engine.connect() as connection:
            behind = connection.execute(text("SELECT data_revision FROM design")).scalar_one()
        assert behind == 1, "the edit kept only its element"

        command.downgrade(alembic_config(database_url), "0007")
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT data_json FROM design")).scalar_one()
        assert json.loads(kept) == latest.document.data
    finally:
        engine.dispose()
