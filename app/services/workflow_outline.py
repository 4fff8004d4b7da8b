"""What the workflow step editor shows: the steps as a nested outline, each with its kind, name
and a one-line summary of what it does, the form values of each, and the places a new step can
go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.services.edits import Data
from app.services.step_forms import form_values, kind_of
from app.services.workflow_steps import Reference, describe_references, references_to

STEP_LABELS = {
    "task": "Task",
    "service": "Service call",
    "choice": "Choice",
    "parallel": "Parallel",
    "map": "Map",
    "wait": "Wait",
    "approval": "Approval",
    "succeed": "Succeed",
    "fail": "Fail",
}
"""Each kind of step as the outline names it (a label, so kinds never read by colour alone)."""


@dataclass(frozen=True)
class StepGroup:
    """A list of steps inside a step: a parallel branch, or the steps a map runs per item."""

    title: str
    rows: tuple[StepRow, ...]


@dataclass(frozen=True)
class StepRow:
    """One step of the outline, with what its form shows."""

    path: str
    kind: str
    step: Data
    summary: str
    first: bool
    last: bool
    siblings: tuple[str, ...]
    """Names of the other steps of its list: what its next step, default or catches can name."""
    pointers: tuple[Reference, ...]
    """The steps of its list that name it."""
    values: dict[str, str]
    groups: tuple[StepGroup, ...] = ()

    @property
    def name(self) -> str:
        return str(self.step["name"])

    @property
    def label(self) -> str:
        return STEP_LABELS[self.kind]

    @property
    def dom_id(self) -> str:
        """The path as an HTML id fragment (``2.b1.0`` → ``2-b1-0``)."""
        return self.path.replace(".", "-")

    @property
    def pointed_to_by(self) -> str:
        return describe_references(list(self.pointers))


@dataclass(frozen=True)
class Place:
    """Where a new step can go: the add form's `where` value and how it reads."""

    value: str
    text: str


@dataclass(frozen=True)
class PlaceGroup:
    label: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class WorkflowEditor:
    """The workflow step editor of one workflow."""

    rows: tuple[StepRow, ...]
    places: tuple[PlaceGroup, ...]
    type: str
    open: str | None = None
    """The path of the step shown open (``add``: the add form), after an edit of it."""
    draft: Mapping[str, str] = field(default_factory=dict)
    """What was typed into the open form when it was refused, shown again to correct."""
    names: tuple[str, ...] = ()
    """Every step name of the workflow."""
    focus: str = ""
    """The open step's control to focus after the change (``up``/``down`` after a move)."""

    def value(self, row: StepRow | None, key: str) -> str:
        """A field's value: what was typed when its refused form is the open one, else the
        step's own (row None: the add form, empty unless typed)."""
        path = row.path if row is not None else "add"
        if path == self.open and key in self.draft:
            return self.draft[key]
        return row.values.get(key, "") if row is not None else ""

    def is_open(self, row: StepRow) -> bool:
        return self.open == row.path


def workflow_editor(
    workflow: Data,
    *,
    open_path: str | None = None,
    draft: Mapping[str, str] | None = None,
    focus: str = "",
) -> WorkflowEditor:
    """The editor of a workflow's canonical data."""
    steps = workflow.get("steps", [])
    rows = _rows(steps, ())
    places = (PlaceGroup("Workflow", _places(steps, "", True)), *_nested_places(rows))
    names = tuple(row.name for row in _walk(rows))
    kind = workflow.get("type", "")
    return WorkflowEditor(rows, places, kind, open_path, draft or {}, names, focus)


def _rows(steps: list[Data], at: tuple[str, ...]) -> tuple[StepRow, ...]:
    names = [step["name"] for step in steps]
    rows = []
    for index, step in enumerate(steps):
        path = ".".join((*at, str(index)))
        kind = kind_of(step)
        groups: list[StepGroup] = []
        if kind == "parallel":
            for b, branch in enumerate(step["parallel"]):
                title = f"Branch {b + 1}" + (f" · {branch['name']}" if branch.get("name") else "")
                groups.append(StepGroup(title, _rows(branch["steps"], (path, f"b{b}"))))
        elif kind == "map":
            title = f"For each item of {step['map']['items']}"
            groups.append(StepGroup(title, _rows(step["map"]["steps"], (path, "m"))))
        pointers = tuple(r for r in references_to(steps, step["name"]) if r.step is not step)
        rows.append(
            StepRow(
                path,
                kind,
                step,
                summary(step),
                index == 0,
                index == len(steps) - 1,
                tuple(n for n in names if n != step["name"]),
                pointers,
                form_values(step),
                tuple(groups),
            )
        )
    return tuple(rows)


def _walk(rows: tuple[StepRow, ...]) -> list[StepRow]:
    found = []
    for row in rows:
        found.append(row)
        for group in row.groups:
            found += _walk(group.rows)
    return found


def _places(steps: list[Data], list_path: str, top: bool) -> tuple[Place, ...]:
    end = "At the end" if top else "At the end here"
    return (
        Place(f"end:{list_path}", end),
        Place(f"start:{list_path}", "At the start"),
        *(
            Place(f"after:{'.'.join(p for p in (list_path, str(i)) if p)}", f"After “{s['name']}”")
            for i, s in enumerate(steps)
        ),
    )


def _nested_places(rows: tuple[StepRow, ...]) -> list[PlaceGroup]:
    groups: list[PlaceGroup] = []
    for row in _walk(rows):
        if row.kind == "parallel":
            for b, branch in enumerate(row.step["parallel"]):
                label = f"Branch {b + 1}" + (f" “{branch['name']}”" if branch.get("name") else "")
                steps = branch["steps"]
                places = _places(steps, f"{row.path}.b{b}", False)
                groups.append(PlaceGroup(f"{label} of “{row.name}”", places))
            new_branch = Place(f"branch:{row.path}", f"First step of a new branch of “{row.name}”")
            groups.append(PlaceGroup(f"New branch of “{row.name}”", (new_branch,)))
        elif row.kind == "map":
            places = _places(row.step["map"]["steps"], f"{row.path}.m", False)
            groups.append(PlaceGroup(f"Inside map “{row.name}”", places))
    return groups


# -- one line per step -------------------------------------------------------------------------


def summary(step: Data) -> str:
    """What a step does, in a line: ``runs command Reserve stock, then → Charge``."""
    kind = kind_of(step)
    text = _SUMMARIES[kind](step)
    if step.get("next") and kind not in ("choice", "succeed", "fail"):
        text += f", then → {step['next']}"
    return text


def _task(step: Data) -> str:
    text = f"runs command {step['task']}"
    if step.get("compensate"):
        text += f" (undone by {step['compensate']})"
    return text + _catches(step)


def _service(step: Data) -> str:
    target = f" on {step['target']}" if step.get("target") else ""
    return f"calls {step['service']}{target}" + _catches(step)


def _catches(step: Data) -> str:
    catches = step.get("on_error", [])
    if not catches:
        return ""
    targets = ", ".join(dict.fromkeys(c["next"] for c in catches))
    return f"; on error → {targets}"


def _choice(step: Data) -> str:
    branches = [f"if {b['when']} → {b['next']}" for b in step["choice"]]
    default = f"else → {step['default']}" if step.get("default") else "else fails (no match)"
    return "; ".join(branches) + f" {default}"


def _parallel(step: Data) -> str:
    branches = step["parallel"]
    names = [b.get("name") or f"branch {i + 1}" for i, b in enumerate(branches)]
    count = len(branches)
    text = f"runs {count} branch{'es' if count != 1 else ''} at once: {', '.join(names)}"
    return text + _catches(step)


def _map(step: Data) -> str:
    spec = step["map"]
    count = len(spec["steps"])
    text = (
        f"for each item of {spec['items']}: {count} step{'s' if count != 1 else ''}, "
        f"at most {spec.get('max_concurrency', 10) or 'any number'} at a time"
    )
    return text + _catches(step)


def _wait(step: Data) -> str:
    spec = step["wait"]
    if spec.get("seconds") is not None:
        seconds = spec["seconds"]
        return f"waits {seconds} s" + (f" ({duration(seconds)})" if seconds >= 120 else "")
    return f"waits until the time at {spec.get('until')}"


def _approval(step: Data) -> str:
    spec = step["approval"]
    text = f"approval by {spec['approver']} within {duration(spec.get('timeout_s', 86_400))}"
    if spec.get("on_reject"):
        text += f"; rejected → {spec['on_reject']}"
    return text


def _fail(step: Data) -> str:
    spec = step["fail"]
    return f"fails with {spec.get('error', 'WorkflowFailed')}"


_SUMMARIES: dict[str, Any] = {
    "task": _task,
    "service": _service,
    "choice": _choice,
    "parallel": _parallel,
    "map": _map,
    "wait": _wait,
    "approval": _approval,
    "succeed": lambda _step: "ends the workflow successfully",
    "fail": _fail,
}


def duration(seconds: float) -> str:
    """``90 s``, ``2 hours``, ``3 days``."""
    for size, unit in ((86_400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            amount = seconds / size
            text = f"{amount:.3g}"
            return f"{text} {unit}{'' if text == '1' else 's'}"
    return f"{seconds:g} s"
