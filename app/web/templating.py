"""The Jinja2 environment shared by every page: renders whole pages or one named block."""

from datetime import datetime

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.requests import Request

from app.web.access import Role
from app.web.paths import TEMPLATES_DIR


def format_timestamp(value: datetime) -> str:
    """A timestamp as people read it: `28 Nov 2026, 22:11 UTC`."""
    return value.strftime("%-d %b %Y, %H:%M UTC")


def is_htmx_request_for(request: Request, target_id: str) -> bool:
    """Whether htmx asked for the fragment that replaces the element `target_id`."""
    return request.headers.get("HX-Request") == "true" and (
        request.headers.get("HX-Target") == target_id
    )


def signed_in_user(request: Request) -> object | None:
    """The account behind this request, when a guard has looked (None for link guests)."""
    identity = getattr(request.state, "identity", None)
    return identity.user if identity else None


def may(request: Request, action: str) -> bool:
    """Whether the requester's role on this page's design allows `action` ("edit" or "own")."""
    access = getattr(request.state, "access", None)
    needed = {"edit": Role.EDITOR, "own": Role.OWNER}[action]
    return access is not None and access.role >= needed


environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["timestamp"] = format_timestamp
environment.globals["signed_in_user"] = signed_in_user
environment.globals["may"] = may
templates = Jinja2Blocks(env=environment)
