"""Identity and lookup: stable ids, code names, and resolution of references between elements."""

from __future__ import annotations

import base64
import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.model.base import Element
from app.model.codes import CodeNameError, derive_code
from app.model.elements import ID_PREFIX, KINDS, SINGULAR, Context, Design
from app.model.errors import Loc
from app.model.workflow import MapStep, ParallelStep, StepBase, Workflow


@dataclass(frozen=True)
class Entry:
    """One element of a design with where it lives."""

    kind: str
    element: Element
    loc: Loc
    context: Context | None = None
    workflow: Workflow | None = None
    scope: Loc = ()
    """For steps: the loc of the step list they belong to (a branch or a map's steps)."""

    @property
    def id(self) -> str:
        assert self.element.id is not None
        return self.element.id


def iter_steps(steps: list, loc: Loc) -> Iterator[tuple[StepBase, Loc, Loc]]:
    """Every step of a step list, nested branches and map steps included, with its loc."""
    for i, step in enumerate(steps):
        step_loc = (*loc, i)
        yield step, step_loc, loc
        if isinstance(step, ParallelStep):
            for b, branch in enumerate(step.parallel):
                yield from iter_steps(branch.steps, (*step_loc, "parallel", b, "steps"))
        elif isinstance(step, MapStep):
            yield from iter_steps(step.map.steps, (*step_loc, "map", "steps"))


def iter_elements(design: Design) -> Iterator[Entry]:
    """Every element of a design in file order: contexts, their elements, workflow steps."""
    for c, context in enumerate(design.contexts):
        yield Entry("contexts", context, ("contexts", c))
        for kind in KINDS:
            for i, element in enumerate(getattr(context, kind)):
                loc = ("contexts", c, kind, i)
                yield Entry(kind, element, loc, context)
                if isinstance(element, Workflow):
                    for step, step_loc, scope in iter_steps(element.steps, (*loc, "steps")):
                        yield Entry("steps", step, step_loc, context, element, scope)


def _stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return f"{prefix}-{base64.b32encode(digest[:10]).decode().lower()}"


def assign_ids(design: Design) -> Design:
    """Give every element without an id a stable one, derived from where it is and its name.

    The same file always gets the same ids, so output stays deterministic; once written back
    to the file an id stays with its element through renames. Mutates and returns ``design``.
    """
    if design.id is None:
        design.id = _stable_id("dsg", design.name)
    seen: dict[tuple[str, ...], int] = {}
    for entry in iter_elements(design):
        if entry.element.id is not None:
            continue
        owner = (
            entry.workflow.id if entry.workflow else (entry.context.name if entry.context else "")
        )
        key = (entry.kind, owner or "", entry.element.name)
        n = seen[key] = seen.get(key, 0) + 1
        entry.element.id = _stable_id(ID_PREFIX[entry.kind], *key, str(n))
    return design


@dataclass
class Lookup:
    """Finds elements of some kinds by id, code or name."""

    kinds: tuple[str, ...]
    by_key: dict[str, list[Entry]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)

    def add(self, entry: Entry, code: str) -> None:
        by_key = self.by_key
        for key in (entry.id, code, entry.element.name):
            bucket = by_key.get(key)
            if bucket is None:
                by_key[key] = [entry]
            elif all(e is not entry for e in bucket):
                bucket.append(entry)
        self.labels.append(entry.element.name)
        if code != entry.element.name:
            self.labels.append(code)

    def find(self, text: str) -> list[Entry]:
        return self.by_key.get(text, [])

    def suggest(self, text: str) -> str | None:
        close = difflib.get_close_matches(text, self.labels, n=1, cutoff=0.6)
        return close[0] if close else None

    def describe(self) -> str:
        return " or ".join(SINGULAR[k] for k in self.kinds)


def effective_code(element: Element) -> str:
    """The element's code name: explicit, or derived from its name (may raise CodeNameError)."""
    return element.code if element.code is not None else derive_code(element.name)


__all__ = [
    "CodeNameError",
    "Entry",
    "Lookup",
    "assign_ids",
    "effective_code",
    "iter_elements",
    "iter_steps",
]
