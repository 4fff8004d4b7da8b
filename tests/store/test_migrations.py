"""The migrations create exactly the tables the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from alembic import command
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
