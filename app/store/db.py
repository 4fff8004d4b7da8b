"""Engines and sessions for SQLite (the laptop default) and PostgreSQL (for teams)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine, text

# Other layers name these types through the store, so only the store imports SQL libraries.
__all__ = [
    "Engine",
    "Session",
    "create_db_engine",
    "database_answers",
    "normalize_database_url",
    "schema_is_ready",
    "session_scope",
]

from app.store.tables import DesignRecord


def normalize_database_url(url: str) -> str:
    """The URL with PostgreSQL pointed at the psycopg 3 driver (`postgresql://` is accepted)."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL mode, foreign keys and a busy timeout."""
    url = normalize_database_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL is still safe against crashes; it skips an fsync per commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Several requests may write at once; wait for the lock instead of failing.
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def schema_is_ready(engine: Engine) -> bool:
    """Whether the migrations have created the design tables."""
    with engine.connect() as connection:
        return inspect(connection).has_table(DesignRecord.__tablename__)


def database_answers(engine: Engine) -> bool:
    """Whether the database accepts a connection and a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        return False
    return True
