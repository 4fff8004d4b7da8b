"""Share links: the owner makes editor and viewer links and revokes them; people join by one.

A link's secret is shown to the owner when it is made (and kept in the owner's page until they
leave it); the studio stores only its hash. Joining adds the link to the browser's session;
every request checks it again, and revoking it tells open boards to let go at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.services.accounts import LinkRole
from app.web.access import AccountsDep, owner_only
from app.web.deps import StudioDep
from app.web.sessions import MAX_GRANTS, CsrfDep, ParticipantDep, clean_name, set_participant
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
owner = APIRouter(include_in_schema=False, dependencies=[owner_only, CsrfDep])
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])


def _share_page(
    request: Request, design_id: str, studio: StudioDep, accounts: AccountsDep, new: object = None
) -> Response:
    context = {
        "design": studio.summary(design_id),
        "links": accounts.links(design_id),
        "new": new,
        "base_url": str(request.base_url).rstrip("/"),
    }
    response = templates.TemplateResponse(request, "share.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@owner.get("/designs/{design_id}/share", response_class=HTMLResponse)
def share_page(
    request: Request, design_id: str, studio: StudioDep, accounts: AccountsDep
) -> Response:
    return _share_page(request, design_id, studio, accounts)


@owner.post("/designs/{design_id}/share", response_class=HTMLResponse)
def create_link(
    request: Request,
    design_id: str,
    studio: StudioDep,
    accounts: AccountsDep,
    role: Annotated[LinkRole, Form()],
) -> Response:
    link, token = accounts.create_link(design_id, role)
    return _share_page(request, design_id, studio, accounts, new=(link, token))


@owner.post("/designs/{design_id}/share/{link_id}/revoke")
def revoke_link(design_id: str, link_id: str, studio: StudioDep, accounts: AccountsDep) -> Response:
    revoke_and_announce(design_id, link_id, studio, accounts)
    return RedirectResponse(f"/designs/{design_id}/share", status_code=303)


def revoke_and_announce(
    design_id: str, link_id: str, studio: StudioDep, accounts: AccountsDep
) -> None:
    """Revoke a link and tell open streams to check theirs (they close within a second)."""
    accounts.revoke_link(design_id, link_id)
    studio.broadcast(design_id, {"type": "access"})


def join_url(request: Request, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/join/{token}"


def _landing(role: str, design_id: str) -> str:
    return f"/designs/{design_id}" if role == "editor" else f"/designs/{design_id}/overview"


@router.get("/join/{token}", response_class=HTMLResponse)
def join_page(request: Request, token: str, accounts: AccountsDep, studio: StudioDep) -> Response:
    link = accounts.redeem(token[:100])
    if link is None:
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": 404, "message": "This link is not valid: it may have been revoked."},
            status_code=404,
        )
    design = studio.summary(link.design_id)
    return templates.TemplateResponse(
        request, "join.html", {"link": link, "design": design, "token": token}
    )


@actions.post("/join/{token}")
def join(
    request: Request,
    token: str,
    accounts: AccountsDep,
    participant: ParticipantDep,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    link = accounts.redeem(token[:100])
    if link is None:
        return RedirectResponse(f"/join/{token[:100]}", status_code=303)
    grants = tuple(g for g in participant.grants if g != link.id) + (link.id,)
    joined = replace(
        participant, name=clean_name(name) or participant.name, grants=grants[-MAX_GRANTS:]
    )
    response = RedirectResponse(_landing(link.role, link.design_id), status_code=303)
    set_participant(request, response, joined)
    return response


router.include_router(owner)
router.include_router(actions)
