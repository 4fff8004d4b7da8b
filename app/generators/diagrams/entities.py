"""The table entity diagram: entities with their keys, item collections, indexes, and the
access pattern each index serves.

From the table plan (``app.generators.table.plan_table``): every entity with its table key
templates, every GSI/LSI with the entities it indexes, and each access pattern joined to the
index (or the table) that serves it, labelled with its operation (``Query``, ``GetItem``…).
One-to-many relationships are item collections (the children live under the parent's
partition), many-to-many ones adjacency lists. When the design cannot be planned yet, the
diagram falls back to what the model says: entities, relationships, patterns.
"""

from __future__ import annotations

from typing import Any

from app.generators.diagrams.render import Cluster, Edge, Graph, Node
from app.model import DesignError, ValidDesign
from app.model.validate import identifiers_of


def entities_graph(valid: ValidDesign) -> Graph:
    """Entities clustered by context, relationships, indexes and the patterns they serve."""
    graph = Graph(f"{valid.design.name} — table entities")
    plan = _plan(valid)
    for entry in valid.of_kind("contexts"):
        graph.add_cluster(Cluster(entry.id, entry.element.name))
    for entry in valid.of_kind("aggregates"):
        aggregate = entry.element
        code = valid.code(aggregate)
        detail = "id: " + ", ".join(identifiers_of(aggregate, code))  # type: ignore[arg-type]
        if plan is not None and code in plan.entities:
            table = plan.templates(code).get("table")
            if table is not None:
                detail = f"PK {table[0]} · SK {table[1]}"
        ttl = getattr(aggregate, "ttl", None)
        if ttl:
            detail += f" · TTL {ttl}"
        graph.add_node(
            Node(
                entry.id,
                "aggregate",
                aggregate.name,
                entry.context.id if entry.context else None,
                detail,
                aggregate.name,
            )
        )
    for entry in valid.of_kind("aggregates"):
        relationships = entry.element.relationships  # type: ignore[attr-defined]
        for relation, child in zip(
            relationships, valid.targets(entry.element, "relationships"), strict=False
        ):
            label = (
                "item collection 1 → n"
                if relation.kind == "one-to-many"
                else "adjacency list n ↔ n"
            )
            graph.add_edge(Edge(entry.id, child.id, label, "data"))
    by_code = {valid.code(e.element): e for e in valid.of_kind("aggregates")}
    if plan is not None:
        for slot in plan.slots:
            if slot.kind == "table":
                continue
            key = f"index/{slot.name}"
            graph.add_node(Node(key, "index", slot.name, None, slot.kind.upper()))
            for code in slot.layouts:
                if code in by_code:
                    templates = plan.templates(code).get(slot.name, ("", ""))
                    graph.add_edge(Edge(by_code[code].id, key, f"{templates[0]}", "data"))
    for entry in valid.of_kind("access_patterns"):
        pattern = entry.element
        entity = valid.target(pattern, "entity")
        if entity is None:
            continue
        graph.add_node(
            Node(
                entry.id,
                "pattern",
                pattern.name,
                entry.context.id if entry.context else None,
                _describe(pattern),
                pattern.name,
            )
        )
        operation = plan.operations.get(valid.code(pattern)) if plan is not None else None
        if operation is not None and operation.index:
            graph.add_edge(Edge(entry.id, f"index/{operation.index}", operation.call, "data"))
        elif operation is not None:
            graph.add_edge(Edge(entry.id, entity.id, f"{operation.call} on the table", "data"))
        else:
            graph.add_edge(Edge(entry.id, entity.id, pattern.action, "data"))  # type: ignore[attr-defined]
        for child in valid.targets(pattern, "include"):
            graph.add_edge(Edge(entry.id, child.id, "includes", "data"))
    return graph


def _plan(valid: ValidDesign) -> Any:
    """The table plan, or None when the planner is missing or cannot plan this design yet."""
    try:
        from app.generators.table.plan import plan_table
    except ImportError:
        return None
    try:
        return plan_table(valid)
    except DesignError:
        return None


def _describe(pattern: object) -> str:
    parts = []
    by = getattr(pattern, "by", [])
    if by:
        parts.append("by " + ", ".join(by))
    filters = getattr(pattern, "filters", {})
    if filters:
        parts.append("where " + ", ".join(f"{k}={v}" for k, v in sorted(filters.items())))
    sort = getattr(pattern, "sort", None)
    if sort:
        parts.append(f"sorted by {sort} {getattr(pattern, 'order', 'asc')}")
    return "; ".join(parts)
