"""The inspector's edits of one sticky or lane: its name, description and simple properties,
its fields, its workload and its links. Each answers the inspector and the sticky (see
``edit_in_inspector``), or the reason it was refused."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.services import edits
from app.services.board import EXCLUSIVE, RELATIONS, WORKLOAD_KEYS, element_view
from app.services.edits import Data, EditRefused, Outcome
from app.web.board import (
    MaybeText,
    ShortText,
    Text,
    edit_in_inspector,
    form_text,
    refuse_in_inspector,
)
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep, ParticipantDep

router = APIRouter(include_in_schema=False, dependencies=[CsrfDep])


@router.post("/designs/{design_id}/elements/{element_id}", response_class=HTMLResponse)
def update_element(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    name: ShortText,
    description: Text = "",
    route: MaybeText = None,
    expression: MaybeText = None,
    status: MaybeText = None,
) -> Response:
    """Change a sticky's name, description and simple properties."""
    changes: dict[str, Any] = {"name": name, "description": description or None}
    if route is not None:
        changes["route"] = route.strip() or None
    if expression is not None:
        changes["expression"] = expression.strip()
    if status is not None:
        changes["status"] = status
    return edit_in_inspector(
        request,
        studio,
        design_id,
        element_id,
        participant.name,
        lambda data: edits.update_element(data, element_id, changes, base=base),
    )


@router.post("/designs/{design_id}/elements/{element_id}/fields", response_class=HTMLResponse)
def add_field(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    field_name: ShortText,
    field_type: ShortText,
) -> Response:
    """Add (or retype) a field of a command, event, entity or read model."""

    def change(data: Data) -> Outcome:
        view = element_view(data, element_id)
        if view.fields_key is None:
            raise EditRefused(f"A {view.singular} has no fields.")
        current = dict(view.data.get(view.fields_key, {}))
        current[field_name.strip()] = field_type.strip()
        return edits.update_element(data, element_id, {view.fields_key: current}, base=base)

    return edit_in_inspector(request, studio, design_id, element_id, participant.name, change)


@router.post(
    "/designs/{design_id}/elements/{element_id}/fields/remove", response_class=HTMLResponse
)
def remove_field(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    field_name: ShortText,
) -> Response:
    def change(data: Data) -> Outcome:
        view = element_view(data, element_id)
        key = view.fields_key or "fields"
        current = {k: v for k, v in view.data.get(key, {}).items() if k != field_name}
        return edits.update_element(data, element_id, {key: current or None}, base=base)

    return edit_in_inspector(request, studio, design_id, element_id, participant.name, change)


@router.post("/designs/{design_id}/elements/{element_id}/workload", response_class=HTMLResponse)
async def set_workload(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
) -> Response:
    """Set the expected traffic and running cost inputs of a sticky."""
    form = await request.form()
    base = form_text(form.get("base"))
    values: dict[str, float | None] = {}
    for key in WORKLOAD_KEYS:
        text = form_text(form.get(key)).strip().replace(",", "").replace("_", "")
        if not text:
            values[key] = None
            continue
        try:
            values[key] = float(text)
        except ValueError:
            label = key.replace("_", " ")
            return refuse_in_inspector(
                request, studio, design_id, element_id, f"“{text[:40]}” is not a number ({label})."
            )

    def change(data: Data) -> Outcome:
        view = element_view(data, element_id)
        workload = {k: v for k, v in view.workload.items() if k not in WORKLOAD_KEYS}
        workload.update({k: v for k, v in values.items() if v is not None})
        return edits.update_element(data, element_id, {"workload": workload or None}, base=base)

    return edit_in_inspector(request, studio, design_id, element_id, participant.name, change)


@router.post("/designs/{design_id}/elements/{element_id}/links", response_class=HTMLResponse)
def add_link(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    relation: ShortText,
    target: ShortText,
) -> Response:
    """Link a sticky to another: a command emits an event, a policy reacts to one, …"""
    target = target.strip()

    def change(data: Data) -> Outcome:
        view = element_view(data, element_id)
        found = next((r for r in view.relations if r.key == relation), None)
        if found is None:
            raise EditRefused(f"A {view.singular} has no “{relation}” link.")
        if not target:
            raise EditRefused("Choose what to link to.")
        changes: dict[str, Any] = {}
        if found.many:
            current = list(view.data.get(relation, []))
            names = [c if isinstance(c, str) else c.get("event") for c in current]
            if target not in names:
                current.append(target)
            changes[relation] = current
        else:
            changes[relation] = target
            other = EXCLUSIVE.get((view.kind, relation))
            if other:
                changes[other] = None
        return edits.update_element(data, element_id, changes, base=base)

    return edit_in_inspector(request, studio, design_id, element_id, participant.name, change)


@router.post("/designs/{design_id}/elements/{element_id}/links/remove", response_class=HTMLResponse)
def remove_link(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    relation: ShortText,
    index: Annotated[int, Form(ge=0, le=10_000)] = 0,
) -> Response:
    def change(data: Data) -> Outcome:
        view = element_view(data, element_id)
        found = next((r for r in RELATIONS.get(view.kind, ()) if r.key == relation), None)
        if found is None:
            raise EditRefused(f"A {view.singular} has no “{relation}” link.")
        if found.many:
            current = [c for i, c in enumerate(view.data.get(relation, [])) if i != index]
            value: Any = current or None
        else:
            value = None
        return edits.update_element(data, element_id, {relation: value}, base=base)

    return edit_in_inspector(request, studio, design_id, element_id, participant.name, change)
