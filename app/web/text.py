"""The text view: the storm file in an editor pane, applied as a whole with a revision check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.model import DesignError
from app.services.previews import validated
from app.services.studio import StaleText
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep, ParticipantDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])


@dataclass(frozen=True)
class LineProblem:
    line: int | None
    column: int | None
    where: str
    message: str


@dataclass(frozen=True)
class TextPage:
    """What the text view shows: the text, the revision it was loaded at, and its problems."""

    design_id: str
    name: str
    text: str
    revision: int
    current_revision: int
    problems: list[LineProblem] = field(default_factory=list)
    refused: bool = False
    stale: bool = False
    message: str = ""
    view: str = "text"

    @property
    def lines(self) -> int:
        return max(1, self.text.count("\n") + (0 if self.text.endswith("\n") else 1))

    @property
    def problem_lines(self) -> set[int]:
        return {p.line for p in self.problems if p.line is not None}


def _problems(exc: DesignError) -> list[LineProblem]:
    return [LineProblem(p.line, p.column, p.path or "design", p.message) for p in exc.problems]


def _render(request: Request, page: TextPage, status: int = 200) -> Response:
    block = "editor" if request.headers.get("HX-Request") == "true" else None
    return templates.TemplateResponse(
        request,
        "text.html",
        {"page": page},
        block_name=block,
        status_code=status,
        headers={"X-Design-Revision": str(page.current_revision)},
    )


@router.get("/designs/{design_id}/text", response_class=HTMLResponse, name="text_view")
def text_view(request: Request, design_id: str, studio: StudioDep) -> Response:
    """The design's storm file, ready to edit, with its current problems beside their lines."""
    document = studio.document(design_id)
    result = validated(document.digest, document.text)
    found = _problems(result) if isinstance(result, DesignError) else []
    page = TextPage(
        design_id,
        document.data.get("name", ""),
        document.text,
        document.revision,
        document.revision,
        found,
    )
    return _render(request, page)


@actions.post("/designs/{design_id}/text", response_class=HTMLResponse)
def apply_text(
    request: Request,
    design_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    storm_text: Annotated[str, Form(max_length=5_000_000)],
    loaded_revision: Annotated[int, Form(ge=0)],
    override_revision: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    """Validate and apply the text; refuse it when the design changed since it was loaded."""
    summary = studio.summary(design_id)
    name = summary.name
    loaded = override_revision if override_revision is not None else loaded_revision
    try:
        saved = studio.apply_text(design_id, storm_text, loaded, participant.name)
    except DesignError as exc:
        page = TextPage(
            design_id,
            name,
            storm_text,
            loaded_revision,
            summary.revision,
            _problems(exc),
            refused=True,
            message="Not applied: the storm file has the problems listed beside "
            "it. Fix them and apply again.",
        )
        return _render(request, page, 422)
    except StaleText as exc:
        page = TextPage(
            design_id,
            name,
            storm_text,
            loaded_revision,
            exc.current,
            [],
            refused=True,
            stale=True,
            message=str(exc),
        )
        return _render(request, page, 409)
    result = validated(saved.document.digest, saved.document.text)
    found = _problems(result) if isinstance(result, DesignError) else []
    message = f"Applied as revision {saved.document.revision}."
    if found:
        message += " The board shows it; the problems listed beside it remain to be fixed."
    page = TextPage(
        design_id,
        saved.name,
        saved.document.text,
        saved.document.revision,
        saved.document.revision,
        found,
        message=message,
    )
    return _render(request, page)


@router.get("/designs/{design_id}/storm.yaml")
def download_storm_file(design_id: str, studio: StudioDep) -> Response:
    """The storm file, to save or to version beside the code."""
    document = studio.document(design_id)
    return Response(
        document.text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="design.storm.yaml"'},
    )


router.include_router(actions)
