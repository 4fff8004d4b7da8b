"""Test helpers for accounts: make a user and a signed-in session cookie without the forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.services.accounts import Accounts, User
from app.settings import Settings
from app.store.db import Engine
from app.web.sessions import COOKIE, SessionCookies

PASSWORD = "correct horse battery"


def signed_in_cookie(
    engine: Engine, email: str, name: str = "", settings: Settings | None = None
) -> tuple[User, str]:
    """A user with this email (made if new) and a session cookie value that signs them in."""
    accounts = Accounts(engine)
    if not any(u.email == email for u in accounts.users()):
        accounts.create_user(email, PASSWORD, name)
    user, token = accounts.sign_in(email, PASSWORD, "test")
    cookies = SessionCookies((settings or Settings()).secret_key.get_secret_value())
    participant = cookies.fresh(user.display_name)
    participant = cookies.participant(participant.session_id, participant.name, token)
    return user, cookies.encode(participant)


def join(browser: TestClient, token: str, name: str) -> str:
    """Join a design by a share link's token under `name`, as a browser without an account
    does; the browser then sends its CSRF token on every request. Answers where it landed."""
    page = browser.get(f"/join/{token}")
    assert page.status_code == 200, page.text
    csrf = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page.text)
    assert csrf, "the join page carries no CSRF token"
    browser.headers["X-CSRF-Token"] = csrf.group(1)
    landed = browser.post(f"/join/{token}", data={"name": name}, follow_redirects=False)
    assert landed.status_code == 303, landed.text
    return landed.headers["location"]


@contextmanager
def joined(app: FastAPI, design_id: str, role: str, name: str = "Guest") -> Iterator[TestClient]:
    """A browser without an account that joined the design by a new share link of `role`."""
    _link, token = app.state.accounts.create_link(design_id, role)
    with TestClient(app, raise_server_exceptions=False) as browser:
        browser.headers["X-Landed"] = join(browser, token, name)
        yield browser


__all__ = ["COOKIE", "PASSWORD", "join", "joined", "signed_in_cookie"]
