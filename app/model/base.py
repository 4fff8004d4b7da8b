"""Building blocks shared by every element of the design model."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.model.codes import CODE_PATTERN


class StrictModel(BaseModel):
    """A model that refuses unknown keys, so a typo in a storm file is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=False)


def _printable(text: str) -> str:
    if any((ord(ch) < 32 and ch not in "\t\n") or 127 <= ord(ch) < 160 for ch in text):
        raise ValueError("control characters are not allowed")
    return text


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_printable),
]
Text = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_printable)]
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
ElementId = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,4}-[A-Za-z0-9_-]{4,40}$")]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A reference to another element by its name, code or id."""

ROUTE_PATTERN = r"^(GET|POST|PUT|PATCH|DELETE) (/[A-Za-z0-9._~{}-]*)+$"
_ROUTE = re.compile(ROUTE_PATTERN)
Route = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ROUTE_PATTERN)]


def route_parts(route: str) -> tuple[str, str]:
    """Split ``"POST /orders/{orderId}"`` into its method and path."""
    method, path = route.split(" ", 1)
    return method, path


def route_params(route: str) -> list[str]:
    """The path parameters of a route, in order (``{orderId}`` → ``orderId``)."""
    return re.findall(r"\{([^{}]+)\}", route)


class Element(StrictModel):
    """Anything on the board: it has a stable id, a display name and a code name."""

    id: ElementId | None = None
    name: Name
    code: Code | None = Field(default=None, description="ASCII name used by every artifact")
    description: Text = ""


class Overrides(StrictModel):
    """Choices the generators would make, overridden by the design (review judges them)."""

    timeout_s: int | None = Field(default=None, ge=1, le=900)
    architecture: Literal["arm64", "x86_64"] | None = None
    dead_letter_queue: bool | None = None
    idempotency: bool | None = None
    retries: bool | None = None
    reserved_concurrency: int | None = Field(default=None, ge=0, le=10_000)
    provisioned_concurrency: int | None = Field(default=None, ge=0, le=10_000)


MAX_DURATION_MS = 366 * 24 * 3600 * 1000  # a Standard workflow may run for a year


class Workload(StrictModel):
    """How much work an element receives and what running it costs.

    ``requests_per_month`` is set only where traffic enters the system; everywhere else the
    traffic flow derives it. ``p99_ms`` defaults to three times ``duration_ms``.
    """

    requests_per_month: float | None = Field(default=None, ge=0, le=1e13)
    peak_factor: float = Field(default=3.0, ge=1, le=1000)
    duration_ms: float = Field(default=100.0, gt=0, le=MAX_DURATION_MS)
    p99_ms: float | None = Field(default=None, gt=0, le=MAX_DURATION_MS)
    memory_mb: int = Field(default=512, ge=128, le=10_240)
    payload_kb: float = Field(default=1.0, gt=0, le=10_240)
    latency_sensitive: bool = False
    compute: Literal["function", "container"] = "function"
    cpu_bound: float = Field(
        default=0.5, ge=0, le=1, description="share of the duration spent on CPU, not waiting"
    )
    overrides: Overrides = Field(default_factory=Overrides)

    @property
    def p99(self) -> float:
        return self.p99_ms if self.p99_ms is not None else self.duration_ms * 3


def is_default(model: BaseModel) -> bool:
    """Whether every field of a model still has its default value."""
    return all(
        getattr(model, name) == field.get_default(call_default_factory=True)
        for name, field in type(model).model_fields.items()
    )
