"""Event flow, its views, the context map and the entity diagram, built from small designs."""

from __future__ import annotations

import pytest

from app.generators.diagrams import (
    UnknownView,
    View,
    context_map_graph,
    diagram_files,
    entities_graph,
    event_flow_graph,
    event_flow_svg,
)
from app.generators.diagrams.render import Graph
from tests.generators.diagrams.factories import billing, design, ordering


def labels(graph: Graph, kind: str | None = None) -> set[str]:
    return {n.label for n in graph.nodes.values() if kind is None or n.kind == kind}


def edge_labels(graph: Graph) -> set[tuple[str, str, str]]:
    return {
        (graph.nodes[e.source].label, graph.nodes[e.target].label, e.label)
        for e in graph.edges.values()
    }


@pytest.fixture
def shop():
    return design([ordering(), billing()])


def test_producers_bus_rules_queues_consumers_and_stores(shop) -> None:
    graph = event_flow_graph(shop)
    assert {"Place order", "Cancel order", "Ship order", "Charge"} <= labels(graph, "command")
    assert {"Order placed", "Charged"} <= labels(graph, "event")
    assert labels(graph, "policy") == {"Ship when placed", "Charge when placed"}
    assert labels(graph, "queue") == {"ShipWhenPlaced queue"}  # direct delivery has none
    assert labels(graph, "aggregate") == {"Order"}
    assert labels(graph, "read_model") == {
        "Orders of customer",
        "Order details",
        "Orders by status",
    }
    assert labels(graph, "external") == {"Payment provider"}
    assert labels(graph, "schedule") == {"Nightly charge"}
    assert labels(graph, "hotspot") == {"Refunds?"}
    edges = edge_labels(graph)
    assert ("Place order", "Order placed", "") in edges
    assert ("Order placed", "Ship when placed", "Order placed") in edges  # named after the event
    assert ("Ship when placed", "ShipWhenPlaced queue", "") in edges
    assert ("ShipWhenPlaced queue", "Ship order", "") in edges
    assert ("Charge when placed", "Charge", "") in edges
    assert ("Place order", "Order", "writes") in edges
    assert ("Order", "Orders of customer", "reads") in edges
    assert ("Payment provider", "Charged", "") in edges
    assert ("Charge", "Payment provider", "calls out") in edges
    assert ("Nightly charge", "Charge", "runs") in edges


def test_elements_sit_in_the_cluster_of_their_context(shop) -> None:
    graph = event_flow_graph(shop)
    clusters = {c.key: c.label for c in graph.clusters.values()}
    homes = {n.label: clusters[n.cluster] for n in graph.nodes.values() if n.cluster}
    assert homes["Place order"] == "Ordering" and homes["Charge"] == "Billing"
    assert homes["ShipWhenPlaced queue"] == "Ordering"


def test_context_view_keeps_its_context_and_the_neighbours_it_talks_to(shop) -> None:
    graph = event_flow_graph(shop, "context:Billing")
    assert {"Charge", "Charged", "Charge when placed", "Payment provider"} <= labels(graph)
    assert "Order placed" in labels(graph)  # the event it reacts to, from Ordering
    assert "Cancel order" not in labels(graph) and "Orders of customer" not in labels(graph)


def test_follow_one_event_shows_upstream_and_downstream(shop) -> None:
    graph = event_flow_graph(shop, View("event", "OrderPlaced"))
    assert {
        "Customer",
        "Place order",
        "Order placed",
        "Ship when placed",
        "Ship order",
        "Order shipped",
        "Charge when placed",
        "Charge",
        "Charged",
    } <= labels(graph)
    assert "Cancel order" not in labels(graph) and "Order cancelled" not in labels(graph)


def test_unknown_views_are_refused(shop) -> None:
    with pytest.raises(UnknownView):
        event_flow_graph(shop, "context:Nowhere")
    with pytest.raises(UnknownView):
        event_flow_graph(shop, "sideways")


def test_studio_function_returns_svg(shop) -> None:
    assert event_flow_svg(shop, "context:Ordering").lstrip().startswith(b"<?xml")


def test_context_map_lists_events_and_calls_between_contexts(shop) -> None:
    graph = context_map_graph(shop)
    assert labels(graph, "context") == {"Ordering", "Billing"}
    edges = edge_labels(graph)
    assert ("Ordering", "Billing", "Order placed") in edges
    assert ("Billing", "Payment provider", "calls calls out") in edges
    assert ("Payment provider", "Billing", "Charged") in edges


def test_entities_show_relationships_and_patterns() -> None:
    line = {
        "name": "Order line",
        "identifier": "lineId",
        "attributes": {"lineId": "string", "orderId": "string"},
    }
    context = ordering()
    context["aggregates"][0]["relationships"] = [{"entity": "Order line"}]
    context["aggregates"].append(line)
    graph = entities_graph(design([context]))
    assert labels(graph, "aggregate") == {"Order", "Order line"}
    assert {"Orders by customer", "Order by id"} <= labels(graph, "pattern")
    edges = edge_labels(graph)
    assert ("Order", "Order line", "item collection 1 → n") in edges
    assert any(s == "Order by id" and t in ("Order", "GSI1") for s, t, _ in edges)


def test_entities_name_the_index_that_serves_each_pattern() -> None:
    graph = entities_graph(design([ordering()]))
    indexes = labels(graph, "index")
    assert indexes, "the entity diagram names no index"
    patterns = labels(graph, "pattern")
    serving = [(s, t, label) for s, t, label in edge_labels(graph) if s in patterns]
    assert sorted(s for s, _, _ in serving) == sorted(patterns)  # one operation per pattern
    assert all(label.startswith(("Query", "GetItem")) for _, _, label in serving)
    assert any(t in indexes for _, t, _ in serving)


def test_generator_writes_every_format_of_every_diagram(shop) -> None:
    paths = {a.path for a in diagram_files(shop)}
    for stem in (
        "event-flow",
        "context-map",
        "entities",
        "contexts/Ordering.event-flow",
        "contexts/Billing.event-flow",
    ):
        for suffix in ("dot", "mmd", "svg"):
            assert f"diagrams/{stem}.{suffix}" in paths
