"""State-machine diagrams from ASL: every transition kind, nested Parallel and Map clusters."""

from __future__ import annotations

from typing import Any

from app.generators.diagrams import diagram_files, state_machine_graph
from app.generators.diagrams.render import RenderCache, render
from app.generators.diagrams.state_machines import condition
from tests.generators.diagrams.factories import design, ordering

LAMBDA = "arn:aws:states:::lambda:invoke"


def saga() -> dict[str, Any]:
    return {
        "StartAt": "Reserve",
        "States": {
            "Reserve": {
                "Type": "Task",
                "Resource": LAMBDA,
                "Next": "Big?",
                "Retry": [
                    {"ErrorEquals": ["Busy"], "MaxAttempts": 4},
                    {"ErrorEquals": ["Lambda.ServiceException"]},
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            },
            "Big?": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.total", "NumericGreaterThan": 1000, "Next": "Approve"},
                    {
                        "And": [
                            {"Variable": "$.vip", "IsPresent": True},
                            {"Variable": "$.vip", "BooleanEquals": True},
                        ],
                        "Next": "Fan out",
                    },
                ],
                "Default": "Each line",
            },
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                "TimeoutSeconds": 3600,
                "Next": "Fan out",
            },
            "Fan out": {
                "Type": "Parallel",
                "Next": "Each line",
                "Branches": [
                    {
                        "StartAt": "Email",
                        "States": {"Email": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                    },
                    {
                        "StartAt": "Pause",
                        "States": {
                            "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Log"},
                            "Log": {"Type": "Pass", "End": True},
                        },
                    },
                ],
            },
            "Each line": {
                "Type": "Map",
                "Next": "Done",
                "ItemProcessor": {
                    "StartAt": "Pick",
                    "States": {"Pick": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                },
            },
            "Done": {"Type": "Succeed"},
            "Failed": {"Type": "Fail", "Error": "ReserveFailed"},
        },
    }


def edges(graph) -> set[tuple[str, str, str, str]]:
    return {
        (graph.nodes[e.source].label, graph.nodes[e.target].label, e.kind, e.label)
        for e in graph.edges.values()
    }


def test_states_become_nodes_of_their_kind() -> None:
    graph = state_machine_graph(saga(), "Fulfil")
    kinds = {n.label: n.kind for n in graph.nodes.values()}
    assert kinds["Reserve"] == "task" and kinds["Approve"] == "approval"
    assert kinds["Big?"] == "choice" and kinds["Pause"] == "wait" and kinds["Log"] == "pass"
    assert kinds["Fan out"] == "parallel" and kinds["Each line"] == "map"
    assert kinds["Done"] == "succeed" and kinds["Failed"] == "fail"


def test_every_transition_is_drawn() -> None:
    drawn = edges(state_machine_graph(saga()))
    assert ("Reserve", "Big?", "flow", "") in drawn
    assert ("Reserve", "Failed", "error", "States.ALL") in drawn
    assert ("Reserve", "Reserve", "retry", "retry ×4 Busy; ×3 Lambda.ServiceException") in drawn
    assert ("Big?", "Approve", "flow", "total > 1000") in drawn
    assert ("Big?", "Fan out", "flow", "(vip present) and (vip = True)") in drawn
    assert ("Big?", "Each line", "default", "default") in drawn
    assert ("Fan out", "Email", "flow", "") in drawn and ("Fan out", "Pause", "flow", "") in drawn
    assert ("Email", "Fan out joined", "flow", "") in drawn
    assert ("Log", "Fan out joined", "flow", "") in drawn
    assert ("Fan out joined", "Each line", "flow", "") in drawn
    assert ("Each line", "Pick", "flow", "each item") in drawn
    assert ("Each line done", "Done", "flow", "") in drawn
    assert ("Done", "end", "flow", "") in drawn and ("Failed", "end", "flow", "") in drawn


def test_branches_and_iterators_are_clusters() -> None:
    graph = state_machine_graph(saga())
    captions = sorted(c.caption for c in graph.clusters.values())
    assert captions == ["map iterator", "parallel branch", "parallel branch"]
    pick = next(n for n in graph.nodes.values() if n.label == "Pick")
    assert graph.clusters[pick.cluster].caption == "map iterator"


def test_same_state_names_in_two_branches_stay_apart() -> None:
    branch = {"StartAt": "Step", "States": {"Step": {"Type": "Pass", "End": True}}}
    asl = {
        "StartAt": "Both",
        "States": {"Both": {"Type": "Parallel", "End": True, "Branches": [branch, branch]}},
    }
    graph = state_machine_graph(asl)
    assert sum(n.label == "Step" for n in graph.nodes.values()) == 2


def test_conditions_read_like_text() -> None:
    assert condition({"Variable": "$.status", "StringEquals": "PAID"}) == "status = PAID"
    assert condition({"Not": {"Variable": "$.x", "IsNull": True}}) == "not (x null)"
    assert condition({"Variable": "$.a", "NumericLessThanPath": "$.b"}) == "a < $.b"


def test_renders_with_graphviz() -> None:
    svg = render(state_machine_graph(saga(), "Fulfil"), cache=RenderCache())
    assert b"Reserve" in svg and b"retry" in svg


def test_workflow_diagrams_come_from_the_workflow_generator() -> None:
    context = ordering()
    context["workflows"] = [
        {
            "name": "Fulfil",
            "steps": [{"name": "Ship it", "task": "Ship order"}, {"name": "Done", "succeed": {}}],
        }
    ]
    paths = {a.path for a in diagram_files(design([context]))}
    assert "diagrams/workflows/Fulfil.svg" in paths and "diagrams/workflows/Fulfil.mmd" in paths


def test_explicit_asl_is_drawn_without_the_workflow_generator() -> None:
    paths = {a.path for a in diagram_files(design([ordering()]), asl={"Saga": saga()})}
    assert {"diagrams/workflows/Saga.dot", "diagrams/workflows/Saga.svg"} <= paths
