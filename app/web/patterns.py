"""The access-pattern editor in the inspector: what a pattern reads or writes, by which keys,
in which order, under which condition — everything the table planner takes, as a form.

Lists are typed comma-separated, constant filters one ``field: value`` per line; a value the
model refuses comes back in the inspector with the reason, and the pattern is left as it was.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.services import edits
from app.services.edits import EditRefused
from app.services.step_forms import read_number
from app.web.board import MaybeText, ShortText, edit_in_inspector, refuse_in_inspector
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep, ParticipantDep

router = APIRouter(include_in_schema=False, dependencies=[CsrfDep])

Lines = Annotated[str, Form(max_length=4000)]


def pattern_changes(form: dict[str, str]) -> dict[str, Any]:
    """The pattern's keys from the editor's form; EditRefused naming a value it cannot read."""
    changes: dict[str, Any] = {
        "entity": form["entity"].strip(),
        "action": form["action"],
        "by": _names(form["by"]),
        "include": _names(form["include"]),
        "exists": _names(form["exists"]),
        "filters": _filters(form["filters"]),
        "sort": form["sort"].strip() or None,
        "order": form["order"] or None,
        "range": form["range"] or None,
        "many": {"": None, "one": False, "many": True}.get(form["many"]),
        "consistency": form["consistency"] or None,
        "condition": form["condition"] or None,
        "counter": form["counter"].strip() or None,
        "batch": read_number(form["batch"], "Batch size", whole=True),
        "requests_per_month": read_number(form["requests_per_month"], "Requests a month"),
    }
    # Empty lists and defaults are left out, as the storm file writes them.
    return {key: (value if value not in ([], {}) else None) for key, value in changes.items()}


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _filters(text: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise EditRefused(
                f"Constant filters, line {number}: write one “field: value” per line "
                f"(e.g. status: OPEN), not “{line.strip()[:60]}”."
            )
        found[name.strip()] = _constant(value.strip())
    return found


def _constant(value: str) -> str | int | float | bool:
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value else number


@router.post("/designs/{design_id}/elements/{element_id}/pattern", response_class=HTMLResponse)
def update_pattern(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    entity: ShortText,
    action: ShortText = "read",
    by: ShortText = "",
    include: ShortText = "",
    exists: ShortText = "",
    filters: Lines = "",
    sort: ShortText = "",
    order: ShortText = "",
    range: ShortText = "",  # noqa: A002 - the storm file's name for it
    many: ShortText = "",
    consistency: ShortText = "",
    condition: ShortText = "",
    counter: ShortText = "",
    batch: ShortText = "",
    requests_per_month: MaybeText = None,
) -> Response:
    """Change what an access pattern reads or writes and how."""
    form = {
        "entity": entity,
        "action": action,
        "by": by,
        "include": include,
        "exists": exists,
        "filters": filters,
        "sort": sort,
        "order": order,
        "range": range,
        "many": many,
        "consistency": consistency,
        "condition": condition,
        "counter": counter,
        "batch": batch,
        "requests_per_month": requests_per_month or "",
    }
    try:
        changes = pattern_changes(form)
    except EditRefused as refused:
        return refuse_in_inspector(request, studio, design_id, element_id, refused.message)
    return edit_in_inspector(
        request,
        studio,
        design_id,
        element_id,
        participant.name,
        lambda data: edits.update_element(data, element_id, changes, base=base),
    )
