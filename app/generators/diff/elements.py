"""The plain-language changes to a design's elements, settings and workflow steps."""

from __future__ import annotations

from collections.abc import Iterator

from app.generators.diff.changes import ACTIONS, Change
from app.generators.diff.compare import Side, deltas
from app.generators.diff.match import MATCHED_KINDS, Matching, Pair, match_designs, match_steps
from app.generators.diff.sentences import field_sentence, setting_sentence, value_text
from app.model import ValidDesign
from app.model.elements import SINGULAR
from app.model.index import Entry
from app.model.workflow import step_kind


def element_changes(old: ValidDesign, new: ValidDesign) -> tuple[Change, ...]:
    """Every change to the design, grouped by context, in a stable order.

    Design-level changes (name, description, settings) come first; then each context in the
    new design's order, then contexts only the old design had. Within a context: additions,
    removals, renames, moves and field changes, each in board order.
    """
    matching = match_designs(old, new)
    old_side, new_side = Side(old, matching.new_id), Side(new, None)
    found = list(_design_changes(old, new))
    now_called = {e.id: e.element.name for e in new.of_kind("contexts")}
    for entry in matching.removed:
        context = _context_of(entry)
        if entry.kind != "contexts":
            matched = matching.new_id.get(entry.context.id or "")  # type: ignore[union-attr]
            context = now_called.get(matched or "", context)
        found.append(_whole("removed", entry, context, f"removed {_called(entry)}"))
    for entry in matching.added:
        found.append(_whole("added", entry, _context_of(entry), f"added {_called(entry)}"))
    for pair in matching.pairs:
        found += _pair_changes(pair, old_side, new_side)
    return tuple(_ordered(found, old, new, matching))


def _called(entry: Entry) -> str:
    return f"the {SINGULAR[entry.kind]} {entry.element.name}"


def _context_of(entry: Entry) -> str:
    return entry.element.name if entry.kind == "contexts" else entry.context.name  # type: ignore[union-attr]


def _whole(action: str, entry: Entry, context: str, text: str) -> Change:
    return Change(action, entry.kind, entry.id, entry.element.name, context, text)  # type: ignore[arg-type]


def _design_changes(old: ValidDesign, new: ValidDesign) -> Iterator[Change]:
    a, b = old.design, new.design
    if a.name != b.name:
        text = f"the design's name changed from {a.name} to {b.name}"
        yield Change("changed", "design", None, b.name, None, text, "name", a.name, b.name)
    if a.description != b.description:
        text = "the design's description changed"
        yield Change("changed", "design", None, b.name, None, text, "description")
    old_settings = a.settings.model_dump(mode="json")
    new_settings = b.settings.model_dump(mode="json")
    for delta in deltas(old_settings, new_settings):
        text = setting_sentence(delta.path, delta.old, delta.new)
        field = "settings." + ".".join(delta.path)
        yield Change(
            "changed", "settings", None, "settings", None, text, field, delta.old, delta.new
        )
    old_accepted = {(f.rule, f.element): f for f in a.accepted_findings}
    new_accepted = {(f.rule, f.element): f for f in b.accepted_findings}
    for key in [k for k in new_accepted if k not in old_accepted]:
        text = f"the finding {key[0]} on {_name_of(new, key[1])} is now accepted"
        yield Change(
            "changed", "design", None, b.name, None, text, "accepted_findings", None, key[0]
        )
    for key in [k for k in old_accepted if k not in new_accepted]:
        text = f"the finding {key[0]} on {_name_of(old, key[1])} is no longer accepted"
        yield Change(
            "changed", "design", None, b.name, None, text, "accepted_findings", key[0], None
        )


def _name_of(valid: ValidDesign, element_id: str) -> str:
    entry = valid.entries.get(element_id)
    return entry.element.name if entry is not None else element_id


def _pair_changes(pair: Pair, old: Side, new: Side) -> Iterator[Change]:
    a, b = pair.old, pair.new
    kind, name, context = pair.kind, b.element.name, _context_of(b)
    singular = SINGULAR[kind]
    if a.element.name != b.element.name:
        text = f"renamed the {singular} {a.element.name} to {b.element.name}"
        yield Change("renamed", kind, b.id, name, context, text, "name", a.element.name, name)
    elif a.element.code != b.element.code:
        text = (
            f"the code name of {name} changed from {old.valid.code(a.id)} to {new.valid.code(b.id)}"
        )
        yield Change(
            "changed", kind, b.id, name, context, text, "code", a.element.code, b.element.code
        )
    if kind != "contexts" and old.new_id is not None:
        was = a.context.id or ""  # type: ignore[union-attr]
        if old.new_id.get(was) != b.context.id:  # type: ignore[union-attr]
            text = f"moved the {singular} {name} from {_context_of(a)} to {context}"
            yield Change(
                "moved", kind, b.id, name, context, text, "context", _context_of(a), context
            )
    if kind == "contexts":
        if a.element.description != b.element.description:
            text = f"the description of the context {name} changed"
            yield Change("changed", kind, b.id, name, context, text, "description")
        return
    for delta in deltas(old.data(a), new.data(b)):
        text = field_sentence(kind, name, delta, old, new)
        field = ".".join(delta.path) + (f"[{delta.item}]" if delta.item else "")
        yield Change(
            "changed", kind, b.id, name, context, text, field,
            _json(delta.old, old), _json(delta.new, new),
        )  # fmt: skip
    if kind == "workflows":
        yield from _step_changes(pair, old, new)


def _json(value: object, side: Side) -> object:
    """A value for the JSON diff: references by name, not by token."""
    if isinstance(value, str) and value.startswith("ref:"):
        return side.name_of(value)
    if isinstance(value, list):
        return [_json(v, side) for v in value]
    if isinstance(value, dict):
        return {k: _json(v, side) for k, v in value.items()}
    return value


def _steps_of(valid: ValidDesign, workflow_id: str) -> list[Entry]:
    return [
        e for e in valid.of_kind("steps") if e.workflow is not None and e.workflow.id == workflow_id
    ]


def _step_changes(pair: Pair, old: Side, new: Side) -> Iterator[Change]:
    workflow, context = pair.new.element.name, _context_of(pair.new)
    old_steps, new_steps = _steps_of(old.valid, pair.old.id), _steps_of(new.valid, pair.new.id)
    pairs, removed, added = match_steps(old_steps, new_steps)

    def change(text: str, field: str, before: object = None, after: object = None) -> Change:
        return Change(
            "changed", "workflows", pair.new.id, workflow, context, text, field, before, after
        )

    for entry in removed:
        yield change(
            f"the workflow {workflow} no longer has the step {entry.element.name}",
            "steps", entry.element.name, None,
        )  # fmt: skip
    for entry in added:
        kind = step_kind(entry.element)  # type: ignore[arg-type]
        yield change(
            f"the workflow {workflow} now has the step {entry.element.name} ({kind})",
            "steps", None, entry.element.name,
        )  # fmt: skip
    for a, b in pairs:
        before, after = a.element.name, b.element.name
        step = f"the step {after} of {workflow}"
        if before != after:
            yield change(
                f"renamed the step {before} of {workflow} to {after}", "steps.name", before, after
            )
        kind_a, kind_b = step_kind(a.element), step_kind(b.element)  # type: ignore[arg-type]
        if kind_a != kind_b:
            yield change(
                f"{step} changed from a {kind_a} step to a {kind_b} step",
                "steps.kind",
                kind_a,
                kind_b,
            )
            continue
        for delta in deltas(old.data(a), new.data(b)):
            field = f"steps[{after}]." + ".".join(delta.path)
            text = field_sentence("steps", step, delta, old, new)
            yield change(text, field, _json(delta.old, old), _json(delta.new, new))
    order_a = [e.element.name for e in old_steps if (*e.loc[:-1],) == (*pair.old.loc, "steps")]
    order_b = [e.element.name for e in new_steps if (*e.loc[:-1],) == (*pair.new.loc, "steps")]
    renamed = {a.element.name: b.element.name for a, b in pairs}
    kept = [renamed[n] for n in order_a if n in renamed]
    if [n for n in order_b if n in kept] != kept:
        text = f"the steps of {workflow} now run in the order {value_text(order_b)}"
        yield change(text, "steps.order", kept, order_b)


def _ordered(
    found: list[Change], old: ValidDesign, new: ValidDesign, matching: Matching
) -> list[Change]:
    """Design first, then contexts in new-file order, then removed contexts; within a context,
    by action, then by kind in board order (the sort is stable: file order is kept)."""
    contexts = [e.element.name for e in new.of_kind("contexts")]
    contexts += [e.element.name for e in matching.removed if e.kind == "contexts"]
    group = {name: i + 1 for i, name in reversed(list(enumerate(contexts)))}
    kinds = {k: i for i, k in enumerate(("design", "settings", *MATCHED_KINDS))}
    return sorted(
        found,
        key=lambda c: (
            group.get(c.context, 0) if c.context is not None else 0,
            ACTIONS.index(c.action) if c.kind != "contexts" else -1,
            kinds[c.kind],
        ),
    )
