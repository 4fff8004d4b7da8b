"""Shared fixtures. Sections: databases (below); append new sections at the end."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from app.services.review import start_reviewer, stop_reviewer
from app.store.db import Engine, create_db_engine
from app.store.migrations import upgrade_to_head

# ---------------------------------------------------------------------------------------------
# Databases: every test that asks for `database_url` runs once on SQLite and once on PostgreSQL.
# ---------------------------------------------------------------------------------------------

# The server `make test` and .ci/run make sure of; override to test against another one.
POSTGRES_SERVER = os.environ.get(
    "STORMDRAFT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database; dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'stormdraft.db'}"
        return
    with _fresh_postgres_database() as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, for what only PostgreSQL does."""
    with _fresh_postgres_database() as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a new database that the migrations have brought to head."""
    upgrade_to_head(database_url)
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@contextmanager
def _fresh_postgres_database() -> Iterator[str]:
    """Creates a uniquely named database on the test server, and drops it afterwards."""
    name = f"stormdraft_test_{uuid.uuid4().hex[:12]}"
    identifier = sql.Identifier(name)
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as admin:
            # FORCE ends connections a test left open (say, a pool it did not dispose of).
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))


# ---------------------------------------------------------------------------------------------
# Accounts: a cheap Argon2 setting, so the many sign-ins of the suite stay quick.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    from argon2 import PasswordHasher

    from app.services import accounts

    real = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = real


# -- the reviewer process -------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def reviewer() -> Iterator[None]:
    """One reviewer process for the whole run: each app's start and stop would otherwise
    start and stop one (a second each)."""
    start_reviewer()
    yield
    stop_reviewer()
