"""Local accounts: sign-up, sign-in with brute-force limits, sessions, API tokens, share links.

Passwords are hashed with Argon2id (argon2-cffi's defaults, re-hashed when those change). Every
secret handed out (session, API token, share link) is random and stored only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.store import accounts as stored
from app.store.db import Engine, session_scope
from app.store.designs import adopt_ownerless
from app.store.tables import ApiTokenRecord, ShareLinkRecord, UserRecord, UserSessionRecord

Scope = Literal["read", "write"]
LinkRole = Literal["editor", "viewer"]

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SESSION_LIFETIME = timedelta(days=14)
ACCOUNT_LOCK_AFTER = 5
ACCOUNT_LOCK_FOR = timedelta(minutes=15)
ADDRESS_LIMIT = 20
ADDRESS_WINDOW_S = 15 * 60.0
API_TOKEN_PREFIX = "sdt_"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
# Verifying against this when the email is unknown keeps sign-in time the same either way.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about accounts that cannot be granted; the message says why, for the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class User:
    """A signed-in user as the studio sees them."""

    id: str
    email: str
    display_name: str
    is_admin: bool


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    scope: Scope
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class LinkInfo:
    id: str
    design_id: str
    role: LinkRole
    created_at: datetime
    revoked: bool


def digest(secret: str) -> str:
    """The SHA-256 a secret is stored and looked up by."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password(password: str) -> None:
    """Refuse a password too short or too long to be a good one."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"A password can have at most {MAX_PASSWORD} characters.")


def _user(record: UserRecord) -> User:
    return User(record.id, record.email, record.display_name, record.is_admin)


def _token(record: ApiTokenRecord) -> TokenInfo:
    scope: Scope = "write" if record.scope == "write" else "read"
    return TokenInfo(
        record.id,
        record.name,
        scope,
        record.created_at,
        record.last_used_at,
        record.revoked_at is not None,
    )


def _link(record: ShareLinkRecord) -> LinkInfo:
    role: LinkRole = "editor" if record.role == "editor" else "viewer"
    return LinkInfo(
        record.id, record.design_id, role, record.created_at, record.revoked_at is not None
    )


class AddressLimiter:
    """Failed sign-ins per client address in a sliding window (per process)."""

    def __init__(self, limit: int = ADDRESS_LIMIT, window_s: float = ADDRESS_WINDOW_S) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(address, deque())
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address, time.monotonic())) >= self.limit

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address, time.monotonic()).append(time.monotonic())


class Accounts:
    """Users, sessions, tokens and share links on one database."""

    def __init__(self, engine: Engine, now: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self.now = now or (lambda: datetime.now(UTC))
        self.addresses = AddressLimiter()

    # -- users ---------------------------------------------------------------------------------

    def create_user(
        self, email: str, password: str, display_name: str = "", *, admin: bool = False
    ) -> User:
        """A new account; the first one is an administrator and adopts designs without owner."""
        email = normalize_email(email)
        if not EMAIL.match(email) or len(email) > 254:
            raise AccountError("Enter an email address such as ana@example.com.")
        check_password(password)
        display_name = " ".join(display_name.split())[:80] or email.split("@")[0][:80]
        with session_scope(self.engine) as session:
            if stored.user_by_email(session, email) is not None:
                raise AccountError("An account with this email exists: sign in instead.", 409)
            first = stored.count_users(session) == 0
            record = stored.add_user(
                session,
                UserRecord(
                    id=uuid.uuid4().hex,
                    email=email,
                    display_name=display_name,
                    password_hash=_hasher.hash(password),
                    is_admin=admin or first,
                    created_at=self.now(),
                ),
            )
            if first:
                adopt_ownerless(session, record.id)
            return _user(record)

    def reset_password(self, email: str, password: str) -> User:
        """Set a new password, unlock the account and end its sessions."""
        check_password(password)
        with session_scope(self.engine) as session:
            record = stored.user_by_email(session, normalize_email(email))
            if record is None:
                raise AccountError(f"No account has the email {email!r}.", 404)
            record.password_hash = _hasher.hash(password)
            record.failed_sign_ins = 0
            record.locked_until = None
            stored.end_sessions_of(session, record.id)
            return _user(record)

    def has_users(self) -> bool:
        with session_scope(self.engine) as session:
            return stored.count_users(session) > 0

    def users(self) -> list[User]:
        with session_scope(self.engine) as session:
            return [_user(r) for r in stored.list_users(session)]

    # -- signing in and out --------------------------------------------------------------------

    def sign_in(self, email: str, password: str, address: str) -> tuple[User, str]:
        """The user and a new session token, or AccountError (429 when over the limits)."""
        refused = AccountError("That email and password do not match an account.", 401)
        if self.addresses.blocked(address):
            raise AccountError(
                "Too many failed sign-ins from your address: wait 15 minutes and try again.", 429
            )
        now = self.now()
        with session_scope(self.engine) as session:
            record = stored.user_by_email(session, normalize_email(email))
            if record is None:
                _verify(_DUMMY_HASH, password)
                self.addresses.failed(address)
                raise refused
            if record.locked_until is not None and record.locked_until > now:
                raise AccountError(
                    "This account is locked after repeated failed sign-ins: try again later, "
                    "or ask an administrator to reset the password.",
                    429,
                )
            if not _verify(record.password_hash, password):
                record.failed_sign_ins += 1
                if record.failed_sign_ins >= ACCOUNT_LOCK_AFTER:
                    record.locked_until = now + ACCOUNT_LOCK_FOR
                    record.failed_sign_ins = 0
                self.addresses.failed(address)
                session.commit()
                raise refused
            record.failed_sign_ins = 0
            record.locked_until = None
            if _hasher.check_needs_rehash(record.password_hash):
                record.password_hash = _hasher.hash(password)
            token = secrets.token_urlsafe(32)
            stored.add_session(
                session,
                UserSessionRecord(
                    token_hash=digest(token),
                    user_id=record.id,
                    created_at=now,
                    expires_at=now + SESSION_LIFETIME,
                ),
            )
            return _user(record), token

    def user_of_session(self, token: str) -> User | None:
        with session_scope(self.engine) as session:
            record = stored.user_of_session(session, digest(token), self.now())
            return None if record is None else _user(record)

    def sign_out(self, token: str) -> None:
        with session_scope(self.engine) as session:
            stored.end_session(session, digest(token))

    # -- API tokens ----------------------------------------------------------------------------

    def create_token(self, user_id: str, name: str, scope: Scope) -> tuple[TokenInfo, str]:
        """A new token and its secret, which is shown this once and never again."""
        name = " ".join(name.split())[:100]
        if not name:
            raise AccountError("Name the token after what will use it, e.g. 'CI'.")
        if scope not in ("read", "write"):
            raise AccountError("A token's scope is 'read' or 'write'.")
        secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        with session_scope(self.engine) as session:
            record = stored.add_token(
                session,
                ApiTokenRecord(
                    id=uuid.uuid4().hex[:16],
                    user_id=user_id,
                    name=name,
                    scope=scope,
                    token_hash=digest(secret),
                    created_at=self.now(),
                ),
            )
            return _token(record), secret

    def tokens(self, user_id: str) -> list[TokenInfo]:
        with session_scope(self.engine) as session:
            return [_token(r) for r in stored.tokens_of(session, user_id)]

    def revoke_token(self, user_id: str, token_id: str) -> None:
        with session_scope(self.engine) as session:
            record = stored.get_token(session, token_id)
            if record is None or record.user_id != user_id:
                raise AccountError("No such token.", 404)
            record.revoked_at = record.revoked_at or self.now()

    def user_of_token(self, secret: str) -> tuple[User, Scope] | None:
        """The user and scope a live API token grants, or None."""
        if not secret.startswith(API_TOKEN_PREFIX):
            return None
        with session_scope(self.engine) as session:
            record = stored.token_by_hash(session, digest(secret))
            if record is None:
                return None
            user = stored.get_user(session, record.user_id)
            if user is None:
                return None
            record.last_used_at = self.now()
            return _user(user), _token(record).scope

    # -- share links ---------------------------------------------------------------------------

    def create_link(self, design_id: str, role: LinkRole) -> tuple[LinkInfo, str]:
        """A new editor or viewer link to a design and its secret token (for the URL)."""
        if role not in ("editor", "viewer"):
            raise AccountError("A link lets people 'edit' or 'view'.")
        token = secrets.token_urlsafe(24)
        with session_scope(self.engine) as session:
            record = stored.add_link(
                session,
                ShareLinkRecord(
                    id=uuid.uuid4().hex[:16],
                    design_id=design_id,
                    role=role,
                    token_hash=digest(token),
                    created_at=self.now(),
                ),
            )
            return _link(record), token

    def links(self, design_id: str) -> list[LinkInfo]:
        with session_scope(self.engine) as session:
            return [_link(r) for r in stored.links_of(session, design_id)]

    def revoke_link(self, design_id: str, link_id: str) -> None:
        with session_scope(self.engine) as session:
            record = stored.get_link(session, link_id)
            if record is None or record.design_id != design_id:
                raise AccountError("No such link.", 404)
            record.revoked_at = record.revoked_at or self.now()

    def redeem(self, token: str) -> LinkInfo | None:
        """The live link this token belongs to, or None."""
        with session_scope(self.engine) as session:
            record = stored.link_by_hash(session, digest(token))
            return None if record is None else _link(record)

    def live_links(self, link_ids: Sequence[str]) -> list[LinkInfo]:
        """Those of these links that are still live."""
        with session_scope(self.engine) as session:
            return [_link(r) for r in stored.live_links(session, link_ids)]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
