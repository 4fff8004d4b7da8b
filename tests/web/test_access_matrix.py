"""Every route × every role: who may call what, and a viewer changes nothing.

The table below classifies every route the studio serves; a route missing from it fails the
test, so a new route must say who may call it. Each route is called on a fresh design by its
owner, an editor link, a viewer link, another signed-in user and someone anonymous:

- refused for want of a role: 403 for link guests, 404 for other users (the design stays
  hidden), sign-in (401, or 303 to /signin) for anonymous callers and link guests on account
  pages;
- allowed: anything else but a server error (a 404 or 422 about a made-up element or body is
  fine; what matters is that access let the call through).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.services.accounts import User
from tests.accounts import COOKIE, join, signed_in_cookie

PUBLIC, ACCOUNT, VIEWER, EDITOR, OWNER = "public", "account", "viewer", "editor", "owner"
RANK = {VIEWER: 1, EDITOR: 2, OWNER: 3}

WHO_MAY = {
    # Anyone: signing in and up, joining by a link, health and the studio's API docs.
    "GET /signin": PUBLIC,
    "GET /signup": PUBLIC,
    "POST /signin": PUBLIC,
    "POST /signup": PUBLIC,
    "POST /signout": PUBLIC,
    "POST /session/name": PUBLIC,
    "GET /join/{token}": PUBLIC,
    "POST /join/{token}": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /openapi.json": PUBLIC,
    # Signed-in users: their designs, new designs, their account.
    "GET /": ACCOUNT,
    "POST /designs/new": ACCOUNT,
    "POST /designs/import": ACCOUNT,
    "GET /account": ACCOUNT,
    "POST /account/tokens": ACCOUNT,
    "POST /account/tokens/{token_id}/revoke": ACCOUNT,
    "GET /api/designs": ACCOUNT,
    "POST /api/designs": ACCOUNT,
    # Reading a design, and commenting on it: every role.
    "GET /designs/{design_id}": VIEWER,
    "GET /designs/{design_id}/lanes": VIEWER,
    "GET /designs/{design_id}/elements/{element_id}": VIEWER,
    "GET /designs/{design_id}/text": VIEWER,
    "GET /designs/{design_id}/storm.yaml": VIEWER,
    "GET /designs/{design_id}/problems": VIEWER,
    "GET /designs/{design_id}/presence": VIEWER,
    "GET /designs/{design_id}/history": VIEWER,
    "GET /designs/{design_id}/previews/{slug}": VIEWER,
    "GET /designs/{design_id}/table-proof": VIEWER,
    "GET /designs/{design_id}/artifacts/{path:path}": VIEWER,
    "GET /designs/{design_id}/export.zip": VIEWER,
    "GET /designs/{design_id}/repository": VIEWER,
    "GET /designs/{design_id}/repository.zip": VIEWER,
    "GET /designs/{design_id}/diagrams/{name}.{fmt}": VIEWER,
    "GET /designs/{design_id}/workflows/{workflow}/dry-run": VIEWER,
    "GET /designs/{design_id}/openapi.json": VIEWER,
    "GET /designs/{design_id}/api-docs": VIEWER,
    "GET /designs/{design_id}/events": VIEWER,
    "GET /designs/{design_id}/versions": VIEWER,
    "GET /designs/{design_id}/versions/{number}/storm.yaml": VIEWER,
    "GET /designs/{design_id}/versions/diff": VIEWER,
    "GET /designs/{design_id}/overview": VIEWER,
    "GET /designs/{design_id}/what-if": VIEWER,
    "GET /api/designs/{design_id}/what-if": VIEWER,
    "GET /designs/{design_id}/comments": VIEWER,
    "POST /designs/{design_id}/comments": VIEWER,
    "GET /api/designs/{design_id}": VIEWER,
    "GET /api/designs/{design_id}/storm": VIEWER,
    "GET /api/designs/{design_id}/elements": VIEWER,
    "GET /api/designs/{design_id}/elements/{element_id}": VIEWER,
    "GET /api/designs/{design_id}/changes": VIEWER,
    "GET /api/designs/{design_id}/problems": VIEWER,
    "GET /api/designs/{design_id}/artifacts": VIEWER,
    "GET /api/designs/{design_id}/artifacts/{path:path}": VIEWER,
    "GET /api/designs/{design_id}/versions": VIEWER,
    "GET /api/designs/{design_id}/versions/diff": VIEWER,
    "GET /api/designs/{design_id}/comments": VIEWER,
    "POST /api/designs/{design_id}/comments": VIEWER,
    # Changing a design: editors and the owner.
    "POST /designs/{design_id}/rename": EDITOR,
    "POST /designs/{design_id}/elements": EDITOR,
    "POST /designs/{design_id}/lanes": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/fields": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/fields/remove": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/workload": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/pattern": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/steps": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/steps/edit": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/steps/move": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/steps/remove": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/workflow-type": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/links": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/links/remove": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/move": EDITOR,
    "POST /designs/{design_id}/elements/{element_id}/delete": EDITOR,
    "POST /designs/{design_id}/changes/{revision}/undo": EDITOR,
    "POST /designs/{design_id}/text": EDITOR,
    "POST /designs/{design_id}/review/accept": EDITOR,
    "POST /designs/{design_id}/versions": EDITOR,
    "POST /designs/{design_id}/versions/{number}/restore": EDITOR,
    "POST /designs/{design_id}/comments/{comment_id}/resolve": EDITOR,
    "PATCH /api/designs/{design_id}": EDITOR,
    "PUT /api/designs/{design_id}/storm": EDITOR,
    "POST /api/designs/{design_id}/elements": EDITOR,
    "POST /api/designs/{design_id}/lanes": EDITOR,
    "PATCH /api/designs/{design_id}/elements/{element_id}": EDITOR,
    "DELETE /api/designs/{design_id}/elements/{element_id}": EDITOR,
    "POST /api/designs/{design_id}/elements/{element_id}/move": EDITOR,
    "POST /api/designs/{design_id}/changes/{revision}/undo": EDITOR,
    "POST /api/designs/{design_id}/versions": EDITOR,
    "POST /api/designs/{design_id}/versions/{number}/restore": EDITOR,
    "POST /api/designs/{design_id}/comments/{comment_id}/resolve": EDITOR,
    # The design itself and who it is shared with: the owner alone.
    "POST /designs/{design_id}/duplicate": OWNER,
    "POST /designs/{design_id}/delete": OWNER,
    "POST /designs/{design_id}/restore": OWNER,
    "GET /designs/{design_id}/share": OWNER,
    "POST /designs/{design_id}/share": OWNER,
    "POST /designs/{design_id}/share/{link_id}/revoke": OWNER,
    "DELETE /api/designs/{design_id}": OWNER,
    "POST /api/designs/{design_id}/restore": OWNER,
    "POST /api/designs/{design_id}/duplicate": OWNER,
    "GET /api/designs/{design_id}/links": OWNER,
    "POST /api/designs/{design_id}/links": OWNER,
    "DELETE /api/designs/{design_id}/links/{link_id}": OWNER,
}
ROLES = ("anonymous", "other user", "viewer link", "editor link", "owner")


def served_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app serves, through included routers."""

    def walk(routes: list, prefix: str = "") -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                inner = prefix + route.include_context.prefix
                yield from walk(route.original_router.routes, inner)
            elif getattr(route, "methods", None):
                for method in sorted(route.methods - {"HEAD"}):
                    yield method, prefix + route.path

    yield from walk(app.routes)


@dataclass
class Design:
    """A fresh design with one of everything a route can name."""

    id: str
    element: str
    workflow: str
    link: str
    comment: int
    token: str

    def path(self, template: str, owner_token_id: str) -> str:
        values = {
            "{design_id}": self.id,
            "{element_id}": self.element,
            "{link_id}": self.link,
            "{comment_id}": str(self.comment),
            "{number}": "1",
            "{revision}": "1",
            "{token_id}": owner_token_id,
            "{token}": self.token,
            "{slug}": "diagrams",
            "{path:path}": "openapi.yaml",
            "{name}.{fmt}": "event-flow.svg",
            "{workflow}": self.workflow,
        }
        for name, value in values.items():
            template = template.replace(name, value)
        return template


def fresh_design(app: FastAPI, owner: User) -> Design:
    studio, accounts = app.state.studio, app.state.accounts
    made = studio.create_from_starter("order-processing", "Matrix", "Owner", owner.id)
    data = studio.document(made.id).data
    context = data["contexts"][0]
    workflow = next(c["workflows"][0] for c in data["contexts"] if c.get("workflows"))
    from app.services.comments import Comments
    from app.services.versions import Versions

    Versions(studio).save_version(made.id, "First", "Owner")
    comment = Comments(studio).add(made.id, "Owner", "A first comment")
    link, _ = accounts.create_link(made.id, "viewer")
    _spare, token = accounts.create_link(made.id, "viewer")
    return Design(made.id, context["events"][0]["id"], workflow["id"], link.id, comment.id, token)


def state_of(app: FastAPI, design_id: str) -> tuple:
    """What a refused caller must leave as it was."""
    from app.services.comments import Comments
    from app.services.versions import Versions

    studio = app.state.studio
    summary = studio.summary(design_id, include_deleted=True)
    return (
        summary.revision,
        summary.deleted,
        len(Versions(studio).list_versions(design_id)),
        [(link.id, link.revoked) for link in app.state.accounts.links(design_id)],
        [(t.comment.id, t.resolved) for t in Comments(studio).threads(design_id)],
    )


def call(browser: TestClient, method: str, path: str) -> httpx.Response:
    if path.endswith("/events"):
        return browser.portal.call(stream_start, browser, path)  # type: ignore[union-attr]
    if path.startswith("/api/") and method != "GET":
        return browser.request(method, path, json={}, follow_redirects=False)
    return browser.request(method, path, data={}, follow_redirects=False)


async def stream_start(browser: TestClient, path: str) -> httpx.Response:
    """How a live stream begins (an allowed one never ends, so the test client cannot wait
    for it): its status and headers, then the call is dropped."""
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"watch=0",
        "headers": [(b"host", b"testserver"), (b"accept", b"text/event-stream")]
        + ([(b"cookie", cookie.encode())] if cookie else []),
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    started: dict[str, object] = {}
    body = b""

    async def receive() -> dict[str, object]:
        if "sent" not in started:
            started["sent"] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()
        return {"type": "http.disconnect"}

    async with anyio.create_task_group() as group:

        async def send(message: dict) -> None:
            nonlocal body
            if message["type"] == "http.response.start":
                started["status"] = message["status"]
                started["headers"] = [(k.decode(), v.decode()) for k, v in message["headers"]]
            elif message["type"] == "http.response.body":
                body += message.get("body", b"")
                if body or not message.get("more_body"):
                    group.cancel_scope.cancel()

        group.start_soon(browser.app, scope, receive, send)
    return httpx.Response(
        int(started["status"]),  # type: ignore[call-overload]
        headers=started["headers"],  # type: ignore[arg-type]
        content=body,
    )


def refused_for_want_of(role: str, answer: httpx.Response) -> bool:
    status, where = answer.status_code, answer.headers.get("location", "")
    signing_in = status == 401 or (status == 303 and where.startswith("/signin"))
    if signing_in and (role == "anonymous" or role.endswith("link")):
        return True
    if role == "other user" and status == 404 and "no such design" in answer.text:
        return True
    return status == 403 and "CSRF" not in answer.text


def expected_refusal(level: str, role: str) -> bool:
    if level == PUBLIC:
        return False
    if level == ACCOUNT:
        return role not in ("owner", "other user")
    if role in ("anonymous", "other user"):
        return True
    held = {"viewer link": VIEWER, "editor link": EDITOR, "owner": OWNER}[role]
    return RANK[held] < RANK[level]


@pytest.fixture
def callers(app: FastAPI, owner: User, owner_session) -> Iterator[dict[str, TestClient]]:
    """A browser per role; all carry their CSRF token, the owner and the other user an API
    token too (the API's callers use tokens; link guests their joined session)."""
    _other, other_cookie = signed_in_cookie(app.state.engine, "other@example.com", "Other")
    with ExitStack() as stack:
        made = {}
        for role, cookie in (
            ("anonymous", None),
            ("other user", other_cookie),
            ("viewer link", None),
            ("editor link", None),
            ("owner", owner_session[1]),
        ):
            cookies = {COOKIE: cookie} if cookie else None
            browser = TestClient(app, raise_server_exceptions=False, cookies=cookies)
            stack.enter_context(browser)
            page = browser.get("/signin" if cookie is None else "/account").text
            browser.headers["X-CSRF-Token"] = page.split('name="csrf_token" value="')[1][:32]
            made[role] = browser
        yield made


def test_every_route_and_role(app: FastAPI, owner: User, callers: dict[str, TestClient]) -> None:
    served = {f"{m} {p}" for m, p in served_routes(app)}
    assert served - WHO_MAY.keys() == set(), "classify these new routes"
    assert WHO_MAY.keys() - served == set(), "these routes are gone"

    token_id = app.state.accounts.create_token(owner.id, "matrix", "write")[0].id
    wrong: list[str] = []
    # Signing out comes last: it ends the sessions the other rows need.
    for route, level in sorted(WHO_MAY.items(), key=lambda row: (row[0] == "POST /signout", row)):
        method, template = route.split(" ", 1)
        design = fresh_design(app, owner)
        for link_role in ("viewer", "editor"):
            _link, token = app.state.accounts.create_link(design.id, link_role)
            join(callers[f"{link_role} link"], token, link_role.title())
        path = design.path(template, token_id)
        for role in ROLES:
            before = state_of(app, design.id)
            answer = call(callers[role], method, path)
            # Public routes answer everyone (signing out sends anyone on to /signin).
            refused = level != PUBLIC and refused_for_want_of(role, answer)
            if answer.status_code >= 500 or refused != expected_refusal(level, role):
                wrong.append(f"{route} as {role}: {answer.status_code} {answer.text[:120]!r}")
            if refused and state_of(app, design.id) != before:
                wrong.append(f"{route} as {role}: refused, yet the design changed")
    assert wrong == [], "\n".join(wrong)
