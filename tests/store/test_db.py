"""Engine set-up: URL spelling, SQLite pragmas, sessions that commit or roll back."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import text

from app.store import designs
from app.store.db import Engine, Session, create_db_engine, normalize_database_url, session_scope
from app.store.tables import ChangeRecord


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///./stormdraft.db", "sqlite:///./stormdraft.db"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, expected: str):
    assert normalize_database_url(given) == expected


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine: Engine):
    with session_scope(engine) as session:
        kept = designs.create_design(session, name="Kept", storm_yaml="", actor="Ada").id
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        designs.create_design(session, name="Lost", storm_yaml="", actor="Ada")
        raise RuntimeError("boom")

    with Session(engine) as session:
        assert [d.id for d in designs.list_designs(session)] == [kept]


def test_foreign_keys_are_enforced(engine: Engine):
    orphan = ChangeRecord(
        design_id="missing", revision=1, actor="Ada", at=datetime.now(UTC), summary="x"
    )
    with Session(engine) as session:
        session.add(orphan)
        with pytest.raises(IntegrityError):
            session.flush()
