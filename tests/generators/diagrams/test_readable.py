"""Readable diagrams: on every starter's diagrams and the large design's full event flow, no two
nodes overlap and no label sticks out of its node (measured from the boxes in the SVG, with the
font's own character widths)."""

from __future__ import annotations

import re

import pytest

from app.generators.diagrams import diagram_graphs, event_flow_graph, render, to_mermaid
from app.generators.diagrams.mermaid import MAX_EDGES
from tests.generators.diagrams.factories import STARTERS, case_id, large, load
from tests.generators.diagrams.svg_boxes import drawn_nodes, readability_problems


@pytest.mark.parametrize("path", STARTERS, ids=case_id)
def test_starter_diagrams_are_readable(path) -> None:
    for stem, graph in diagram_graphs(load(path)).items():
        svg = render(graph)
        assert len(drawn_nodes(svg)) == len(graph.nodes), stem
        assert readability_problems(svg) == [], stem


def test_large_event_flow_is_readable() -> None:
    graph = event_flow_graph(large())
    assert len(graph.nodes) >= 200
    svg = render(graph)
    assert len(drawn_nodes(svg)) == len(graph.nodes)
    assert readability_problems(svg) == []


def test_large_design_is_summarised_without_losing_the_flow() -> None:
    valid = large()
    graph = event_flow_graph(valid)
    assert "summary" in graph.title
    kinds = {n.kind for n in graph.nodes.values()}
    assert "queue" not in kinds and "actor" not in kinds and "read_model" not in kinds
    for kind, node_kind in (("events", "event"), ("commands", "command"), ("policies", "policy")):
        drawn = {n.key for n in graph.nodes.values() if n.kind == node_kind}
        assert drawn == {e.id for e in valid.of_kind(kind)}
    assert all(e.label == "" or e.kind == "event" for e in graph.edges.values())
    one = valid.of_kind("contexts")[0]
    detailed = event_flow_graph(valid, f"context:{valid.code(one.element)}")
    assert "queue" in {n.kind for n in detailed.nodes.values()}


def test_large_mermaid_stays_within_mermaids_edge_limit() -> None:
    graph = event_flow_graph(large())
    text = to_mermaid(graph)
    arrows = [line for line in text.splitlines() if re.match(r"\s+n\d+ (-->|-\.->)", line)]
    assert len(graph.edges) > MAX_EDGES and len(arrows) == MAX_EDGES
    assert f"{MAX_EDGES} of {len(graph.edges)} connections" in text


def test_the_check_notices_a_clipped_label() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g class="node" id="node1">'
        b'<polygon points="0,0 40,0 40,-20 0,-20 0,0"/>'
        b'<text text-anchor="middle" x="20" y="-6" font-size="11">far too long a label</text>'
        b'</g><g class="node" id="node2"><polygon points="30,0 60,0 60,-20 30,-20 30,0"/>'
        b"</g></svg>"
    )
    problems = readability_problems(svg)
    assert any("clipped" in p for p in problems) and any("overlaps" in p for p in problems)
