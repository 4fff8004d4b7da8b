"""The home page lists designs, shows an empty state, and serves its list as an htmx fragment."""

from fastapi.testclient import TestClient

from app.services.accounts import User
from app.settings import Settings
from app.store import designs
from app.store.db import Engine, session_scope
from app.web.main import create_app


def _save(engine: Engine, owner: User, *names: str) -> None:
    with session_scope(engine) as session:
        for name in names:
            designs.create_design(session, name=name, storm_yaml="", actor="Ada", owner_id=owner.id)


def test_home_shows_the_empty_state_without_designs(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200
    assert "No designs yet" in response.text
    assert "no tables yet" not in response.text


def test_home_lists_saved_designs(client: TestClient, engine: Engine, owner: User):
    _save(engine, owner, "Orders", "Payments")
    response = client.get("/")
    assert "No designs yet" not in response.text
    assert "Orders" in response.text and "Payments" in response.text


def test_home_escapes_design_names(client: TestClient, engine: Engine, owner: User):
    _save(engine, owner, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in client.get("/").text


def test_search_answers_htmx_with_the_list_fragment_only(
    client: TestClient, engine: Engine, owner: User
):
    _save(engine, owner, "Orders", "Payments")
    response = client.get("/?q=pay", headers={"HX-Request": "true", "HX-Target": "design-list"})
    assert response.text.lstrip().startswith('<section id="design-list"')
    assert "Payments" in response.text and "Orders" not in response.text
    assert "<html" not in response.text


def test_home_answers_before_the_database_has_tables(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(app) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert "No designs yet" in response.text and "alembic upgrade head" in response.text


def test_pages_load_htmx_from_our_own_static_files(client: TestClient):
    html = client.get("/").text
    assert '<script src="/static/vendor/htmx.min.js"' in html
    assert "https://" not in html


def test_health_reports_the_database(client: TestClient):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_lists_only_the_signed_in_users_designs(
    client: TestClient, engine: Engine, owner: User, app
):
    other = app.state.accounts.create_user("other@example.com", "another long password")
    _save(engine, owner, "Mine")
    _save(engine, other, "Theirs")
    page = client.get("/").text
    assert "Mine" in page and "Theirs" not in page


def test_home_sends_nobody_to_sign_in(anonymous: TestClient):
    response = anonymous.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/"
