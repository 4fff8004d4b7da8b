"""Web fixtures: the studio app on a migrated database, and a test client for it."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.services.accounts import User
from app.settings import Settings
from app.store.db import Engine
from app.web.main import create_app
from tests.accounts import COOKIE, joined, signed_in_cookie


@pytest.fixture
def app(engine: Engine) -> FastAPI:
    """The studio on a migrated database (`engine` makes sure of the migrations)."""
    return create_app(Settings(database_url=str(engine.url.render_as_string(hide_password=False))))


@pytest.fixture
def owner_session(app: FastAPI) -> tuple[User, str]:
    """The owner's account (owner@example.com) and a session cookie that signs them in."""
    return signed_in_cookie(app.state.engine, "owner@example.com", "Owner")


@pytest.fixture
def owner(owner_session: tuple[User, str]) -> User:
    """The account `client` is signed in as: the owner of the designs tests make."""
    return owner_session[0]


@pytest.fixture
def client(app: FastAPI, owner_session: tuple[User, str]) -> Iterator[TestClient]:
    """A client signed in as the owner; the JSON API it calls with the owner's write token.
    It gets error responses instead of the server's exceptions."""
    user, cookie = owner_session
    _info, token = app.state.accounts.create_token(user.id, "tests", "write")

    def token_for_api(request: httpx.Request) -> None:
        # Scripts call the JSON API with a token; the pages use the session cookie.
        if request.url.path.startswith("/api/") and "authorization" not in request.headers:
            request.headers["Authorization"] = f"Bearer {token}"

    with TestClient(app, raise_server_exceptions=False, cookies={COOKIE: cookie}) as client:
        client.event_hooks["request"].append(token_for_api)
        yield client


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    """A client nobody signed in on."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


# ---------------------------------------------------------------------------------------------
# The studio: a client that carries its session's CSRF token, and designs to edit.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def csrf_token(client: TestClient) -> str:
    """The CSRF token of the client's session (it sends it on htmx-style requests below)."""
    import re

    page = client.get("/")
    found = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page.text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


@pytest.fixture
def htmx(csrf_token: str) -> dict[str, str]:
    """Headers htmx sends on a state-changing request from the board."""
    return {"HX-Request": "true", "X-CSRF-Token": csrf_token}


@pytest.fixture
def starter_design(client: TestClient, htmx: dict[str, str]) -> str:
    """A design made from the order-processing starter through the designs page; its id."""
    response = client.post(
        "/designs/new", data={"starter": "order-processing"}, headers=htmx, follow_redirects=False
    )
    assert response.status_code == 303
    return response.headers["location"].rsplit("/", 1)[1]


@pytest.fixture
def viewer(app: FastAPI, starter_design: str) -> Iterator[TestClient]:
    """A browser without an account that joined `starter_design` by a viewer link, as
    "Stakeholder"; it sends its CSRF token on every request."""
    with joined(app, starter_design, "viewer", "Stakeholder") as browser:
        yield browser


@pytest.fixture
def editor(app: FastAPI, starter_design: str) -> Iterator[TestClient]:
    """A browser without an account that joined `starter_design` by an editor link, as "Ana"."""
    with joined(app, starter_design, "editor", "Ana") as browser:
        yield browser
