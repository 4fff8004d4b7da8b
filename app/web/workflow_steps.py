"""The workflow step editor in the inspector: add, change, move and remove a workflow's steps
(nested ones included) and choose how it runs, each as a plain htmx form.

Every answer is the inspector (see ``edit_in_inspector``) with the step just changed shown
open; a refused change comes back with the reason and the form as it was typed, and the design
as it was. What each form means lives in ``app.services.workflow_steps`` and ``step_forms``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.services import workflow_steps
from app.services.edits import Data, EditRefused, ElementConflict, Outcome
from app.services.step_forms import new_step, read_step
from app.services.studio import Studio
from app.services.workflow_outline import WorkflowEditor, workflow_editor
from app.services.workflow_steps import StepsEdit
from app.web.board import ShortText, edit_in_inspector, form_text
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep, ParticipantDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[CsrfDep])

NOT_STEP_FIELDS = ("base", "step", "csrf_token")


def editor_of(request: Request, workflow: Data) -> WorkflowEditor:
    """The step editor of a workflow in the inspector: with the step this request changed
    shown open, and after a refusal, what was typed into its form."""
    open_path, draft, focus = getattr(request.state, "workflow_step", (None, {}, ""))
    return workflow_editor(workflow, open_path=open_path, draft=draft, focus=focus)


# The inspector's template asks for the editor of the workflow it shows.
templates.env.globals["workflow_editor"] = editor_of


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: form_text(value) for key, value in form.items()}


def _edit_steps(
    request: Request,
    studio: Studio,
    design_id: str,
    element_id: str,
    actor: str,
    form: dict[str, str],
    edit: StepsEdit,
    *,
    open_on_refusal: str | None,
    focus: str = "",
) -> Response:
    """Apply a change of a workflow's steps and answer the inspector: the changed step open,
    or, when refused, the form that was refused open with what was typed in it."""
    base = form.get("base", "")

    def change(data: Data) -> Outcome:
        if not base:
            raise EditRefused("This form has lost its place: reopen the workflow.", status=400)
        try:
            outcome = workflow_steps.edit_steps(data, element_id, edit, base=base)
        except ElementConflict:
            raise  # the inspector shows the workflow as it now is
        except EditRefused:
            request.state.workflow_step = (open_on_refusal, form, "")
            raise
        request.state.workflow_step = (outcome.extra["open"], {}, focus)
        return outcome

    return edit_in_inspector(request, studio, design_id, element_id, actor, change)


@router.post("/designs/{design_id}/elements/{element_id}/steps", response_class=HTMLResponse)
async def add_step(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
) -> Response:
    """Add a step of any kind at the start or end of a list, after a step, or in a new
    parallel branch."""
    form = await _form(request)

    def edit(steps: list[Data]) -> workflow_steps.StepsChange:
        step = new_step(form, workflow_steps.step_names(steps))
        return workflow_steps.add_step(steps, form.get("where", "end:"), step)

    return _edit_steps(
        request, studio, design_id, element_id, participant.name, form, edit, open_on_refusal="add"
    )


@router.post("/designs/{design_id}/elements/{element_id}/steps/edit", response_class=HTMLResponse)
async def edit_step(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
) -> Response:
    """Change every property of one step; a new name is followed by the steps naming it."""
    form = await _form(request)
    path = form.get("step", "")
    fields = {k: v for k, v in form.items() if k not in NOT_STEP_FIELDS}

    def edit(steps: list[Data]) -> workflow_steps.StepsChange:
        names = workflow_steps.step_names(steps)
        return workflow_steps.update_step(steps, path, lambda step: read_step(step, fields, names))

    return _edit_steps(
        request, studio, design_id, element_id, participant.name, form, edit, open_on_refusal=path
    )


@router.post("/designs/{design_id}/elements/{element_id}/steps/move", response_class=HTMLResponse)
async def move_step(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
) -> Response:
    """Move a step up or down within its list."""
    form = await _form(request)
    path = form.get("step", "")

    direction = form.get("direction", "")

    def edit(steps: list[Data]) -> workflow_steps.StepsChange:
        return workflow_steps.move_step(steps, path, direction)

    return _edit_steps(
        request,
        studio,
        design_id,
        element_id,
        participant.name,
        form,
        edit,
        open_on_refusal=path,
        focus=direction if direction in ("up", "down") else "",
    )


@router.post("/designs/{design_id}/elements/{element_id}/steps/remove", response_class=HTMLResponse)
async def remove_step(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
) -> Response:
    """Remove a step; one other steps go to is refused unless asked to clear those references."""
    form = await _form(request)
    path = form.get("step", "")
    clear = form.get("clear_references") == "yes"

    def edit(steps: list[Data]) -> workflow_steps.StepsChange:
        return workflow_steps.remove_step(steps, path, clear_references=clear)

    return _edit_steps(
        request, studio, design_id, element_id, participant.name, form, edit, open_on_refusal=path
    )


@router.post(
    "/designs/{design_id}/elements/{element_id}/workflow-type", response_class=HTMLResponse
)
def set_workflow_type(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    base: ShortText,
    type: ShortText = "",  # noqa: A002 - the storm file's name for it
) -> Response:
    """Run a workflow as Standard or Express, or leave the choice to the generator."""

    def change(data: Data) -> Outcome:
        return workflow_steps.set_workflow_type(data, element_id, type, base=base)

    return edit_in_inspector(request, studio, design_id, element_id, participant.name, change)
