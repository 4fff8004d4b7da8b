"""The usage file: usage entered directly, so any published pricing example can be checked.

Format (YAML or the same data as JSON)::

    region: us-east-1          # a region of catalog/pricing
    free_tier: true            # take the free tier off (default true)
    hours_per_month: 730       # optional (default 730)
    lines:
      - service: lambda        # a service of the price list
        usage_type: duration-x86_64
        quantity: 3000000
        unit: requests         # the usage type's own unit (GB-seconds), or one it is metered from
        duration_ms: 120       # metering inputs, per unit of quantity, where the usage type needs
        memory_mb: 1536        #   them: size_kb (payload, chunked), duration_ms (rounded),
                               #   memory_mb / storage_mb (size), hours (per instance or capacity)
        factor: 1              # optional multiplier (0.5: eventually consistent DynamoDB reads)
        free_tier: true        # optional: false keeps this line out of the free tier
        resource: PlaceOrder   # optional attribution: resource, context, function
        label: compute         # optional name of the line (for example, a published line item)
        note: text

Units: counts (requests, events, messages, transitions, …) fit any counted usage type; data sizes
B/KB/MB/GB/TB convert with 1 GB = 1,024 MB; ``X`` fits ``X-hours`` usage types for ``hours``
(default: the month); requests or executions with ``duration_ms`` and ``memory_mb``, or instances
with ``memory_mb`` and ``hours``, fit GB-seconds and GB-hours usage types.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError

from app.generators.cost.pricer import HOURS_PER_MONTH, UsageLine
from app.model.base import StrictModel
from app.model.errors import DesignError, Problem, locate
from app.model.stormfile import Marks, parse_yaml


class UsageFileLine(StrictModel):
    """One line of a usage file."""

    service: str = Field(min_length=1, max_length=100)
    usage_type: str = Field(min_length=1, max_length=100)
    quantity: float = Field(ge=0, le=1e18)
    unit: str = Field(min_length=1, max_length=50)
    resource: str = ""
    context: str = ""
    function: str = ""
    size_kb: float | None = Field(default=None, gt=0)
    duration_ms: float | None = Field(default=None, gt=0)
    memory_mb: float | None = Field(default=None, gt=0)
    storage_mb: float | None = Field(default=None, gt=0)
    hours: float | None = Field(default=None, ge=0)
    factor: float = Field(default=1.0, gt=0)
    free_tier: bool = True
    note: str = ""
    label: str = ""


class UsageFile(StrictModel):
    """Usage entered directly: a region, free tier on or off, and the lines."""

    region: str = Field(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
    free_tier: bool = True
    hours_per_month: float = Field(default=HOURS_PER_MONTH, gt=0, le=744)
    lines: list[UsageFileLine] = Field(default_factory=list)

    def usage_lines(self) -> list[UsageLine]:
        return [UsageLine(**line.model_dump()) for line in self.lines]


def read_usage(data: Any, marks: Marks | None = None) -> UsageFile:
    """Validate usage data (parsed YAML or JSON); DesignError locating every problem (with its
    line and column when ``marks`` from ``parse_yaml`` are given)."""
    try:
        return UsageFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line, column = locate(loc, marks) if marks else (None, None)
            path = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc)
            problems.append(Problem(path.replace(".[", "["), error["msg"], line, column, loc))
        raise DesignError(problems) from None


def read_usage_text(text: str | bytes) -> UsageFile:
    """Read a usage file's text (YAML or JSON), safely; DesignError with lines and columns."""
    data, marks = parse_yaml(text)
    return read_usage(data, marks)
