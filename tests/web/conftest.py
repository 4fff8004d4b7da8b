"""Web fixtures: the studio app on a migrated database, and a test client for it."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.settings import Settings
from app.store.db import Engine
from app.web.main import create_app


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    """The studio on a migrated database (`engine` makes sure of the migrations)."""
    return create_app(Settings(database_url=str(engine.url.render_as_string(hide_password=False))))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client that gets error responses instead of the server's exceptions."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
