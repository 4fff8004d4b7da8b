"""The Workflows tab's dry runs: a scenario run on click and replayed on the state machine."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.model import DesignError
from app.services.dry_runs import dry_run, workflow_scenarios
from app.services.previews import validated
from app.web.deps import StudioDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


def dry_run_context(digest: str, text: str) -> dict[str, object]:
    """What the Workflows tab needs for its dry-run panels (nothing is run here)."""
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return {}
    return {"dry_runs": workflow_scenarios(valid)}


@router.get("/designs/{design_id}/workflows/{workflow}/dry-run", response_class=HTMLResponse)
def dry_run_fragment(
    request: Request, design_id: str, workflow: str, scenario: str, studio: StudioDep
) -> Response:
    """One scenario's run: the states it visited, replayable on the workflow's diagram."""
    document = studio.document(design_id)
    found = dry_run(document.digest, document.text, workflow, scenario)
    steps = []
    if found.report is not None and found.node_of_state is not None:
        steps = [found.node_of_state.get(state, "") for state in found.report.visited]
    svg = found.svg[found.svg.find("<svg") :] if found.svg else ""
    return templates.TemplateResponse(
        request, "_dry_run.html", {"run": found, "steps": steps, "svg": svg}
    )
