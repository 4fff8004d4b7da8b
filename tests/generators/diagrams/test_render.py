"""The rendering module: escaping, wrapping, DOT that Graphviz draws, the cache, determinism."""

from __future__ import annotations

import hashlib
import importlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from app.generators.diagrams import diagram_files
from app.generators.diagrams.render import (
    Cluster,
    Edge,
    Graph,
    Node,
    RenderCache,
    RenderError,
    drawable_dot,
    longest_chain,
    render,
    run_dot,
    to_dot,
)
from app.generators.diagrams.text import columns, html_text, quoted, wrap
from tests.generators.diagrams.factories import ROOT, billing, design, ordering

SVG = "{http://www.w3.org/2000/svg}"


def small_graph(label: str = "Place order") -> Graph:
    graph = Graph("Shop")
    graph.add_cluster(Cluster("ctx", "Ordering"))
    graph.add_node(Node("a", "command", label, "ctx", "POST /orders"))
    graph.add_node(Node("b", "event", "Order placed", "ctx"))
    graph.add_edge(Edge("a", "b", "emits", "event"))
    return graph


def svg_texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_wrap_keeps_short_labels_and_breaks_long_ones() -> None:
    assert wrap("Place order") == ["Place order"]
    lines = wrap("Reserve stock for every line of the order before charging")
    assert len(lines) > 1 and all(columns(line) <= 26 for line in lines)
    assert " ".join(lines) == "Reserve stock for every line of the order before charging"


def test_wrap_cuts_very_long_words_and_ends_with_an_ellipsis() -> None:
    lines = wrap("x" * 200)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(columns(line) <= 26 for line in lines)


def test_wide_characters_count_twice() -> None:
    assert columns("注文") == 4
    assert all(columns(line) <= 26 for line in wrap("注文を確定する" * 4))


def test_html_text_leaves_no_markup() -> None:
    escaped = html_text('<b>"x" & {y} [z] |w|')
    assert not set('<>"{}[]|') & set(escaped.replace("&#", ""))


def test_quoted_never_writes_a_backslash() -> None:
    text = quoted('ends with a backslash \\" and a quote')
    assert "\\\\" not in text and text.count('"') - text.count('\\"') == 2


def test_backslash_sequences_stay_literal_text() -> None:
    svg = render(small_graph("\\N \\G \\L"), cache=RenderCache())
    assert "\\N \\G \\L" in svg_texts(svg)


def test_graphviz_draws_every_node_and_edge() -> None:
    svg = render(small_graph(), cache=RenderCache())
    root = ET.fromstring(svg)
    classes = [g.get("class") for g in root.iter(f"{SVG}g")]
    assert classes.count("node") == 2 and classes.count("edge") == 1
    assert classes.count("cluster") == 1
    assert "Place order" in svg_texts(svg) and "command" in svg_texts(svg)


def test_every_kind_is_named_on_its_node_not_only_coloured() -> None:
    svg = render(small_graph(), cache=RenderCache())
    texts = svg_texts(svg)
    assert "command" in texts and "event" in texts


def test_svg_has_no_generator_comment() -> None:
    svg = render(small_graph(), cache=RenderCache())
    assert b"<!--" not in svg and b"graphviz version" not in svg.lower()


def test_cache_renders_each_dot_text_once() -> None:
    cache = RenderCache()
    first = render(small_graph(), cache=cache)
    again = render(small_graph(), cache=cache)
    changed = render(small_graph("Place big order"), cache=cache)
    assert first == again and first != changed
    assert (cache.hits, cache.misses) == (1, 2)


def test_cache_forgets_the_least_recently_used() -> None:
    cache = RenderCache(max_entries=1)
    render(small_graph("A"), cache=cache)
    render(small_graph("B"), cache=cache)
    render(small_graph("A"), cache=cache)
    assert cache.misses == 3


def test_broken_dot_is_reported() -> None:
    with pytest.raises(RenderError):
        run_dot("digraph {", "svg")


def test_png_bytes_are_deterministic() -> None:
    dot_text = to_dot(small_graph())
    assert run_dot(dot_text, "png") == run_dot(dot_text, "png")
    assert run_dot(dot_text, "png").startswith(b"\x89PNG")


def test_edges_refuse_unknown_nodes_and_kinds() -> None:
    graph = small_graph()
    with pytest.raises(KeyError):
        graph.add_edge(Edge("a", "missing"))
    with pytest.raises(ValueError):
        graph.add_node(Node("c", "sticky", "x"))


def test_longest_chain_ignores_cycles() -> None:
    graph = Graph("loop")
    for key in "abc":
        graph.add_node(Node(key, "command", key))
    graph.add_edge(Edge("a", "b"))
    graph.add_edge(Edge("b", "c"))
    graph.add_edge(Edge("c", "a"))
    assert longest_chain(graph) == 3


def test_png_only_on_request() -> None:
    valid = design([ordering(), billing()])
    paths = [a.path for a in diagram_files(valid)]
    assert not any(p.endswith(".png") for p in paths)
    with_png = [a.path for a in diagram_files(valid, png=True)]
    assert "diagrams/event-flow.png" in with_png


_HASH_ALL = """
import hashlib, sys
from app.generators.diagrams import diagram_files
from tests.generators.diagrams.factories import CASES, load
digest = hashlib.sha256()
for path in CASES:
    for artifact in diagram_files(load(path)):
        digest.update(artifact.path.encode() + artifact.content)
print(digest.hexdigest())
"""


def test_same_bytes_under_another_hash_seed() -> None:
    def run(seed: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _HASH_ALL],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        return done.stdout.strip()

    first, second = run("1"), run("4242")
    assert first == second and len(first) == len(hashlib.sha256().hexdigest())


def test_a_layout_graphviz_trips_on_is_drawn_again_fully_ranked(monkeypatch) -> None:
    render_module = importlib.import_module("app.generators.diagrams.render")

    real = render_module.run_dot

    def tripping(dot_text: str, fmt: str) -> bytes:
        if "constraint=false" in dot_text:
            raise RenderError("Error: trouble in init_rank")
        return real(dot_text, fmt)

    monkeypatch.setattr(render_module, "run_dot", tripping)
    graph = Graph("long", loose_between_clusters=True)
    for i in range(20):
        graph.add_cluster(Cluster(f"c{i % 2}", f"Context {i % 2}"))
        graph.add_node(Node(f"n{i}", "command", f"Step {i}", f"c{i % 2}"))
        if i:
            graph.add_edge(Edge(f"n{i - 1}", f"n{i}"))
    assert "constraint=false" in to_dot(graph)
    dot_text = drawable_dot(graph, RenderCache())
    assert "constraint=false" not in dot_text
    assert render(graph, cache=RenderCache()).lstrip().startswith(b"<?xml")
