"""The cost tab's what-if control: the estimate recomputed under changed assumptions (traffic,
architecture, API type, memory everywhere or per function, workflow type, batching), beside the
design's own, as a fragment for the studio and as JSON for scripts. Reading only: every role.

The query takes the keys of ``WHAT_IF_KEYS``; per-function memory as ``memory.CODE=MB``. An
empty value means "as designed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.generators.cost.basis import usage_basis
from app.generators.cost.prices import price_list
from app.generators.cost.what_if import WhatIfResult, parse_what_if, what_if_estimate
from app.model import DesignError, ValidDesign
from app.services.overview import cost_view
from app.services.previews import Preview, validated
from app.web.deps import StudioDep
from app.web.templating import templates

router = APIRouter()

NUMBERS = ("traffic", "memory_mb", "batch_size")
PER_FUNCTION = "memory."
MEMORY_CHOICES = (128, 256, 512, 768, 1024, 1536, 1769, 2048, 3008, 4096, 10240)
TRAFFIC_CHOICES = (0.5, 1, 2, 5, 10)


@dataclass(frozen=True)
class FunctionMemory:
    code: str
    context: str
    memory_mb: int


def cost_context(found: Preview, digest: str, text: str) -> dict[str, Any]:
    """What the cost tab shows: the estimate as people read it, and the what-if control."""
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return {}
    return {"cost": cost_view(found), "control": control_of(valid)}


def control_of(valid: ValidDesign) -> dict[str, Any]:
    """What the control offers for this design: its functions with their memory."""
    return {
        "functions": [
            FunctionMemory(fn.code, fn.context, fn.workload.memory_mb)
            for fn in usage_basis(valid).functions
        ],
        "memory_choices": MEMORY_CHOICES,
        "traffic_choices": TRAFFIC_CHOICES,
        "api_keys": valid.design.settings.api.auth == "api-key",
    }


def what_if_query(params: Any) -> dict[str, Any]:
    """The control's values from a query string, typed where they read as numbers; what does
    not is passed on as written, so the parser names it."""
    data: dict[str, Any] = {}
    memory: dict[str, Any] = {}
    for key, raw in params.multi_items():
        value = raw.strip()
        if not value:
            continue
        if key.startswith(PER_FUNCTION):
            memory[key.removeprefix(PER_FUNCTION)] = _number(value)
        elif key in NUMBERS:
            data[key] = _number(value)
        else:
            data[key] = value
    if memory:
        data["memory"] = memory
    return data


def _number(value: str) -> float | str:
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _result(studio: StudioDep, design_id: str, request: Request) -> WhatIfResult:
    document = studio.document(design_id)
    valid = validated(document.digest, document.text)
    if isinstance(valid, DesignError):
        raise valid
    return what_if_estimate(valid, parse_what_if(what_if_query(request.query_params)))


@router.get("/designs/{design_id}/what-if", response_class=HTMLResponse, include_in_schema=False)
def what_if_fragment(request: Request, design_id: str, studio: StudioDep) -> Response:
    """The estimate under the control's values beside the design's own."""
    try:
        result = _result(studio, design_id, request)
    except DesignError as error:
        return templates.TemplateResponse(
            request, "_what_if.html", {"problems": error.problems, "result": None}, status_code=422
        )
    prices = price_list(result.estimate.region)
    titles = {code: service.title for code, service in prices.services.items()}
    return templates.TemplateResponse(
        request, "_what_if.html", {"result": result.to_json(), "problems": (), "titles": titles}
    )


@router.get("/api/designs/{design_id}/what-if", tags=["cost"])
def what_if_api(request: Request, design_id: str, studio: StudioDep) -> JSONResponse:
    """The monthly estimate under changed assumptions beside the design's own: totals, the
    difference per service, and the breakdowns per service, context and function. Query keys:
    traffic, architecture, api_type, memory_mb, memory.CODE, step_functions, batch_size,
    table_capacity."""
    return JSONResponse(_result(studio, design_id, request).to_json())
