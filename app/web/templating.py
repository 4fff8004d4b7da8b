"""The Jinja2 environment shared by every page: renders whole pages or one named block."""

from datetime import datetime

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.requests import Request

from app.web.paths import TEMPLATES_DIR


def format_timestamp(value: datetime) -> str:
    """A timestamp as people read it: `28 Nov 2026, 22:11 UTC`."""
    return value.strftime("%-d %b %Y, %H:%M UTC")


def is_htmx_request_for(request: Request, target_id: str) -> bool:
    """Whether htmx asked for the fragment that replaces the element `target_id`."""
    return request.headers.get("HX-Request") == "true" and (
        request.headers.get("HX-Target") == target_id
    )


environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["timestamp"] = format_timestamp
templates = Jinja2Blocks(env=environment)
