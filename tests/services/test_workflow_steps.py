"""A workflow's steps edited by path: added, changed, moved, removed and renamed (nested ones
too), references following, and every refusal naming the step, the field and the line."""

from __future__ import annotations

import copy

import pytest

from app import catalog
from app.model import dump_design, load_design, parse_design
from app.model.workflow import Workflow
from app.services import workflow_steps as ws
from app.services.documents import canonical_data, canonical_text
from app.services.edits import EditRefused, ElementConflict, element_digest
from app.services.step_forms import (
    form_values,
    kind_of,
    new_step,
    read_branches,
    read_catches,
    read_mapping,
    read_step,
)
from app.services.workflow_outline import summary, workflow_editor

# -- small designs -----------------------------------------------------------------------------


def design(*steps: dict, more: tuple[dict, ...] = ()) -> dict:
    """A design's canonical data: one lane with a few commands, an actor, an entity and one
    workflow of `steps` (and `more` workflows)."""
    raw = {
        "name": "Shop",
        "contexts": [
            {
                "name": "Sales",
                "actors": [{"name": "Manager"}],
                "commands": [{"name": n} for n in ("Reserve", "Charge", "Refund", "Ship")],
                "aggregates": [{"name": "Order", "attributes": {"orderId": "string"}}],
                "workflows": [{"name": "Sell", "steps": list(steps)}, *more],
            }
        ],
    }
    return canonical_data(dump_design(parse_design(raw)))


def workflow_of(data: dict, name: str = "Sell") -> dict:
    return next(w for c in data["contexts"] for w in c.get("workflows", []) if w["name"] == name)


def names(steps: list[dict]) -> list[str]:
    return [s["name"] for s in steps]


def edit(data: dict, change, name: str = "Sell") -> dict:
    workflow = workflow_of(data, name)
    outcome = ws.edit_steps(data, workflow["id"], change, base=element_digest(workflow))
    assert canonical_text(outcome.data) == dump_design(parse_design(outcome.data))
    return workflow_of(outcome.data, name)


def refusal(data: dict, change, name: str = "Sell") -> str:
    workflow = workflow_of(data, name)
    with pytest.raises(EditRefused) as refused:
        ws.edit_steps(data, workflow["id"], change, base=element_digest(workflow))
    return refused.value.message


SAGA = (
    {"name": "Reserve", "task": "Reserve", "on_error": [{"next": "Sold out"}]},
    {
        "name": "Big?",
        "choice": [{"when": "total > 100", "next": "Approve"}],
        "default": "Charge",
    },
    {"name": "Approve", "approval": {"approver": "Manager", "on_reject": "Sold out"}},
    {"name": "Charge", "task": "Charge", "compensate": "Refund"},
    {
        "name": "Fan out",
        "parallel": [
            {"name": "A", "steps": [{"name": "Ship", "task": "Ship"}]},
            {"steps": [{"name": "Note", "task": "Reserve"}, {"name": "Noted", "succeed": {}}]},
        ],
    },
    {"name": "Each", "map": {"items": "lines", "steps": [{"name": "Line", "task": "Ship"}]}},
    {"name": "Done", "succeed": {}},
    {"name": "Sold out", "fail": {"error": "SoldOut"}},
)


@pytest.fixture
def saga() -> dict:
    return design(*copy.deepcopy(SAGA))


# -- paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path"), [("0", (0,)), ("4.b1.0", (4, "b1", 0)), ("5.m.0", (5, "m", 0))]
)
def test_paths_read_as_written(saga, text, path):
    assert ws.parse_path(text) == path
    assert ws.path_text(path) == text
    steps = workflow_of(saga)["steps"]
    assert (
        ws.step_at(steps, path)["name"] == {"0": "Reserve", "4.b1.0": "Note", "5.m.0": "Line"}[text]
    )


@pytest.mark.parametrize("text", ["", "a", "1.", "1.b", "1.x.0", "01", "1.b1", "-1", "1.m.0.m"])
def test_a_malformed_path_is_a_bad_request(text):
    with pytest.raises(EditRefused) as refused:
        ws.parse_path(text)
    assert refused.value.status == 400
    assert "is not a place in a workflow" in refused.value.message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9", "There is no step at 9"),
        ("0.b0.0", "“Reserve” is not a parallel step"),
        ("0.m.0", "“Reserve” is not a map step"),
        ("4.b2.0", "“Fan out” has no branch 3"),
        ("4.b0.5", "There is no step at 4.b0.5"),
    ],
)
def test_a_path_to_nowhere_is_refused(saga, text, reason):
    with pytest.raises(EditRefused, match=reason):
        ws.step_at(workflow_of(saga)["steps"], ws.parse_path(text))


# -- adding ------------------------------------------------------------------------------------


def test_steps_are_added_at_the_end_the_start_after_a_step_and_nested(saga):
    wait = {"kind": "wait", "name": "Pause", "seconds": "60"}
    after = edit(saga, lambda s: ws.add_step(s, "after:3", new_step(wait)))
    assert names(after["steps"])[3:5] == ["Charge", "Pause"]
    assert after["steps"][4]["wait"] == {"seconds": 60} and after["steps"][4]["id"].startswith(
        "st-"
    )
    start = edit(saga, lambda s: ws.add_step(s, "start:", new_step(wait)))
    assert names(start["steps"])[0] == "Pause"
    end = edit(saga, lambda s: ws.add_step(s, "end:", new_step(wait)))
    assert names(end["steps"])[-1] == "Pause"
    in_branch = edit(saga, lambda s: ws.add_step(s, "end:4.b0", new_step(wait)))
    assert names(in_branch["steps"][4]["parallel"][0]["steps"]) == ["Ship", "Pause"]
    in_map = edit(saga, lambda s: ws.add_step(s, "start:5.m", new_step(wait)))
    assert names(in_map["steps"][5]["map"]["steps"]) == ["Pause", "Line"]


def test_a_new_branch_and_a_new_map_start_with_a_first_step(saga):
    branch = {"kind": "succeed", "name": "Also"}
    found = edit(saga, lambda s: ws.add_step(s, "branch:4", new_step(branch)))
    added = found["steps"][4]["parallel"][2]["steps"]
    assert [(s["name"], s["succeed"]) for s in added] == [("Also", {})]
    form = {"kind": "map", "name": "Each again", "items": "lines", "first_task": "Refund"}
    added = edit(saga, lambda s: ws.add_step(s, "end:", new_step(form)))["steps"][-1]
    assert added["map"]["items"] == "lines"
    assert [(s["name"], s["task"]) for s in added["map"]["steps"]] == [("Refund", "Refund")]
    assert added["map"]["steps"][0]["id"].startswith("st-")
    form = {"kind": "parallel", "name": "Both", "branch_name": "Left", "first_name": "Wait here"}
    added = edit(saga, lambda s: ws.add_step(s, "end:", new_step(form)))["steps"][-1]
    assert added["parallel"][0]["name"] == "Left"
    assert added["parallel"][0]["steps"][0]["name"] == "Wait here"


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"kind": "task", "name": "Go"}, "choose the command it runs"),
        ({"kind": "task", "name": "Go", "task": "Fly"}, "Step “Go”, command: unknown"),
        ({"kind": "choice", "name": "Go"}, "a choice needs at least one branch"),
        ({"kind": "choice", "name": "Go", "when": "x > 1"}, "needs a condition and the step"),
        (
            {"kind": "choice", "name": "Go", "when": "x > 1", "then": "Done", "default": "Gone"},
            "Step “Go”, default: no step named 'Gone' in the same branch",
        ),
        (
            {"kind": "choice", "name": "Go", "branches": "x > 1 → Nowhere"},
            "Step “Go”, branches, line 1 · next: no step named 'Nowhere' in the same branch",
        ),
        (
            {"kind": "wait", "name": "Go", "seconds": "5", "until": "at"},
            "Step “Go”: a wait needs exactly one of 'seconds' or 'until'",
        ),
        ({"kind": "approval", "name": "Go"}, "choose who approves"),
        (
            {"kind": "service", "name": "Go", "service": "dynamodb:putItem"},
            "Step “Go”, target: dynamodb:putItem needs a 'target'",
        ),
        ({"kind": "fail", "name": "Go", "error": "not an error!"}, "Step “Go”, error: letters"),
        ({"kind": "map", "name": "Go"}, "give the state path of the list"),
        (
            {"kind": "wait", "name": "Charge", "seconds": "5"},
            "the name 'Charge' is already used by an earlier step",
        ),
        ({"kind": "party", "name": "Go"}, "Choose the kind of step"),
        ({"kind": "wait", "name": " "}, "A new step needs a name"),
    ],
)
def test_a_new_step_missing_what_it_needs_is_refused(saga, form, reason):
    message = refusal(saga, lambda s: ws.add_step(s, "end:", new_step(form)))
    assert reason in message


def test_where_a_step_goes_must_be_a_place(saga):
    step = new_step({"kind": "succeed", "name": "X"})
    assert "is not a parallel step" in refusal(saga, lambda s: ws.add_step(s, "branch:0", step))
    assert "Choose where" in refusal(saga, lambda s: ws.add_step(s, "under:0", step))
    assert "There is no step at 40" in refusal(saga, lambda s: ws.add_step(s, "after:40", step))


# -- changing and renaming ---------------------------------------------------------------------


def test_renaming_a_step_follows_every_reference_in_its_list(saga):
    form = {"name": "Out of stock"}
    after = edit(saga, lambda s: ws.update_step(s, "7", lambda step: read_step(step, form)))
    steps = {s["name"]: s for s in after["steps"]}
    assert steps["Reserve"]["on_error"] == [{"next": "Out of stock"}]
    assert steps["Approve"]["approval"]["on_reject"] == "Out of stock"
    renamed = edit(
        saga, lambda s: ws.update_step(s, "3", lambda step: read_step(step, {"name": "Pay"}))
    )
    steps = {s["name"]: s for s in renamed["steps"]}
    assert steps["Big?"]["default"] == "Pay"
    assert ws.rename_references(copy.deepcopy(SAGA_LIST), "Approve", "Ask") == 1


SAGA_LIST = list(SAGA)


def test_a_nested_rename_stays_in_its_branch():
    data = design(
        {
            "name": "Split",
            "parallel": [
                {
                    "steps": [
                        {"name": "Go", "task": "Ship", "next": "Stop"},
                        {"name": "Stop", "succeed": {}},
                    ]
                },
                {"steps": [{"name": "Wait", "wait": {"seconds": 5}}]},
            ],
        },
        {"name": "End", "succeed": {}},
    )
    after = edit(
        data, lambda s: ws.update_step(s, "0.b0.1", lambda step: read_step(step, {"name": "Halt"}))
    )
    assert after["steps"][0]["parallel"][0]["steps"][0]["next"] == "Halt"


def test_every_property_of_a_task_is_read_and_defaults_left_out(saga):
    form = {
        **form_values(workflow_of(saga)["steps"][3]),
        "input": "orderId: orderId\namount: total",
        "timeout_s": "30",
        "failure_rate": "2%",
        "failure_error": "Payments.Down",
        "retry": "custom",
        "retry_max_attempts": "3",
        "retry_interval_s": "4",
        "retry_backoff_rate": "2",
        "retry_max_delay_s": "",
        "retry_jitter": "yes",
        "on_error": "Payments.Declined, Payments.Fraud -> Sold out",
        "next": "Done",
        "code": "ChargeCard",
        "description": "Takes the money",
    }
    after = edit(saga, lambda s: ws.update_step(s, "3", lambda step: read_step(step, form)))
    charge = after["steps"][3]
    assert {k: v for k, v in charge.items() if k != "id"} == {
        "name": "Charge",
        "code": "ChargeCard",
        "description": "Takes the money",
        "next": "Done",
        "retry": {"interval_s": 4},
        "on_error": [{"errors": ["Payments.Declined", "Payments.Fraud"], "next": "Sold out"}],
        "failure_rate": 0.02,
        "failure_error": "Payments.Down",
        "timeout_s": 30,
        "task": "Charge",
        "input": {"orderId": "orderId", "amount": "total"},
        "compensate": "Refund",
    }
    no_retry = edit(
        saga, lambda s: ws.update_step(s, "3", lambda st: read_step(st, {"retry": "none"}))
    )
    assert no_retry["steps"][3]["retry"] is False
    defaults = {"retry": "custom", "retry_max_attempts": "3", "retry_jitter": "yes"}
    back = edit(saga, lambda s: ws.update_step(s, "3", lambda st: read_step(st, defaults)))
    assert "retry" not in back["steps"][3], "a custom retry of defaults is the default retry"


def test_choice_branches_approval_map_and_parallel_names_are_read(saga):
    choice = {"branches": "total > 100 → Approve (5%)\nvip == true -> Charge (0.5)", "default": ""}
    after = edit(saga, lambda s: ws.update_step(s, "1", lambda st: read_step(st, choice)))
    assert after["steps"][1]["choice"] == [
        {"when": "total > 100", "next": "Approve", "probability": 0.05},
        {"when": "vip == true", "next": "Charge", "probability": 0.5},
    ]
    assert "default" not in after["steps"][1]
    approval = {
        "approval_timeout_s": "3,600",
        "heartbeat_s": "600",
        "notify": "email",
        "on_timeout": "Sold out",
        "rejection_rate": "20%",
        "timeout_rate": "0",
    }
    after = edit(saga, lambda s: ws.update_step(s, "2", lambda st: read_step(st, approval)))
    assert after["steps"][2]["approval"] == {
        "approver": "Manager",
        "timeout_s": 3600,
        "heartbeat_s": 600,
        "notify": "email",
        "on_reject": "Sold out",
        "on_timeout": "Sold out",
        "rejection_rate": 0.2,
    }
    spec = {
        "items": "order.lines",
        "max_concurrency": "0",
        "mode": "distributed",
        "items_per_execution": "1000",
        "tolerated_failure_percentage": "2.5",
    }
    after = edit(saga, lambda s: ws.update_step(s, "5", lambda st: read_step(st, spec)))
    assert {k: v for k, v in after["steps"][5]["map"].items() if k != "steps"} == {
        "items": "order.lines",
        "max_concurrency": 0,
        "items_per_execution": 1000,
        "mode": "distributed",
        "tolerated_failure_percentage": 2.5,
    }
    after = edit(
        saga,
        lambda s: ws.update_step(s, "4", lambda st: read_step(st, {"branch_names": "\nRight"})),
    )
    assert [b.get("name") for b in after["steps"][4]["parallel"]] == [None, "Right"]


@pytest.mark.parametrize(
    ("path", "form", "reason"),
    [
        ("3", {"timeout_s": "soon"}, "Step “Charge”, timeout (s): “soon” is not a number."),
        ("3", {"timeout_s": "1.5"}, "Step “Charge”, timeout (s): a whole number, not 1.5."),
        (
            "3",
            {"failure_rate": "150%"},
            "Step “Charge”, failure rate: must be less than or equal to 1",
        ),
        (
            "3",
            {"retry": "custom", "retry_backoff_rate": "20"},
            "Step “Charge”, retry · backoff rate: must be less than or equal to 10",
        ),
        ("3", {"retry": "sometimes"}, "Step “Charge”, retry: choose default, custom or none."),
        (
            "3",
            {"input": "orderId: orderId\namount total"},
            "Step “Charge”, input mapping, line 2: write “field: state path”",
        ),
        (
            "3",
            {"on_error": "→ Nowhere"},
            "Step “Charge”, on error, line 1 · next: no step named 'Nowhere'",
        ),
        (
            "3",
            {"next": "Line"},
            "Step “Charge”, next: no step named 'Line' in the same branch "
            "(a step can only go to steps of its own branch)",
        ),
        ("3", {"compensate": "Teleport"}, "Step “Charge”, compensate: unknown command 'Teleport'"),
        (
            "1",
            {"branches": "total > 100 → Approve (0.7)\nx → Charge (0.6)"},
            "Step “Big?”, branches: the branch probabilities add up to 1.3, more than 1",
        ),
        (
            "1",
            {"branches": "total >> 1 → Approve"},
            "Step “Big?”, branches, line 1 · condition: cannot read condition",
        ),
        (
            "2",
            {"heartbeat_s": "90000"},
            "Step “Approve”, heartbeat (s): the heartbeat must be shorter than the timeout",
        ),
        ("2", {"approver": "Robot"}, "Step “Approve”, approver: unknown actor 'Robot'"),
        (
            "4",
            {"branch_names": "A\nB\nC"},
            "Step “Fan out”, branch names: it has 2 branches, so at most 2 lines",
        ),
        ("5.m.0", {"task": "Nope"}, "Step “Line”, command: unknown"),
        ("7", {"name": ""}, "Step “Sold out”: a step needs a name."),
    ],
)
def test_a_change_the_design_would_not_accept_is_refused_by_step_field_and_line(
    saga, path, form, reason
):
    message = refusal(saga, lambda s: ws.update_step(s, path, lambda st: read_step(st, form)))
    assert reason in message, message


def test_problems_the_workflow_already_had_do_not_block_other_changes():
    data = design(
        {"name": "Go", "task": "Ship", "next": "Gone"}, {"name": "End", "wait": {"seconds": 1}}
    )
    after = edit(
        data, lambda s: ws.update_step(s, "1", lambda st: read_step(st, {"description": "x"}))
    )
    assert after["steps"][1]["description"] == "x"
    message = refusal(
        data, lambda s: ws.update_step(s, "1", lambda st: read_step(st, {"next": "Away"}))
    )
    assert "Step “End”, next: no step named 'Away'" in message and "Gone" not in message


def test_a_stale_base_or_a_sticky_that_is_no_workflow_is_refused(saga):
    workflow = workflow_of(saga)
    with pytest.raises(ElementConflict):
        ws.edit_steps(saga, workflow["id"], lambda s: ws.move_step(s, "1", "down"), base="0" * 16)
    command = saga["contexts"][0]["commands"][0]
    with pytest.raises(EditRefused, match="is not a workflow"):
        ws.edit_steps(saga, command["id"], lambda s: ws.move_step(s, "1", "down"), base=None)


def test_the_design_it_was_given_is_never_changed(saga):
    before = copy.deepcopy(saga)
    edit(saga, lambda s: ws.update_step(s, "7", lambda step: read_step(step, {"name": "Gone"})))
    edit(saga, lambda s: ws.remove_step(s, "7", clear_references=True))
    refusal(saga, lambda s: ws.update_step(s, "3", lambda st: read_step(st, {"next": "Nowhere"})))
    assert saga == before


# -- moving and removing -----------------------------------------------------------------------


def test_steps_move_up_and_down_within_their_list(saga):
    change = ws.move_step(copy.deepcopy(workflow_of(saga)["steps"]), "3", "up")
    assert change.open == "2" and names(change.steps)[2:4] == ["Charge", "Approve"]
    nested = edit(saga, lambda s: ws.move_step(s, "4.b1.0", "down"))
    assert names(nested["steps"][4]["parallel"][1]["steps"]) == ["Noted", "Note"]
    assert "already the first step" in refusal(saga, lambda s: ws.move_step(s, "0", "up"))
    assert "already the last step" in refusal(saga, lambda s: ws.move_step(s, "5.m.0", "down"))
    assert "Move a step up or down" in refusal(saga, lambda s: ws.move_step(s, "1", "sideways"))


def test_removing_a_step_others_go_to_names_them_or_clears_them(saga):
    message = refusal(saga, lambda s: ws.remove_step(s, "7"))
    assert message.startswith("“Sold out” cannot be removed: ")
    assert "“Reserve” goes to it on any error; “Approve” goes to it when rejected" in message
    after = edit(saga, lambda s: ws.remove_step(s, "7", clear_references=True))
    steps = {s["name"]: s for s in after["steps"]}
    assert "Sold out" not in steps and "on_error" not in steps["Reserve"]
    assert "on_reject" not in steps["Approve"]["approval"]
    message = refusal(saga, lambda s: ws.remove_step(s, "2", clear_references=True))
    assert "would leave choice “Big?” without a branch" in message


def test_removing_the_last_step_of_a_list(saga):
    after = edit(saga, lambda s: ws.remove_step(s, "4.b0.0"))
    assert len(after["steps"][4]["parallel"]) == 1, "the emptied branch went with it"
    assert "only step inside map “Each”" in refusal(saga, lambda s: ws.remove_step(s, "5.m.0"))
    single = design({"name": "Only", "succeed": {}})
    assert "the workflow's only step" in refusal(single, lambda s: ws.remove_step(s, "0"))
    lone = design({"name": "Split", "parallel": [{"steps": [{"name": "Go", "succeed": {}}]}]})
    assert "only step of the only branch" in refusal(lone, lambda s: ws.remove_step(s, "0.b0.0"))


def test_the_workflow_type_is_set_or_left_to_the_generator(saga):
    workflow = workflow_of(saga)
    express = ws.set_workflow_type(saga, workflow["id"], "express")
    assert workflow_of(express.data)["type"] == "express"
    automatic = ws.set_workflow_type(express.data, workflow["id"], "")
    assert "type" not in workflow_of(automatic.data)
    with pytest.raises(EditRefused):
        ws.set_workflow_type(saga, workflow["id"], "turbo")


# -- line formats ------------------------------------------------------------------------------


def test_line_formats_read_as_documented():
    assert read_mapping("a: b.c\n\n  d :e ", "X") == {"a": "b.c", "d": "e"}
    assert read_catches("States.ALL → Stop\nA.B, C -> Go on", "X") == [
        {"next": "Stop"},
        {"errors": ["A.B", "C"], "next": "Go on"},
    ]
    assert read_branches("a > 1 → Review (manual)", "X") == [
        {"when": "a > 1", "next": "Review (manual)"}
    ]
    with pytest.raises(EditRefused, match=r"X, line 2: “a” is mapped twice"):
        read_mapping("a: b\na: c", "X")
    with pytest.raises(EditRefused, match=r"X, line 1: both a condition and the next step"):
        read_branches("→ Go", "X")


def test_a_step_named_with_a_bracketed_number_is_a_step_not_a_probability():
    lines = "tries < 3 → Retry (2)\ntries < 5 → Retry (2) (5%)\nok → Ship (0.9)"
    assert read_branches(lines, "X", {"Retry (2)", "Ship"}) == [
        {"when": "tries < 3", "next": "Retry (2)"},
        {"when": "tries < 5", "next": "Retry (2)", "probability": 0.05},
        {"when": "ok", "next": "Ship", "probability": 0.9},
    ]
    assert read_branches("tries < 3 → Retry (2)", "X") == [
        {"when": "tries < 3", "next": "Retry", "probability": 2}
    ], "without the names, the bracket is a probability (which the checks then refuse)"
    steps = [
        {"name": "Check", "choice": [{"when": "tries < 3", "next": "Retry (2)"}], "default": "Ok"},
        {"name": "Retry (2)", "next": "Check", "wait": {"seconds": 5}},
        {"name": "Ok", "succeed": {}},
    ]
    shown = form_values(steps[0])
    assert read_step(steps[0], shown, ws.step_names(steps)) == steps[0], "the form round-trips"
    nested = [
        {"name": "Each", "map": {"items": "$.x", "steps": [{"name": "Inner", "succeed": {}}]}}
    ]
    assert ws.step_names(nested) == {"Each", "Inner"}


# -- round trips through the model ------------------------------------------------------------


def _starter_workflows() -> list[tuple[str, dict]]:
    found = []
    for starter in catalog.starters():
        data = canonical_data(dump_design(load_design(starter.text()).design))
        for context in data["contexts"]:
            found += [(starter.slug, w) for w in context.get("workflows", [])]
    return found


def _walk(steps: list[dict]):
    for step in steps:
        yield step
        for branch in step.get("parallel", []):
            yield from _walk(branch["steps"])
        if isinstance(step.get("map"), dict):
            yield from _walk(step["map"]["steps"])


@pytest.mark.parametrize(
    ("slug", "workflow"), _starter_workflows(), ids=lambda v: v if isinstance(v, str) else v["name"]
)
def test_every_starter_step_round_trips_through_its_form(slug, workflow):
    kinds = set()
    for step in _walk(workflow["steps"]):
        kinds.add(kind_of(step))
        assert read_step(step, form_values(step)) == step, step["name"]
        assert summary(step)
    editor = workflow_editor(workflow)
    assert len(editor.names) == len(list(_walk(workflow["steps"])))
    Workflow.model_validate(workflow)


def test_every_kind_made_by_the_add_form_is_a_valid_step_that_round_trips(saga):
    forms = [
        {"kind": "task", "task": "Ship", "input": "orderId: orderId", "compensate": "Refund"},
        {"kind": "service", "service": "dynamodb:putItem", "target": "Order"},
        {"kind": "choice", "when": "total > 1", "then": "Done", "default": "Charge"},
        {"kind": "parallel", "first_task": "Ship", "first_name": "Ship it"},
        {"kind": "map", "items": "lines"},
        {"kind": "wait", "until": "sendAt"},
        {"kind": "approval", "approver": "Manager"},
        {"kind": "succeed"},
        {"kind": "fail", "error": "Stopped", "cause": "Because"},
    ]
    data, workflow_id = saga, workflow_of(saga)["id"]
    for number, form in enumerate(forms):
        step = new_step({**form, "name": f"New {number}"})
        data = ws.edit_steps(
            data, workflow_id, lambda s, st=step: ws.add_step(s, "end:", st), base=None
        ).data
        added = workflow_of(data)["steps"][-1]
        assert kind_of(added) == form["kind"]
        assert read_step(added, form_values(added)) == added
    Workflow.model_validate(workflow_of(data))
    assert canonical_text(data) == dump_design(parse_design(data))
    assert [kind_of(s) for s in workflow_of(data)["steps"][-9:]] == [f["kind"] for f in forms]
    map_step = workflow_of(data)["steps"][-5]
    assert map_step["map"]["steps"][0]["name"] == "New 4 done", "a first step of its own name"


# -- the outline -------------------------------------------------------------------------------


def test_the_outline_reads_each_step_in_a_line(saga):
    editor = workflow_editor(workflow_of(saga), open_path="3", draft={"timeout_s": "x"})
    rows = {row.path: row for row in editor.rows}
    assert rows["0"].summary == "runs command Reserve; on error → Sold out"
    assert rows["1"].summary == "if total > 100 → Approve else → Charge"
    assert rows["2"].summary == "approval by Manager within 1 day; rejected → Sold out"
    assert rows["3"].summary == "runs command Charge (undone by Refund)"
    assert rows["4"].summary == "runs 2 branches at once: A, branch 2"
    caught = {**rows["5"].step, "on_error": [{"next": "Sold out"}], "next": "Done"}
    assert summary(caught) == (
        "for each item of lines: 1 step, at most 10 at a time; on error → Sold out, then → Done"
    )
    assert rows["5"].summary == "for each item of lines: 1 step, at most 10 at a time"
    assert rows["7"].summary == "fails with SoldOut"
    assert [g.title for g in rows["4"].groups] == ["Branch 1 · A", "Branch 2"]
    assert rows["4"].groups[1].rows[1].path == "4.b1.1"
    assert (
        rows["7"].pointed_to_by
        == "“Reserve” goes to it on any error; “Approve” goes to it when rejected"
    )
    assert rows["0"].first and not rows["0"].last and rows["7"].last
    assert "Charge" not in rows["3"].siblings and "Line" not in rows["3"].siblings
    assert editor.value(rows["3"], "timeout_s") == "x", "what was typed into the refused form"
    assert editor.value(rows["2"], "name") == "Approve"
    places = {p.value: p.text for group in editor.places for p in group.places}
    assert places["after:3"] == "After “Charge”"
    assert places["end:4.b1"] == "At the end here"
    assert places["branch:4"] == "First step of a new branch of “Fan out”"
    assert places["start:5.m"] == "At the start"


def test_waits_read_in_seconds_and_people_units():
    assert summary({"name": "W", "wait": {"seconds": 3600}, "next": "Go"}) == (
        "waits 3600 s (1 hour), then → Go"
    )
    assert summary({"name": "W", "wait": {"seconds": 30}}) == "waits 30 s"
    assert summary({"name": "W", "wait": {"until": "sendAt"}}) == "waits until the time at sendAt"


def test_a_task_says_how_long_it_runs_or_leaves_it_to_its_command():
    task = {"name": "Charge", "task": "Charge card", "workload": {"memory_mb": 1024}}
    assert form_values(task)["workload_duration_ms"] == ""
    timed = read_step(task, {"workload_duration_ms": "1,500", "workload_p99_ms": "4000"})
    assert timed["workload"] == {"memory_mb": 1024, "duration_ms": 1500, "p99_ms": 4000}
    assert form_values(timed)["workload_p99_ms"] == "4000"
    cleared = read_step(
        {**timed, "workload": {"duration_ms": 1500}},
        {"workload_duration_ms": "", "workload_p99_ms": ""},
    )
    assert "workload" not in cleared, "an empty workload is its command's again"
    with pytest.raises(EditRefused, match=r"Step “Charge”, duration \(ms\): “soon” is not"):
        read_step(task, {"workload_duration_ms": "soon"})
