"""The event-flow diagram: producers → events on the bus → rules → queues → consumers → stores.

Producers are commands (with their routes), schedules, webhooks and external systems, and
upload or stream sources; each event a producer emits is an orange node on the bus; a policy is
the rule that matches it (the edge carries the event name, the rule's detail-type), with its
queue when delivery is queued, then the consuming command or workflow, and the aggregate whose
items it writes. Everything sits in the cluster of its bounded context.

Three views: the whole design, one bounded context (with the elements of other contexts it
talks to), and "follow one event" (everything upstream and downstream of it).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from app.generators.diagrams.render import Cluster, Edge, Graph, Node
from app.model import ValidDesign
from app.model.elements import Emit
from app.model.index import Entry
from app.model.workflow import ServiceStep, TaskStep

_KIND_OF = {
    "actors": "actor",
    "commands": "command",
    "events": "event",
    "aggregates": "aggregate",
    "policies": "policy",
    "read_models": "read_model",
    "external_systems": "external",
    "schedules": "schedule",
    "sources": "source",
    "workflows": "workflow",
    "hotspots": "hotspot",
}
_DETAIL_KINDS = ("commands", "read_models", "workflows")
SUMMARY_ABOVE = 300
"""Elements in a design above which its whole event flow is drawn in summary."""


class UnknownView(ValueError):
    """A view names a bounded context or an event the design does not have."""


@dataclass(frozen=True)
class View:
    """Which part of the event flow to draw: ``all``, ``context:<code>`` or ``event:<code>``."""

    scope: str = "all"
    code: str = ""

    @classmethod
    def parse(cls, text: str | None) -> View:
        if not text or text == "all":
            return cls()
        scope, _, code = text.partition(":")
        if scope not in ("context", "event") or not code:
            raise UnknownView(f"unknown view {text!r}; use all, context:<code> or event:<code>")
        return cls(scope, code)


def event_flow_graph(valid: ValidDesign, view: View | str | None = None) -> Graph:
    """The event-flow diagram of a design, or of one view of it.

    The whole design is drawn in summary when it has more than ``SUMMARY_ABOVE`` elements:
    queues folded into their policies, actors left to the context views, and only event names
    written on edges (line style and colour still tell writes, reads and calls apart).
    """
    chosen = view if isinstance(view, View) else View.parse(view)
    if chosen.scope == "all":
        size = sum(len(valid.of_kind(kind)) for kind in _KIND_OF)
        return _whole(valid, summary=size > SUMMARY_ABOVE)
    graph = _whole(valid, summary=False)
    if chosen.scope == "context":
        return _context_view(valid, graph, chosen.code)
    if chosen.scope == "event":
        return _event_view(valid, graph, chosen.code)
    return graph


def _whole(valid: ValidDesign, summary: bool) -> Graph:
    graph = Graph(f"{valid.design.name} — event flow", loose_between_clusters=True)
    for entry in valid.of_kind("contexts"):
        graph.add_cluster(Cluster(entry.id, entry.element.name))
    for kind, node_kind in _KIND_OF.items():
        if summary and kind in ("actors", "read_models"):
            continue  # who calls and who reads: shown in the context views
        for entry in valid.of_kind(kind):
            if kind == "hotspots" and entry.element.status != "open":  # type: ignore[attr-defined]
                continue
            graph.add_node(_node(valid, entry, node_kind))
    _producer_edges(valid, graph)
    _rule_edges(valid, graph, summary)
    _workflow_edges(valid, graph)
    _store_edges(valid, graph)
    if summary:
        graph.title += " (summary: the context views show every detail)"
        graph.edges = {
            key: edge if edge.kind == "event" else Edge(edge.source, edge.target, "", edge.kind)
            for key, edge in graph.edges.items()
        }
    return graph


def _node(valid: ValidDesign, entry: Entry, node_kind: str) -> Node:
    element = entry.element
    detail = ""
    if entry.kind in _DETAIL_KINDS:
        detail = getattr(element, "route", None) or ""
    elif entry.kind == "schedules":
        detail = element.expression  # type: ignore[attr-defined]
    elif entry.kind == "sources":
        detail = {
            "bucket": "S3 uploads",
            "table-stream": "DynamoDB stream",
            "kinesis": "Kinesis stream",
        }[element.kind]  # type: ignore[attr-defined]
    elif entry.kind == "external_systems" and element.webhook:  # type: ignore[attr-defined]
        detail = "webhook " + element.webhook.route  # type: ignore[attr-defined]
    cluster = entry.context.id if entry.context else None
    return Node(entry.id, node_kind, element.name, cluster, detail, tooltip=element.name)


def _emit_edges(valid: ValidDesign, graph: Graph, owner: Entry, field: str, emits: list[Emit]):
    for emit, event in zip(emits, valid.targets(owner.element, field), strict=False):
        label = "" if emit.probability >= 1 else f"{emit.probability:.0%} of runs"
        _connect(graph, Edge(owner.id, event.id, label, "event"))


def _producer_edges(valid: ValidDesign, graph: Graph) -> None:
    for entry in valid.of_kind("commands"):
        command = entry.element
        _emit_edges(valid, graph, entry, "emits", command.emits)  # type: ignore[attr-defined]
        for actor in valid.targets(command, "actors"):
            _connect(graph, Edge(actor.id, entry.id, "", "actor"))
    for entry in valid.of_kind("read_models"):
        if entry.id not in graph.nodes:
            continue
        for actor in valid.targets(entry.element, "actors"):
            _connect(graph, Edge(actor.id, entry.id, "", "actor"))
    for entry in valid.of_kind("external_systems"):
        system = entry.element
        _emit_edges(valid, graph, entry, "emits", system.emits)  # type: ignore[attr-defined]
        webhook = system.webhook  # type: ignore[attr-defined]
        if webhook is not None:
            _emit_edges(valid, graph, entry, "webhook.emits", webhook.emits)
            for handler in valid.targets(system, "webhook.command"):
                _connect(graph, Edge(entry.id, handler.id, "webhook", "flow"))
        for function in valid.targets(system, "called_by"):
            _connect(graph, Edge(function.id, entry.id, "calls out", "call"))
    for entry in valid.of_kind("schedules"):
        for field in ("command", "workflow"):
            if (target := valid.target(entry.element, field)) is not None:
                _connect(graph, Edge(entry.id, target.id, "runs", "flow"))
    for entry in valid.of_kind("sources"):
        if (consumer := valid.target(entry.element, "consumer")) is not None:
            size = entry.element.batch_size  # type: ignore[attr-defined]
            _connect(graph, Edge(entry.id, consumer.id, f"batches of {size}", "flow"))
    for entry in valid.of_kind("calls"):
        caller = valid.target(entry.element, "caller")
        callee = valid.target(entry.element, "callee")
        if caller is not None and callee is not None:
            _connect(graph, Edge(caller.id, callee.id, "calls", "call"))
    for entry in valid.of_kind("hotspots"):
        about = valid.target(entry.element, "about")
        if entry.id in graph.nodes and about is not None and about.id in graph.nodes:
            _connect(graph, Edge(entry.id, about.id, "", "about"))


def _rule_edges(valid: ValidDesign, graph: Graph, summary: bool) -> None:
    for entry in valid.of_kind("policies"):
        policy = entry.element
        event = valid.target(policy, "event")
        if event is not None:
            _connect(graph, Edge(event.id, entry.id, event.element.name, "event"))
        target = valid.target(policy, "command") or valid.target(policy, "workflow")
        if target is None:
            continue
        size = policy.batch_size  # type: ignore[attr-defined]
        if policy.delivery == "queue" and summary:  # type: ignore[attr-defined]
            graph.nodes[entry.id] = replace(
                graph.nodes[entry.id], detail=f"via SQS + DLQ, batches of {size}"
            )
            _connect(graph, Edge(entry.id, target.id, "", "flow"))
        elif policy.delivery == "queue":  # type: ignore[attr-defined]
            queue = f"{entry.id}/queue"
            graph.add_node(
                Node(
                    queue,
                    "queue",
                    f"{valid.code(policy)} queue",
                    entry.context.id if entry.context else None,
                    f"SQS + DLQ, batches of {size}",
                )
            )
            _connect(graph, Edge(entry.id, queue, "", "flow"))
            _connect(graph, Edge(queue, target.id, "", "flow"))
        else:
            _connect(graph, Edge(entry.id, target.id, "", "flow"))


def _workflow_edges(valid: ValidDesign, graph: Graph) -> None:
    for step in valid.of_kind("steps"):
        if step.workflow is None or step.workflow.id not in graph.nodes:
            continue
        workflow_id = step.workflow.id
        if isinstance(step.element, TaskStep):
            if (task := valid.target(step.element, "task")) is not None:
                _connect(graph, Edge(workflow_id, task.id, "runs", "call"))
        elif isinstance(step.element, ServiceStep):
            target = valid.target(step.element, "target")
            if target is None:
                continue
            kind = {"events": "event", "dynamodb": "data"}.get(
                step.element.service.split(":")[0], "call"
            )
            label = "" if kind == "event" else step.element.service
            _connect(graph, Edge(workflow_id, target.id, label, kind))
        for field in ("compensate",):
            if (undo := valid.target(step.element, field)) is not None:
                _connect(graph, Edge(workflow_id, undo.id, "compensates", "call"))


def _store_edges(valid: ValidDesign, graph: Graph) -> None:
    for entry in valid.of_kind("commands"):
        if (aggregate := valid.target(entry.element, "aggregate")) is not None:
            _connect(graph, Edge(entry.id, aggregate.id, "writes", "data"))
    for entry in valid.of_kind("read_models"):
        if entry.id not in graph.nodes:
            continue
        for pattern in valid.targets(entry.element, "access_patterns"):
            if (entity := valid.target(pattern.element, "entity")) is not None:
                _connect(graph, Edge(entity.id, entry.id, "reads", "data"))


def _connect(graph: Graph, edge: Edge) -> None:
    """Add an edge unless one end was left out (actors and read models of a summary)."""
    if edge.source in graph.nodes and edge.target in graph.nodes:
        graph.add_edge(edge)


# --- views --------------------------------------------------------------------------------------


def _find(valid: ValidDesign, kind: str, code: str) -> Entry:
    for entry in valid.of_kind(kind):
        if valid.code(entry.element).lower() == code.lower() or entry.id == code:
            return entry
    raise UnknownView(f"no {kind[:-1]} with the code {code!r}")


def _context_view(valid: ValidDesign, graph: Graph, code: str) -> Graph:
    context = _find(valid, "contexts", code)
    own = {k for k, n in graph.nodes.items() if n.cluster == context.id}
    keep = set(own)
    for edge in graph.edges.values():
        if edge.source in own or edge.target in own:
            keep.update((edge.source, edge.target))
    view = graph.subgraph(keep)
    view.title = f"{valid.design.name} — {context.element.name} — event flow"
    return view


def _event_view(valid: ValidDesign, graph: Graph, code: str) -> Graph:
    event = _find(valid, "events", code)
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for edge in graph.edges.values():
        if edge.kind == "about":
            continue
        forward.setdefault(edge.source, []).append(edge.target)
        backward.setdefault(edge.target, []).append(edge.source)
    keep = _reach(event.id, forward) | _reach(event.id, backward)
    keep |= {e.source for e in graph.edges.values() if e.kind == "about" and e.target in keep}
    view = graph.subgraph(keep)
    view.title = f"{valid.design.name} — following {event.element.name}"
    return view


def _reach(start: str, links: dict[str, list[str]]) -> set[str]:
    seen = {start}
    todo = deque([start])
    while todo:
        for nxt in links.get(todo.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
