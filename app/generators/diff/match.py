"""Which element of the old design is which element of the new one.

Elements match by id first. Files that leave ids out get them derived from the context and the
name, so a rename or a move changes the derived id; those are caught next: by code name (unique
per kind across a design, so the same code in another context is a move), then by content (one
element vanished and one appeared with the same kind, in the same context, otherwise equal: a
rename).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from app.model import ValidDesign
from app.model.elements import KINDS
from app.model.index import Entry

MATCHED_KINDS = ("contexts", *KINDS)
How = Literal["id", "code", "content"]


@dataclass(frozen=True)
class Pair:
    """An element present in both designs, and how it was recognised."""

    kind: str
    old: Entry
    new: Entry
    how: How


@dataclass(frozen=True)
class Matching:
    """Pairs in new-file order, then what only the old and only the new design have."""

    pairs: tuple[Pair, ...]
    removed: tuple[Entry, ...]
    added: tuple[Entry, ...]
    new_id: dict[str, str]
    """Old element id → the id of the matching new element."""


def content(element: Any) -> Any:
    """An element's data without its identity (ids, name, code), for telling renames apart."""
    return _without_ids(element.model_dump(mode="json", exclude={"id", "name", "code"}))


def _without_ids(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_ids(v) for k, v in node.items() if k != "id"}
    if isinstance(node, list):
        return [_without_ids(v) for v in node]
    return node


def _pair_up(
    olds: list[Entry], news: list[Entry], key_old: Any, key_new: Any, unique: bool = False
) -> list[tuple[Entry, Entry]]:
    """Pairs of entries whose keys agree, each entry used once, in old-file order.

    ``unique``: pair only where exactly one old and one new entry share the key (a guess is
    made only when there is nothing to choose between).
    """
    waiting: dict[Any, list[Entry]] = {}
    for entry in news:
        waiting.setdefault(key_new(entry), []).append(entry)
    keys = [key_old(entry) for entry in olds]
    pairs = []
    for entry, key in zip(olds, keys, strict=True):
        if unique and (keys.count(key) != 1 or len(waiting.get(key, ())) != 1):
            continue
        if waiting.get(key):
            pairs.append((entry, waiting[key].pop(0)))
    return pairs


def match_designs(old: ValidDesign, new: ValidDesign) -> Matching:
    """Match every context and element (workflow steps aside) of two designs."""
    from app.generators.diff.compare import Side

    new_id: dict[str, str] = {}
    how: dict[str, How] = {}
    old_side, new_side = Side(old, new_id), Side(new, None)

    def same_old(entry: Entry) -> tuple[Any, ...]:
        return _context_key(entry, new_id) + (_comparable(entry, old_side),)

    def same_new(entry: Entry) -> tuple[Any, ...]:
        return _context_key(entry, None) + (_comparable(entry, new_side),)

    waiting = {k: (list(old.of_kind(k)), list(new.of_kind(k))) for k in MATCHED_KINDS}
    stages: list[tuple[How, Any, Any]] = [
        ("id", lambda e: e.id, lambda e: e.id),
        ("code", lambda e: old.code(e.id).lower(), lambda e: new.code(e.id).lower()),
    ]
    # Content last, after every kind matched by identity: references then compare equal.
    for stage, key_old, key_new in [*stages, ("content", same_old, same_new)]:
        for olds, news in waiting.values():
            for a, b in _pair_up(olds, news, key_old, key_new, unique=stage == "content"):
                new_id[a.id] = b.id
                how[b.id] = stage
                olds.remove(a)
                news.remove(b)
    matched_new = {v: k for k, v in new_id.items()}
    pairs = tuple(
        Pair(kind, old.entry(matched_new[entry.id]), entry, how[entry.id])
        for kind in MATCHED_KINDS
        for entry in new.of_kind(kind)
        if entry.id in matched_new
    )
    removed = tuple(e for kind in MATCHED_KINDS for e in old.of_kind(kind) if e.id not in new_id)
    added = tuple(e for kind in MATCHED_KINDS for e in new.of_kind(kind) if e.id not in matched_new)
    return Matching(pairs, removed, added, new_id)


def _comparable(entry: Entry, side: Any) -> Any:
    """What must be equal for a vanished and an appeared element to be one renamed element."""
    if entry.kind == "contexts":
        return _frozen(content(entry.element))
    steps = getattr(entry.element, "steps", None)
    raw_steps = _frozen(content(entry.element).get("steps")) if steps is not None else None
    return (_frozen(side.data(entry)), raw_steps)


def _context_key(entry: Entry, new_id: dict[str, str] | None) -> tuple[str, ...]:
    """The (new) id of the entry's context; contexts themselves have none."""
    if entry.context is None:
        return ()
    context_id = entry.context.id or ""
    if new_id is not None:
        return (new_id.get(context_id, f"old:{context_id}"),)
    return (context_id,)


def _frozen(node: Any) -> Any:
    """A hashable copy of JSON data."""
    if isinstance(node, dict):
        return tuple((k, _frozen(v)) for k, v in sorted(node.items()))
    if isinstance(node, list):
        return tuple(_frozen(v) for v in node)
    return node


def match_steps(
    old: list[Entry], new: list[Entry]
) -> tuple[list[tuple[Entry, Entry]], list[Entry], list[Entry]]:
    """Match the steps of one workflow: by id, then by name, then by equal content."""
    olds, news = list(old), list(new)
    pairs: list[tuple[Entry, Entry]] = []
    keys = (lambda e: e.id, lambda e: e.element.name, lambda e: _frozen(content(e.element)))
    for stage, key in enumerate(keys):
        for a, b in _pair_up(olds, news, key, key, unique=stage == 2):
            pairs.append((a, b))
            olds.remove(a)
            news.remove(b)
    order = {e.id: i for i, e in enumerate(new)}
    pairs.sort(key=lambda p: order[p[1].id])
    return pairs, olds, news
