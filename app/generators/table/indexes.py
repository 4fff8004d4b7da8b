"""Packing patterns into the table and as few global secondary indexes as their conflicts allow."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from app.generators.table.keys import Entity, outside
from app.generators.table.layouts import Layout, candidates, conflict, first_candidate, serves
from app.generators.table.needs import Need, Unserved

MAX_GSIS = 20
MAX_LSIS = 5


@dataclass
class Slot:
    """The table or one of its indexes, with each entity's layout there and what it serves."""

    name: str
    kind: str  # table | gsi | lsi
    layouts: dict[str, Layout] = field(default_factory=dict)
    needs: dict[str, list[Need]] = field(default_factory=dict)
    collections: dict[tuple[str, ...], list[frozenset[str]]] = field(default_factory=dict)
    """Per partition, the entity sets that parent-with-children patterns read as one range."""
    pinned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    complete: set[str] = field(default_factory=set)
    """Entities every item of which must carry this slot's keys (members of a collection)."""
    """Entities whose partition may not change (item collections, local indexes)."""
    served: list[str] = field(default_factory=list)

    @property
    def table(self) -> bool:
        return self.kind == "table"

    def served_needs(self) -> list[Need]:
        return [n for needs in self.needs.values() for n in needs]

    def neighbours(self, partition: tuple[str, ...]) -> set[str]:
        return {code for code, layout in self.layouts.items() if layout.partition == partition}


@dataclass
class Packing:
    """The outcome: slots with their layouts, where each pattern went, what could not be served."""

    slots: list[Slot]
    placed: dict[str, str]
    unserved: list[Unserved]


class _Packer:
    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities
        self.table = Slot("table", "table")
        self.gsis: list[Slot] = []
        self.lsis: list[Slot] = []
        self.placed: dict[str, str] = {}
        self.unserved: list[Unserved] = []

    # --- one slot -----------------------------------------------------------------------------

    def fit(self, slot: Slot, need: Need, refine: bool) -> dict[str, Layout] | None:
        """The layouts to set in ``slot`` so it serves ``need`` (empty when it already does)."""
        if need.include:
            return self.fit_collection(slot, need, refine)
        entity = self.entities[need.entity]
        current = slot.layouts.get(need.entity)
        partition = slot.pinned.get(need.entity)
        if slot.kind == "lsi":
            if need.entity not in self.table.layouts:
                return None
            partition = self.table.layouts[need.entity].partition
        if current is not None:
            if serves(current, need, entity) and (not need.keyed or self.keyed_ok(current, need)):
                return {}
            if not refine:
                return None
        group = [*slot.needs.get(need.entity, []), need]
        for layout in _limited(group, entity, slot, partition, need.entity in slot.complete):
            if self.allowed(slot, need.entity, layout):
                return {need.entity: layout}
        return None

    def keyed_ok(self, layout: Layout, need: Need) -> bool:
        return set(layout.attributes) <= set(need.equal)

    def fit_collection(self, slot: Slot, need: Need, refine: bool) -> dict[str, Layout] | None:
        if slot.kind == "lsi":
            return None
        partition = tuple(sorted(need.equal))
        members = frozenset((need.entity, *need.include))
        labels = [self.entities[c].label for c in members]
        if any(
            not outside(self.entities[c].label, labels)
            for c in slot.neighbours(partition) - members
        ):
            return None
        changes: dict[str, Layout] = {}
        for code in sorted(members):
            entity = self.entities[code]
            current = slot.layouts.get(code)
            pinned = slot.pinned.get(code)
            if pinned is not None and pinned != partition:
                return None
            own = [need] if code == need.entity else []
            if (
                current is not None
                and current.partition == partition
                and complete(current, entity)
                and all(serves(current, n, entity) for n in own)
            ):
                continue
            if current is not None and not refine:
                return None
            group = [*slot.needs.get(code, []), *own]
            if group:
                layout = next(iter(_limited(group, entity, slot, partition, whole=True)), None)
            else:
                tail = tuple(i for i in entity.ids if i not in partition)
                layout = Layout(partition, tail)
            if layout is None or (slot.table and not all(entity.required(a) for a in partition)):
                return None
            changes[code] = layout
        if not all(self.allowed(slot, code, layout) for code, layout in changes.items()):
            return None
        return changes

    def allowed(self, slot: Slot, code: str, layout: Layout) -> bool:
        """Whether the entity may sit in this partition without landing inside the sort-key
        range that a parent-with-children pattern reads."""
        label = self.entities[code].label
        return all(
            code in members or outside(label, [self.entities[c].label for c in members])
            for members in slot.collections.get(layout.partition, [])
        )

    def apply(self, slot: Slot, need: Need, changes: dict[str, Layout]) -> None:
        slot.layouts.update(changes)
        slot.needs.setdefault(need.entity, []).append(need)
        if need.include:
            partition = tuple(sorted(need.equal))
            slot.collections.setdefault(partition, []).append(
                frozenset((need.entity, *need.include))
            )
            for code in (need.entity, *need.include):
                slot.pinned[code] = partition
                slot.complete.add(code)
        if slot.kind == "lsi":
            self.table.pinned[need.entity] = self.table.layouts[need.entity].partition
        slot.served.append(need.pattern)
        self.placed[need.pattern] = slot.name

    def place(self, need: Need, slots: list[Slot]) -> bool:
        for refine in (False, True):
            for slot in slots:
                changes = self.fit(slot, need, refine)
                if changes is not None:
                    self.apply(slot, need, changes)
                    return True
        return False

    # --- all patterns ---------------------------------------------------------------------------

    def run(self, needs: list[Need]) -> Packing:
        reads = [n for n in needs if n.reading]
        for need in (n for n in needs if n.keyed):
            if not self.place(need, [self.table]):
                self.refuse(
                    need,
                    "the table key no longer comes from the identifier alone",
                    "remove the pattern that keys this entity by another attribute",
                )
        for need in (n for n in reads if n.strong):
            self.place_strong(need)
        for need in (n for n in reads if not n.strong):
            self.place_eventual(need)
        for code, entity in self.entities.items():
            if code not in self.table.layouts:
                partition = tuple(sorted(entity.ids))
                if self.allowed(self.table, code, Layout(partition, ())):
                    self.table.layouts[code] = Layout(partition, ())
                else:
                    self.table.layouts[code] = Layout(partition, (), ())
        for need in needs:
            if need.action == "put":
                self.placed[need.pattern] = "table"
        slots = [self.table, *self.lsis, *self.gsis]
        return Packing(slots, self.placed, self.unserved)

    def place_strong(self, need: Need) -> None:
        if self.place(need, [self.table, *self.lsis]):
            return
        if not need.include and self.place_local(need):
            return
        self.refuse(need, *self.strong_refusal(need))

    def place_local(self, need: Need) -> bool:
        """A strong read on an alternate sort: a local index, re-partitioning the entity's table
        key when the pattern needs a coarser partition and the table's own patterns allow it."""
        entity = self.entities[need.entity]
        current = self.table.layouts.get(need.entity)
        options = [current.partition] if current is not None else []
        pinned = self.table.pinned.get(need.entity)
        if pinned is None:
            usable = tuple(sorted(a for a in need.equal if entity.required(a)))
            options += [
                tuple(sorted(c))
                for size in range(len(usable), 0, -1)
                for c in combinations(usable, size)
            ]
        for partition in dict.fromkeys(options):
            if not set(partition) <= set(need.equal):
                continue
            group = self.table.needs.get(need.entity, [])
            table_layout = (
                first_candidate(group, entity, table=True, partition=partition)
                if group
                else Layout(partition, tuple(i for i in entity.ids if i not in partition))
            )
            if table_layout is None or not self.allowed(self.table, need.entity, table_layout):
                continue
            slots = [*self.lsis]
            if len(slots) < MAX_LSIS:
                slots.append(Slot(f"LSI{len(self.lsis) + 1}", "lsi"))
            for slot in slots:
                if need.entity in slot.layouts:
                    continue
                layout = first_candidate([need], entity, table=True, partition=partition)
                if layout is None:
                    return False
                self.table.layouts[need.entity] = table_layout
                if slot not in self.lsis:
                    self.lsis.append(slot)
                self.apply(slot, need, {need.entity: layout})
                return True
        return False

    def strong_refusal(self, need: Need) -> tuple[str, str]:
        """Why a strong read found no place, naming the writes that fixed the table key."""
        wanted = ", ".join(need.equal) or "nothing"
        label = self.entities[need.entity].label
        for members in self.table.collections.get(tuple(sorted(need.equal)), []):
            if need.entity not in members and not outside(
                label, [self.entities[c].label for c in members]
            ):
                reader = next(
                    n
                    for n in self.table.served_needs()
                    if n.include and frozenset((n.entity, *n.include)) == members
                )
                return (
                    f"the table's item collection by {wanted} is read as one sort-key range by "
                    f"'{reader.name}' ({', '.join(sorted(members))}), and "
                    f"{self.entities[need.entity].name} would sort inside that range",
                    f"include {self.entities[need.entity].name} in '{reader.name}', or read "
                    "with eventual consistency",
                )
        blockers = []
        for code in (need.entity, *need.include):
            layout = self.table.layouts.get(code)
            if layout is None or set(layout.partition) <= set(need.equal):
                continue
            for other in self.table.needs.get(code, []):
                if other.keyed:
                    blockers.append((self.entities[code], layout, other))
                    break
        if blockers:
            entity, layout, writer = blockers[0]
            return (
                f"strongly consistent reads run only on the table (or a local index, which shares "
                f"its partition key); the table partitions {entity.name} by "
                f"{', '.join(layout.partition)} because '{writer.name}' writes it by "
                f"{', '.join(writer.equal)}, but this pattern reads by {wanted}",
                f"add {', '.join(a for a in need.equal if a not in writer.equal)} to the 'by' of "
                f"'{writer.name}' so the table can be partitioned by {wanted}, or read with "
                "eventual consistency",
            )
        return (
            "strongly consistent reads run only on the table or a local index, and another "
            f"pattern already keys the table differently for {wanted}",
            "read with eventual consistency",
        )

    def place_eventual(self, need: Need) -> None:
        if self.place(need, [self.table, *self.gsis]):
            return
        if len(self.gsis) < MAX_GSIS:
            slot = Slot(f"GSI{len(self.gsis) + 1}", "gsi")
            changes = self.fit(slot, need, True)
            if changes is not None:
                self.gsis.append(slot)
                self.apply(slot, need, changes)
                return
            self.refuse(
                need,
                "no key layout serves this pattern in one Query",
                "split the pattern, or drop the range or the filters it combines",
            )
            return
        self.refuse(
            need,
            f"the table would need more than {MAX_GSIS} global secondary indexes",
            "merge patterns that read the same entity, or split the table",
        )

    def refuse(self, need: Need, reason: str, fix: str) -> None:
        self.unserved.append(Unserved(need.pattern, need.element_id, need.name, reason, fix))


def complete(layout: Layout, entity: Entity) -> bool:
    """Whether every item of the entity carries this layout's keys (nothing sparse)."""
    return not layout.sparse and all(entity.required(a) for a in layout.attributes)


def _limited(
    group: list[Need],
    entity: Entity,
    slot: Slot,
    partition: tuple[str, ...] | None,
    whole: bool = False,
) -> list[Layout]:
    """The first layout serving the group (one that keeps every item, when ``whole``)."""
    found = (
        layout
        for layout in candidates(
            group, entity, table=slot.kind in ("table", "lsi"), partition=partition
        )
        if not whole or complete(layout, entity)
    )
    first = next(found, None)
    return [first] if first is not None else []


def pack(needs: list[Need], entities: dict[str, Entity]) -> Packing:
    """Place every need: updates and deletes on the table, strong reads on the table or a local
    index, the rest on the table or the first index that serves them without changing a key,
    then the first that can by changing one, and only then a new index."""
    return _Packer(entities).run(needs)


def gsi_lower_bound(needs: list[Need], entities: dict[str, Entity], placed: dict[str, str]) -> int:
    """A lower bound on the GSIs any plan needs: per entity, patterns that pairwise conflict
    each need their own index, except one that the table may hold."""
    best = 0
    for code, entity in entities.items():
        mine = [
            n
            for n in needs
            if n.entity == code
            and n.reading
            and not n.strong
            and not n.include
            and n.pattern in placed
        ]
        clique: list[Need] = []
        for need in mine:
            if all(conflict(need, other, entity) for other in clique):
                clique.append(need)
        best = max(best, len(clique) - 1)
    return best
