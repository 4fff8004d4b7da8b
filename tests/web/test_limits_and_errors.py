"""Large bodies get 413, errors are problem details, and no 500 leaks a traceback."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from app.settings import Settings
from app.web.main import create_app

LIMIT = 1024


@pytest.fixture
def app(tmp_path) -> FastAPI:
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", max_request_bytes=LIMIT)
    )

    @app.post("/echo-size")
    async def echo_size(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/echo-json")
    def echo_json(payload: dict[str, str]) -> dict[str, str]:
        return payload

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals at /srv/app.py line 42")

    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // 256):
        yield b"x" * 256


def test_bodies_within_the_limit_pass(client: TestClient):
    assert client.post("/echo-size", content=b"x" * LIMIT).json() == {"size": LIMIT}


def test_a_declared_length_over_the_limit_is_refused_up_front(client: TestClient):
    response = client.post("/echo-size", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 413


def test_a_streamed_body_over_the_limit_is_refused_while_read(client: TestClient):
    response = client.post("/echo-size", content=_chunks(4 * LIMIT))
    assert response.status_code == 413
    assert response.json()["title"] == "Request Entity Too Large"


def test_a_streamed_body_over_the_limit_is_refused_by_json_routes_too(client: TestClient):
    response = client.post(
        "/echo-json", content=_chunks(4 * LIMIT), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_paths_are_problem_details(client: TestClient):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.json() == {"type": "about:blank", "title": "Not Found", "status": 404}


def test_invalid_requests_are_problem_details(client: TestClient):
    response = client.post("/echo-json", json=["not", "an", "object"])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]


def test_an_unexpected_error_is_a_plain_500(client: TestClient, caplog):
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "secret internals" in caplog.text
