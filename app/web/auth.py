"""Accounts in the browser: sign up, sign in, sign out, and the account page with API tokens.

Signing in or out starts a new session (a new id and CSRF token), so a session cookie planted
before sign-in is worth nothing after it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.services.accounts import AccountError, Scope
from app.web.access import AccountsDep, IdentityDep, UserDep
from app.web.deps import SettingsDep
from app.web.pages import local_path
from app.web.sessions import CsrfDep, ParticipantDep, set_participant
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])

Text = Annotated[str, Form(max_length=300)]
Secret = Annotated[str, Form(max_length=1024)]


def _form(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, context, status_code=status)


def _signed_in_as(
    request: Request, participant: Any, user_name: str, token: str, target: str
) -> Response:
    response = RedirectResponse(local_path(target), status_code=303)
    fresh = request.state.session_cookies.fresh(user_name)
    set_participant(request, response, replace(fresh, user_token=token, grants=participant.grants))
    return response


def _signup_open(settings: SettingsDep, accounts: AccountsDep) -> bool:
    """With closed sign-up, the browser makes only the first account (the administrator)."""
    return settings.open_signup or not accounts.has_users()


def _signup_closed(open_: Annotated[bool, Depends(_signup_open)]) -> None:  # noqa: FBT001
    if not open_:
        raise HTTPException(
            403,
            "This studio does not take sign-ups: ask an administrator for an account "
            "(stormdraft user create).",
        )


SignupOpen = Depends(_signup_closed)
SignupShown = Annotated[bool, Depends(_signup_open)]


@router.get("/signin", response_class=HTMLResponse)
def sign_in_page(
    request: Request, identity: IdentityDep, signup: SignupShown, next: str = "/"
) -> Response:
    if identity.user is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return _form(request, "signin.html", next=local_path(next), email="", error="", signup=signup)


@actions.post("/signin", response_class=HTMLResponse)
def sign_in(
    request: Request,
    accounts: AccountsDep,
    participant: ParticipantDep,
    signup: SignupShown,
    email: Text,
    password: Secret,
    next: Text = "/",
) -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        user, token = accounts.sign_in(email, password, address)
    except AccountError as exc:
        return _form(
            request,
            "signin.html",
            exc.status,
            next=local_path(next),
            email=email,
            error=str(exc),
            signup=signup,
        )
    return _signed_in_as(request, participant, user.display_name, token, next)


@router.get("/signup", response_class=HTMLResponse, dependencies=[SignupOpen])
def sign_up_page(request: Request, next: str = "/") -> Response:
    return _form(request, "signup.html", next=local_path(next), email="", name="", error="")


@actions.post("/signup", response_class=HTMLResponse, dependencies=[SignupOpen])
def sign_up(
    request: Request,
    accounts: AccountsDep,
    participant: ParticipantDep,
    email: Text,
    password: Secret,
    name: Text = "",
    next: Text = "/",
) -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        accounts.create_user(email, password, name)
        user, token = accounts.sign_in(email, password, address)
    except AccountError as exc:
        return _form(
            request,
            "signup.html",
            exc.status,
            next=local_path(next),
            email=email,
            name=name,
            error=str(exc),
        )
    return _signed_in_as(request, participant, user.display_name, token, next)


@actions.post("/signout")
def sign_out(request: Request, accounts: AccountsDep, participant: ParticipantDep) -> Response:
    if participant.user_token:
        accounts.sign_out(participant.user_token)
    response = RedirectResponse("/signin", status_code=303)
    set_participant(request, response, request.state.session_cookies.fresh())
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, accounts: AccountsDep, user: UserDep) -> Response:
    return _form(request, "account.html", user=user, tokens=accounts.tokens(user.id), new=None)


@actions.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    accounts: AccountsDep,
    user: UserDep,
    name: Text,
    scope: Annotated[Scope, Form()] = "read",
) -> Response:
    """A new API token; its secret appears on this page once and never again."""
    created, secret = accounts.create_token(user.id, name, scope)
    response = _form(
        request, "account.html", user=user, tokens=accounts.tokens(user.id), new=(created, secret)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@actions.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, accounts: AccountsDep, user: UserDep) -> Response:
    accounts.revoke_token(user.id, token_id)
    return RedirectResponse("/account", status_code=303)


router.include_router(actions)
