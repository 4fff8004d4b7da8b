"""Key layouts: which attributes form an entity's partition and sort key in one index, and
whether a layout serves a pattern."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations, permutations
from typing import Any

from app.generators.table.keys import KEY_TYPES, Entity
from app.generators.table.needs import EXISTS, Need

MAX_SORT_PARTS = 4


@dataclass(frozen=True)
class Layout:
    """An entity's key in one index: partition attributes, sort attributes (identifiers last),
    and the conditions an item must meet to appear in the index at all (sparse)."""

    partition: tuple[str, ...]
    sort: tuple[str, ...]
    sparse: tuple[tuple[str, Any], ...] = ()
    shards: int = 1

    @property
    def attributes(self) -> tuple[str, ...]:
        return self.partition + self.sort

    def prefix_length(self, need: Need) -> int:
        """How many leading sort attributes the pattern fixes by equality."""
        k = 0
        while k < len(self.sort) and self.sort[k] in need.equal:
            k += 1
        return k


def serves(layout: Layout, need: Need, entity: Entity) -> bool:
    """Whether one Query (or GetItem) on this layout returns exactly the pattern's items."""
    sparse = set(layout.sparse)
    if not sparse <= need.conditions:
        return False
    by_sparse = {a for a, v in sparse if v is not EXISTS}
    equal = set(need.equal)
    if not set(layout.partition) <= equal:
        return False
    k = layout.prefix_length(need)
    if not equal - set(layout.partition) - by_sparse <= set(layout.sort[:k]):
        return False
    if need.sort is not None:
        if k >= len(layout.sort) or layout.sort[k] != need.sort:
            return False
        if need.range == "lt" and k == len(layout.sort) - 1:
            return False  # nothing after the value to tell "equal" from "less" in one condition
    implied = equal | set(need.exists) | ({need.sort} if need.sort else set())
    if any(not entity.required(a) and a not in implied for a in layout.attributes):
        return False  # the index would lose items the pattern must return
    return all((a, EXISTS) in sparse or a in layout.attributes for a in need.exists)


def whole_key(layout: Layout, need: Need) -> bool:
    """Whether the pattern's values give the full key, so one GetItem reads the item."""
    return not need.many and set(layout.attributes) <= set(need.equal) and not layout.sparse


def candidates(
    needs: list[Need], entity: Entity, *, table: bool, partition: tuple[str, ...] | None = None
) -> Iterator[Layout]:
    """Layouts serving every one of ``needs`` on ``entity``, most partitioned first, then with
    the shortest sort key; ``partition`` fixes the partition (local indexes, item collections)."""
    common = set(needs[0].equal)
    for need in needs[1:]:
        common &= set(need.equal)
    usable = [a for a in dict.fromkeys(a for n in needs for a in n.equal) if a in common]
    usable = [a for a in usable if entity.type_of(a) in KEY_TYPES]
    if table:
        usable = [a for a in usable if entity.required(a)]
    shared = frozenset.intersection(*(n.conditions for n in needs))
    sparse_options: list[tuple[tuple[str, Any], ...]] = [()]
    if not table and shared:
        sparse_options = [_sorted(shared), _sorted(c for c in shared if c[1] is EXISTS), ()]
        sparse_options = list(dict.fromkeys(sparse_options))
    if partition is not None:
        partitions: list[tuple[str, ...]] = [partition]
    else:
        partitions = [
            tuple(sorted(chosen))
            for size in range(len(usable), -1, -1)
            for chosen in combinations(usable, size)
            if size or not table
        ]
    pool = [
        a
        for a in dict.fromkeys(a for n in needs for a in (*n.equal, *([n.sort] if n.sort else [])))
        if entity.type_of(a) in KEY_TYPES and (not table or entity.required(a))
    ]
    for chosen_partition in partitions:
        rest = [a for a in pool if a not in chosen_partition]
        for sparse in sparse_options:
            for size in range(0, min(len(rest), MAX_SORT_PARTS) + 1):
                for order in permutations(rest, size):
                    tail = tuple(
                        i for i in entity.ids if i not in chosen_partition and i not in order
                    )
                    layout = Layout(chosen_partition, order + tail, sparse)
                    if all(serves(layout, n, entity) for n in needs) and (
                        not any(n.keyed for n in needs)
                        or all(whole_key(layout, n) for n in needs if n.keyed)
                    ):
                        yield layout


def first_candidate(
    needs: list[Need], entity: Entity, *, table: bool, partition: tuple[str, ...] | None = None
) -> Layout | None:
    return next(candidates(needs, entity, table=table, partition=partition), None)


def conflict(a: Need, b: Need, entity: Entity) -> bool:
    """Two patterns on one entity conflict when no single layout serves both."""
    return first_candidate([a, b], entity, table=False) is None


def _sorted(conditions: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(conditions, key=lambda c: (c[0], str(c[1]))))
