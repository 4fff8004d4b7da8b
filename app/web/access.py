"""Who may do what: the requester's identity, and their role on the design a route names.

Identity comes from an API token (`Authorization: Bearer sdt_…`, no cookies then) or from the
session cookie (a signed-in account, and the share links the browser joined by). A design's
owner has every right; an editor link lets people change the design; a viewer link lets them
look and comment. Links are checked on every request, so a revoked one stops working at once.

Guards answer as a user should hear it: 401 (or a redirect to sign in, for a page) when nobody
is signed in, 404 when the design is not yours to see (its existence is not revealed), 403 when
your role does not allow the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from app.services.accounts import Accounts, Scope, User
from app.store.designs import DesignNotFound
from app.web.deps import StudioDep
from app.web.sessions import SAFE_METHODS, Participant, get_participant


class Role(IntEnum):
    VIEWER = 1
    EDITOR = 2
    OWNER = 3


LINK_ROLES = {"viewer": Role.VIEWER, "editor": Role.EDITOR}


class SignInNeeded(Exception):
    """Nobody is signed in; a page sends them to sign in, the API answers 401."""

    def __init__(self, next_path: str) -> None:
        super().__init__("Sign in to continue.")
        self.next_path = next_path


@dataclass(frozen=True)
class Identity:
    participant: Participant
    user: User | None = None
    token_scope: Scope | None = None

    @property
    def actor(self) -> str:
        """The name the history and comments record."""
        return self.user.display_name if self.user else self.participant.name


@dataclass(frozen=True)
class Access:
    """The requester's role on one design."""

    design_id: str
    role: Role
    identity: Identity

    @property
    def actor(self) -> str:
        return self.identity.actor


def get_accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


def bearer_token(request: Request) -> str | None:
    """The API token a script sent, if it sent one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def get_identity(request: Request, accounts: AccountsDep) -> Identity:
    """Who is asking (memoised per request)."""
    known: Identity | None = getattr(request.state, "identity", None)
    if known is not None:
        return known
    participant = get_participant(request)
    token = bearer_token(request)
    if token is not None:
        found = accounts.user_of_token(token)
        if found is None:
            raise HTTPException(
                401, "This API token is unknown or revoked.", {"WWW-Authenticate": "Bearer"}
            )
        identity = Identity(participant, found[0], found[1])
    elif participant.user_token:
        identity = Identity(participant, accounts.user_of_session(participant.user_token))
    else:
        identity = Identity(participant)
    request.state.identity = identity
    return identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


def signed_in(request: Request, identity: IdentityDep) -> User:
    """The signed-in user (or token owner); SignInNeeded otherwise."""
    if identity.user is None:
        raise SignInNeeded(_here(request))
    _check_scope(request, identity)
    return identity.user


UserDep = Annotated[User, Depends(signed_in)]


def role_on(
    design_id: str, identity: Identity, studio: StudioDep, accounts: Accounts
) -> Role | None:
    """The requester's role on a design, or None when they have none."""
    summary = studio.summary(design_id, include_deleted=True)
    if identity.user is not None and summary.owner_id == identity.user.id:
        return Role.OWNER
    if identity.token_scope is not None:
        return None  # a token acts for its owner only
    links = accounts.live_links(identity.participant.grants)
    roles = [LINK_ROLES[link.role] for link in links if link.design_id == design_id]
    return max(roles, default=None)


def _check_scope(request: Request, identity: Identity) -> None:
    if identity.token_scope == "read" and request.method not in SAFE_METHODS:
        raise HTTPException(403, "This API token may only read: create one with write scope.")


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


def design_access(
    request: Request, identity: IdentityDep, studio: StudioDep, accounts: AccountsDep
) -> Access:
    """The requester's role on the design the path names; 401/404 when they have none."""
    design_id = str(request.path_params["design_id"])
    try:
        role = role_on(design_id, identity, studio, accounts)
    except DesignNotFound:
        role = None
    if role is None:
        if identity.user is None and identity.token_scope is None:
            if identity.participant.grants:
                raise HTTPException(
                    403,
                    "The link you joined by does not open this design, or it was revoked: "
                    "ask the design's owner for a new one.",
                )
            raise SignInNeeded(_here(request))
        raise DesignNotFound(design_id)
    _check_scope(request, identity)
    access = Access(design_id, role, identity)
    request.state.access = access
    return access


def _needing(minimum: Role, *, for_reads: Role = Role.VIEWER) -> Callable[..., Access]:
    def guard(request: Request, access: Annotated[Access, Depends(design_access)]) -> Access:
        needed = for_reads if request.method in SAFE_METHODS else minimum
        if access.role < needed:
            raise HTTPException(403, _refusal(needed))
        return access

    return guard


def _refusal(needed: Role) -> str:
    if needed is Role.OWNER:
        return "Only the design's owner can do this."
    return "Your link lets you view and comment on this design, not change it."


# Router-level guards: reads need any role; changes need an editor (or the owner).
read_or_edit = Depends(_needing(Role.EDITOR))
# Comments: every role may write them.
read_or_comment = Depends(_needing(Role.VIEWER))
# Things only those who can change the design may read (the export, which snapshots it).
editors_only = Depends(_needing(Role.EDITOR, for_reads=Role.EDITOR))
# Sharing, deleting, duplicating: the owner's business.
owner_only = Depends(_needing(Role.OWNER, for_reads=Role.OWNER))
# Pages and calls that need an account but no design.
account_only = Depends(signed_in)

AccessDep = Annotated[Access, Depends(design_access)]


def sign_in_path(next_path: str) -> str:
    return "/signin?next=" + quote(next_path, safe="/")
