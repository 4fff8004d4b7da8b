"""Errors as RFC 9457 problem details (``application/problem+json``): one schema, one response
per status, shared by every operation."""

from __future__ import annotations

from typing import Any

ERRORS: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "The request is malformed or fails validation."),
    "401": ("Unauthorized", "Credentials are missing or invalid."),
    "403": ("Forbidden", "The caller may not do this."),
    "404": ("NotFound", "Nothing exists at this address."),
    "409": (
        "Conflict",
        "The change conflicts with the current state (or a reused idempotency "
        "key with another body).",
    ),
    "429": ("TooManyRequests", "Throttled; retry after a while."),
    "500": ("InternalError", "Something failed on our side."),
}
"""Status → (response component name, description)."""


def problem_components() -> dict[str, Any]:
    """The shared ``Problem`` schema."""
    return {
        "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details",
            "properties": {
                "type": {"type": "string", "description": "a URI reference naming the problem"},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 100, "maximum": 599},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
            },
            "required": ["type", "title", "status"],
            "example": {
                "type": "about:blank",
                "title": "Bad Request",
                "status": 400,
                "detail": "customerId is required",
            },
        }
    }


def error_responses() -> dict[str, Any]:
    """One reusable response per error status, each an ``application/problem+json`` body."""
    responses = {}
    for status, (name, description) in ERRORS.items():
        title = "".join(f" {c}" if c.isupper() else c for c in name).strip()
        responses[name] = {
            "description": description,
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": {"type": "about:blank", "title": title, "status": int(status)},
                }
            },
        }
    return responses
