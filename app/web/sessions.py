"""Participants: a signed session cookie with a display name, and the CSRF token it implies.

Every visitor gets a session on first contact (an ASGI middleware sets the cookie); a state-
changing request must carry the session's CSRF token in the `X-CSRF-Token` header (htmx sends
it from `hx-headers` on the body) or in a `csrf_token` form field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "stormdraft_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
MAX_NAME = 40
MAX_GRANTS = 20
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Participant:
    """Someone at the board: a session id, the display name they chose, the signed-in session
    (if any) and the share links they joined by (ids; each is checked on every request)."""

    session_id: str
    name: str
    csrf_token: str
    user_token: str | None = None
    grants: tuple[str, ...] = ()


def clean_name(name: str) -> str:
    """A display name: printable, single-spaced, at most 40 characters."""
    printable = "".join(ch for ch in name if ch.isprintable())
    return " ".join(printable.split())[:MAX_NAME]


class SessionCookies:
    """Signs and reads session cookies with the studio's secret key."""

    def __init__(self, secret: str, secure: bool = False) -> None:
        self.secure = secure
        self._key = hashlib.sha256(("stormdraft-session:" + secret).encode()).digest()

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()[:32]

    def participant(
        self,
        session_id: str,
        name: str,
        user_token: str | None = None,
        grants: tuple[str, ...] = (),
    ) -> Participant:
        token = self._sign("csrf:" + session_id)
        return Participant(session_id, name, token, user_token, grants)

    def encode(self, participant: Participant) -> str:
        data: dict[str, object] = {"s": participant.session_id, "n": participant.name}
        if participant.user_token:
            data["u"] = participant.user_token
        if participant.grants:
            data["g"] = list(participant.grants[-MAX_GRANTS:])
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._sign(payload)}"

    def decode(self, value: str) -> Participant | None:
        payload, _, signature = value.partition(".")
        if not payload or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            session_id, name = str(data["s"]), clean_name(str(data["n"]))
            user_token = str(data["u"]) if data.get("u") else None
            grants = tuple(str(g) for g in data.get("g", ()))[-MAX_GRANTS:]
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return self.participant(session_id, name or "Guest", user_token, grants)

    def fresh(self, name: str = "") -> Participant:
        """A new session (a new id, so a new CSRF token): on first contact, and whenever who
        someone is changes (sign-in, sign-out), so a planted cookie is worth nothing."""
        name = name or f"Guest {secrets.randbelow(900) + 100}"
        return self.participant(secrets.token_hex(12), name)

    def header(self, participant: Participant) -> str:
        """The Set-Cookie value carrying this participant."""
        secure = "; Secure" if self.secure else ""
        return (
            f"{COOKIE}={self.encode(participant)}; Path=/; HttpOnly; "
            f"SameSite=Lax; Max-Age=31536000{secure}"
        )


class SessionMiddleware:
    """Reads the session cookie into `scope["state"]["participant"]`, issuing one if needed."""

    def __init__(self, app: ASGIApp, secret: str, secure: bool = False) -> None:
        self.app = app
        self.cookies = SessionCookies(secret, secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        participant = None
        for name, value in scope["headers"]:
            if name == b"cookie":
                jar: SimpleCookie = SimpleCookie()
                try:
                    jar.load(value.decode("latin-1"))
                except ValueError:  # http.cookies.CookieError is a ValueError
                    continue
                if COOKIE in jar:
                    participant = self.cookies.decode(jar[COOKIE].value)
        issue = participant is None
        participant = participant or self.cookies.fresh()
        scope.setdefault("state", {})["participant"] = participant
        scope["state"]["session_cookies"] = self.cookies
        if not issue:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", self.cookies.header(participant).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def set_participant(request: Request, response: Response, participant: Participant) -> None:
    """Make `participant` this browser's session from this response on."""
    cookies: SessionCookies = request.state.session_cookies
    response.headers.append("set-cookie", cookies.header(participant))
    request.state.participant = participant


def get_participant(request: Request) -> Participant:
    """The participant making this request."""
    participant: Participant = request.state.participant
    return participant


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing request without the session's CSRF token (403)."""
    if request.method in SAFE_METHODS:
        return
    expected = get_participant(request).csrf_token
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if sent is None or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            403, "This form has expired or came from another site: reload the page and try again."
        )


ParticipantDep = Annotated[Participant, Depends(get_participant)]
CsrfDep = Depends(require_csrf)
