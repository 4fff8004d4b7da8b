"""Signing up, in and out in the browser; CSRF, session fixation, sign-in limits, security
headers, request size limits and API token scopes."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.services.accounts import ACCOUNT_LOCK_AFTER
from app.settings import Settings
from app.web.main import create_app
from tests.accounts import COOKIE, PASSWORD


def csrf_of(page_text: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page_text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def sign_up(browser: TestClient, email: str, password: str = PASSWORD, next: str = "/"):
    csrf = csrf_of(browser.get("/signup").text)
    form = {"email": email, "password": password, "name": "", "next": next, "csrf_token": csrf}
    return browser.post("/signup", data=form, follow_redirects=False)


def sign_in(browser: TestClient, email: str, password: str = PASSWORD, next: str = "/"):
    csrf = csrf_of(browser.get("/signin").text)
    form = {"email": email, "password": password, "next": next, "csrf_token": csrf}
    return browser.post("/signin", data=form, follow_redirects=False)


def test_sign_up_in_and_out(anonymous: TestClient) -> None:
    assert anonymous.get("/", follow_redirects=False).headers["location"] == "/signin?next=/"
    made = sign_up(anonymous, "ana@example.com")
    assert (made.status_code, made.headers["location"]) == (303, "/")
    assert "ana" in anonymous.get("/").text
    signed_out = anonymous.post("/signout", data={"csrf_token": csrf_of(anonymous.get("/").text)})
    assert signed_out.url.path == "/signin"
    assert anonymous.get("/", follow_redirects=False).status_code == 303
    wrong = sign_in(anonymous, "ana@example.com", "not the password")
    assert wrong.status_code == 401 and "do not match" in wrong.text
    assert 'value="ana@example.com"' in wrong.text, "the email typed stays in the form"
    again = sign_in(anonymous, "ana@example.com", next="/account")
    assert again.headers["location"] == "/account"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_sign_in_never_sends_people_elsewhere(anonymous: TestClient, target: str) -> None:
    sign_up(anonymous, "ana@example.com")
    anonymous.cookies.clear()
    answer = sign_in(anonymous, "ana@example.com", next=target)
    assert answer.headers["location"] == "/"


def test_a_session_cookie_planted_before_sign_in_is_worth_nothing_after(
    app: FastAPI, anonymous: TestClient
) -> None:
    anonymous.get("/signin")
    planted = anonymous.cookies[COOKIE]
    sign_up(anonymous, "ana@example.com")
    signed_in = anonymous.cookies[COOKIE]
    assert signed_in != planted
    with TestClient(app, raise_server_exceptions=False, cookies={COOKIE: planted}) as attacker:
        assert attacker.get("/", follow_redirects=False).status_code == 303
    # The old session's CSRF token does not carry over either.
    old_csrf = csrf_of(TestClient(app, cookies={COOKIE: planted}).get("/signin").text)
    new_csrf = csrf_of(anonymous.get("/account").text)
    assert old_csrf != new_csrf


def test_state_changing_requests_need_the_csrf_token(
    client: TestClient, starter_design: str, csrf_token: str
) -> None:
    path = f"/designs/{starter_design}/rename"
    assert client.post(path, data={"name": "No token"}).status_code == 403
    assert client.post(path, data={"name": "Wrong", "csrf_token": "0" * 32}).status_code == 403
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_token}
    assert client.post(path, data={"name": "Right"}, headers=headers).status_code == 200
    # The JSON API with the session cookie (no token) needs it too; a bearer token does not.
    api = f"/api/designs/{starter_design}"
    cookie_only = {"Authorization": ""}
    refused = client.patch(api, json={"name": "Cookie"}, headers=cookie_only)
    assert refused.status_code in {401, 403}
    assert client.patch(api, json={"name": "Token"}).status_code == 200


def test_sign_in_is_limited_per_account_and_per_address(anonymous: TestClient) -> None:
    sign_up(anonymous, "ana@example.com")
    anonymous.cookies.clear()
    for _ in range(ACCOUNT_LOCK_AFTER):
        assert sign_in(anonymous, "ana@example.com", "guess guess").status_code == 401
    locked = sign_in(anonymous, "ana@example.com")
    assert locked.status_code == 429 and "locked" in locked.text
    for n in range(20):
        sign_in(anonymous, f"someone{n}@example.com", "guess guess")
    assert sign_in(anonymous, "bo@example.com", "guess guess").status_code == 429


def test_every_answer_carries_the_security_headers(
    app: FastAPI, client: TestClient, anonymous: TestClient, starter_design: str
) -> None:
    for answer in (
        anonymous.get("/signin"),
        client.get(f"/designs/{starter_design}"),
        client.get("/api/designs"),
        anonymous.get("/api/designs"),
        client.get("/docs"),
    ):
        policy = answer.headers["content-security-policy"]
        assert (
            "script-src 'self'" in policy
            and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
    page = client.get(f"/designs/{starter_design}").text
    assert not re.search(r"<script(?![^>]*\ssrc=)", page), "no inline scripts"
    with TestClient(app) as fresh:
        cookie = fresh.get("/signin").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie


def test_production_cookies_are_secure_and_https_is_required(engine) -> None:
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        environment="production",
        secret_key="a production secret of enough length",
    )
    with TestClient(create_app(settings), base_url="https://studio.example") as browser:
        answer = browser.get("/signin")
    assert "; secure" in answer.headers["set-cookie"].lower()
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_large_requests_are_refused_before_they_are_read(
    client: TestClient, starter_design: str, csrf_token: str
) -> None:
    body = "x" * (3 * 1024 * 1024)
    answer = client.post(
        f"/designs/{starter_design}/comments",
        data={"body": body},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_token},
    )
    assert answer.status_code == 413
    assert client.get(f"/api/designs/{starter_design}/comments").json() == []


def test_api_tokens_carry_their_scope(
    app: FastAPI, client: TestClient, owner, starter_design: str
) -> None:
    _info, read = app.state.accounts.create_token(owner.id, "dashboards", "read")
    as_reader = {"Authorization": f"Bearer {read}"}
    assert client.get(f"/api/designs/{starter_design}", headers=as_reader).status_code == 200
    refused = client.patch(f"/api/designs/{starter_design}", json={"name": "x"}, headers=as_reader)
    assert refused.status_code == 403 and "read" in refused.json()["detail"]
    info, write = app.state.accounts.create_token(owner.id, "CI", "write")
    as_writer = {"Authorization": f"Bearer {write}"}
    assert (
        client.patch(
            f"/api/designs/{starter_design}", json={"name": "By CI"}, headers=as_writer
        ).status_code
        == 200
    )
    app.state.accounts.revoke_token(owner.id, info.id)
    gone = client.get(f"/api/designs/{starter_design}", headers=as_writer)
    assert gone.status_code == 401 and gone.headers["www-authenticate"] == "Bearer"
    bogus = client.get("/api/designs", headers={"Authorization": "Bearer sdt_nothing"})
    assert bogus.status_code == 401


def test_the_account_page_shows_a_new_token_once(client: TestClient, csrf_token: str) -> None:
    made = client.post(
        "/account/tokens", data={"name": "CI", "scope": "write", "csrf_token": csrf_token}
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    secret = re.search(r"sdt_[A-Za-z0-9_-]+", made.text)
    assert secret
    later = client.get("/account").text
    assert secret.group(0) not in later and "CI" in later
    answer = client.get("/api/designs", headers={"Authorization": f"Bearer {secret.group(0)}"})
    assert answer.status_code == 200


def test_closed_sign_up_makes_only_the_first_account(engine) -> None:
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False), open_signup=False
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as browser:
        assert sign_up(browser, "admin@example.com").status_code == 303
        browser.cookies.clear()
        assert "Ask an administrator" in browser.get("/signin").text
        assert browser.get("/signup").status_code == 403
        refused = sign_up_form_post(browser, "late@example.com")
        assert refused.status_code == 403 and "stormdraft user create" in refused.text


def sign_up_form_post(browser: TestClient, email: str):
    csrf = csrf_of(browser.get("/signin").text)
    form = {"email": email, "password": PASSWORD, "csrf_token": csrf}
    return browser.post("/signup", data=form, follow_redirects=False)
