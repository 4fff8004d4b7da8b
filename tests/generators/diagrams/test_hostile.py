"""Hostile names (markup, scripts, quotes, braces, DOT and Mermaid syntax, long and non-Latin
names) stay inert text in every SVG, DOT and Mermaid file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from app.generators.diagrams import diagram_graphs
from app.generators.diagrams.mermaid import to_mermaid
from app.generators.diagrams.render import Graph, render, to_dot
from tests.generators.diagrams.factories import HOSTILE, load

SVG = "{http://www.w3.org/2000/svg}"
ACTIVE_ELEMENTS = {
    "script",
    "foreignObject",
    "iframe",
    "object",
    "embed",
    "handler",
    "set",
    "animate",
}
GRAPHS = diagram_graphs(load(HOSTILE))

_DOT_LINE = re.compile(
    r"^\s*(?:"
    r"digraph stormdraft \{"
    r"|(?:graph|node|edge) \[.*\];"
    r"|label=<.*>;"
    r"|subgraph cluster_c\d+ \{"
    r"|n\d+ \[label=.*\];"
    r"|n\d+ -> n\d+ \[.*\];"
    r"|\}"
    r")$"
)
_MERMAID_LINE = re.compile(
    r"^\s*(?:"
    r"---|title: \"[^\"]*\"|flowchart (?:LR|TB)|end"
    r"|subgraph c\d+\[\"[^\"]*\"\]"
    r"|n\d+(?:\[|\[\[|>|\{\{|\[/|\[\\|\(\[|\[\(|\{|\(\(|\(\(\(|\()\"[^\"]*\""
    r"(?:\]|\]\]|\}\}|/\]|\\\]|\]\)|\)\]|\}|\)\)|\)\)\)|\)):::sd_[a-z_]+"
    r"|n\d+ (?:-->|-\.->)(?:\|\"[^\"]*\"\|)? n\d+"
    r"|classDef sd_[a-z_]+ [a-z:#0-9A-F,\- ]+"
    r"|linkStyle [0-9,]+ stroke:#[0-9A-F]{6}"
    r")$"
)
_OWN_MARKUP = re.compile(r"</?(?:i|small)>|<br/>")


@pytest.fixture(params=sorted(GRAPHS), scope="module")
def graph(request: pytest.FixtureRequest) -> Graph:
    return GRAPHS[request.param]


def test_the_corpus_reaches_every_kind_of_diagram() -> None:
    assert {"event-flow", "context-map", "entities"} <= set(GRAPHS)
    assert any(stem.startswith("workflows/") for stem in GRAPHS)


def test_svg_is_well_formed_and_inert(graph: Graph) -> None:
    root = ET.fromstring(render(graph))
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag not in ACTIVE_ELEMENTS, f"active element <{tag}>"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            assert not local.lower().startswith("on"), f"event handler {name}={value!r}"
            if local == "href":
                assert not value.strip().lower().startswith(("javascript:", "data:"))


def test_svg_draws_exactly_the_diagram(graph: Graph) -> None:
    """An injected node, edge or cluster would change these counts."""
    root = ET.fromstring(render(graph))
    classes = [g.get("class") for g in root.iter(f"{SVG}g")]
    assert classes.count("node") == len(graph.nodes)
    assert classes.count("edge") == len(graph.edges)
    assert classes.count("cluster") == len(graph.clusters)


def test_hostile_text_is_shown_as_text() -> None:
    root = ET.fromstring(render(GRAPHS["event-flow"]))
    shown = "\n".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for fragment in (
        '<script>alert("x")</script',
        "<img src=x",
        "onerror=alert(1)>",
        '"]; } digraph pwn { a -> b',
        "\\N \\G \\L",
        "A-->B --> C ---|x| D",
        "Заказ размещён и оплачен",
        "&amp; &lt; &#x3C; &#60; &",
    ):
        assert fragment in shown, fragment


def test_dot_has_only_our_statements(graph: Graph) -> None:
    for line in to_dot(graph).splitlines():
        assert _DOT_LINE.match(line), line
    outside_quotes = re.sub(r'"(?:[^"\\]|\\.)*"', '""', to_dot(graph))
    assert "<script" not in outside_quotes  # in HTML-like labels it is only &#60;script


def test_mermaid_has_only_our_statements(graph: Graph) -> None:
    text = to_mermaid(graph)
    for line in text.splitlines():
        assert _MERMAID_LINE.match(line), line
        for label in re.findall(r'"([^"]*)"', line):
            bare = re.sub(r"#\d+;", "", _OWN_MARKUP.sub("", label))
            assert not set(bare) & set("<>[]{}()|`;:%\\"), label


def test_long_names_are_cut_not_spilled() -> None:
    graph = GRAPHS["event-flow"]
    long_one = next(n for n in graph.nodes.values() if n.label == "x" * 200)
    root = ET.fromstring(render(graph))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert not any("x" * 31 in t for t in texts)  # node lines wrap at 26, edge lines at 30
    assert long_one.tooltip == "x" * 200  # the whole name is still there, on hover
