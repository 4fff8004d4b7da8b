"""Errors the user caused, answered as problem details (API), fragments (htmx) or pages."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import escape
from starlette.exceptions import HTTPException

from app.model import DesignError
from app.services.accounts import AccountError
from app.services.comments import CommentRefused
from app.services.documents import UnreadableDesign
from app.services.edits import EditRefused
from app.services.studio import StaleText
from app.store.designs import DesignNotFound, StaleRevision
from app.web.access import SignInNeeded, sign_in_path
from app.web.problems import http_error as problem_http_error
from app.web.problems import problem_response
from app.web.templating import templates


def _status_and_message(exc: Exception) -> tuple[int, str, list[dict[str, object]]]:
    if isinstance(exc, DesignNotFound):
        return 404, "There is no such design; it may have been deleted.", []
    if isinstance(exc, StaleText):
        return 409, str(exc), []
    if isinstance(exc, StaleRevision):
        return 409, "The design changed meanwhile: reload and try again.", []
    if isinstance(exc, EditRefused):
        return exc.status, exc.message, []
    if isinstance(exc, DesignError):
        problems: list[dict[str, object]] = [
            {"path": p.path, "message": p.message, "line": p.line, "column": p.column}
            for p in exc.problems
        ]
        return (
            422,
            "The storm file has problems: " + "; ".join(str(p) for p in exc.problems[:5]),
            problems,
        )
    if isinstance(exc, UnreadableDesign):
        return 422, f"This design's storm file cannot be read: {exc}", []
    if isinstance(exc, AccountError):
        return exc.status, str(exc), []
    if isinstance(exc, CommentRefused):
        return exc.status, exc.message, []
    if isinstance(exc, SignInNeeded):
        return 401, "Sign in, or open the share link you were given.", []
    raise exc


async def user_error(request: Request, exc: Exception) -> Response:
    """Answer an error the user caused in the form the request expects."""
    status, message, problems = _status_and_message(exc)
    is_api = _is_api(request)
    if isinstance(exc, SignInNeeded) and not is_api:
        target = sign_in_path(exc.next_path)
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": target})
        if request.method in {"GET", "HEAD"}:
            return RedirectResponse(target, status_code=303)
    if is_api:
        if isinstance(exc, SignInNeeded):
            headers = {"WWW-Authenticate": "Bearer"}
            return problem_response(
                status, "Send an API token: Authorization: Bearer sdt_…", headers=headers
            )
        if problems:
            return problem_response(status, message, problems=problems)
        return problem_response(status, message)
    return _page_error(request, status, message)


def _page_error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """An error for a person: a flash message for htmx, or an error page."""
    if request.headers.get("HX-Request") == "true":
        fragment = f'<p class="flash flash--error" role="alert">{escape(message)}</p>'
        return HTMLResponse(
            fragment,
            status_code=status,
            headers={**(headers or {}), "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
        )
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors (refused access, no such page): problem details for the API and for
    clients that do not ask for HTML, a page or flash message for people."""
    assert isinstance(exc, HTTPException)
    wants_html = "text/html" in request.headers.get("accept", "")
    is_htmx = request.headers.get("HX-Request") == "true"
    if _is_api(request) or not (wants_html or is_htmx):
        return await problem_http_error(request, exc)
    phrase = HTTPStatus(exc.status_code).phrase
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else phrase
    return _page_error(request, exc.status_code, message, exc.headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def install_user_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, http_error)
    for kind in (
        DesignNotFound,
        StaleText,
        StaleRevision,
        EditRefused,
        DesignError,
        UnreadableDesign,
        AccountError,
        CommentRefused,
        SignInNeeded,
    ):
        app.add_exception_handler(kind, user_error)
