"""The workflow step editor in the inspector: steps added, changed, moved and removed through
htmx forms; refusals explained with the design left as it was."""

from __future__ import annotations

import html
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from app.services.step_forms import form_values


def fulfil_order(app: FastAPI, design: str) -> dict:
    data = app.state.studio.document(design).data
    return next(
        w for c in data["contexts"] for w in c.get("workflows", []) if w["name"] == "Fulfil order"
    )


def revision(app: FastAPI, design: str) -> int:
    return app.state.studio.document(design).revision


def opened(client: TestClient, design: str, element: str) -> tuple[str, str]:
    answer = client.get(f"/designs/{design}/elements/{element}")
    assert answer.status_code == 200
    return answer.text, re.search(r'data-digest="([^"]+)"', answer.text).group(1)


@pytest.fixture
def workflow(app: FastAPI, starter_design: str) -> dict:
    return fulfil_order(app, starter_design)


def post(client, htmx, design, workflow, route, **form):
    return client.post(
        f"/designs/{design}/elements/{workflow['id']}/{route}", data=form, headers=htmx
    )


def test_the_outline_shows_every_step_with_its_kind_and_summary(client, starter_design, workflow):
    page, _digest = opened(client, starter_design, workflow["id"])
    assert 'id="wf-steps-title"' in page
    text = html.unescape(page)
    assert re.search(
        r'wf-kind--task">Task</span>\s*<span class="wf-step__name">Reserve stock', text
    )
    assert "runs command Reserve stock (undone by Release stock)" in text
    assert "if total > 1000 → Mark awaiting approval else → Charge payment" in text
    assert "approval by Order manager within 2 days" in text
    assert "runs command Release stock, then → Reject unapproved order" in text
    assert "fails with OrderNotApproved" in text
    # Every step has its form, each field with its own id.
    assert (
        page.count('hx-post="/designs/' + starter_design + f"/elements/{workflow['id']}/steps/edit")
        == 16
    )
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids are unique in the inspector"


def test_a_step_is_added_after_another_with_what_its_kind_needs(
    app, client, htmx, starter_design, workflow
):
    _page, digest = opened(client, starter_design, workflow["id"])
    answer = post(
        client,
        htmx,
        starter_design,
        workflow,
        "steps",
        base=digest,
        kind="wait",
        name="Cool off",
        where="after:5",
        seconds="3600",
    )
    assert answer.status_code == 200, answer.text
    steps = fulfil_order(app, starter_design)["steps"]
    assert steps[6]["name"] == "Cool off" and steps[6]["wait"] == {"seconds": 3600}
    assert steps[6]["id"].startswith("st-")
    assert steps[5]["name"] == "Book shipment" and steps[7]["name"] == "Confirm order"
    # The new step is shown open, and the outline reads it.
    assert re.search(r'data-step-path="6">\s*<details class="wf-step__details" open', answer.text)
    assert "waits 3600 s (1 hour)" in html.unescape(answer.text)
    text = app.state.studio.document(starter_design).text
    assert re.search(r"- id: st-\w+\n +name: Cool off\n +wait:\n +seconds: 3600\n", text)


def test_a_step_is_edited_with_every_property_and_defaults_left_out(
    app, client, htmx, starter_design, workflow
):
    _page, digest = opened(client, starter_design, workflow["id"])
    charge = workflow["steps"][4]
    form = {
        **form_values(charge),
        "base": digest,
        "step": "4",
        "timeout_s": "30",
        "failure_rate": "5%",
        "retry": "custom",
        "retry_max_attempts": "5",
        "retry_interval_s": "2",  # the default: left out
        "retry_backoff_rate": "1.5",
        "retry_max_delay_s": "none",
        "retry_jitter": "no",
        "retry_errors": "Payments.ProviderUnavailable, Payments.Throttled",
        "on_error": "Payments.Declined → Release stock after decline\n→ Out of stock",
        "input": "orderId: orderId\namount: total",
        "workload_duration_ms": "1,200",
    }
    page, _digest = opened(client, starter_design, workflow["id"])
    assert 'name="workload_duration_ms"' in page and "Duration (ms)" in page
    answer = post(client, htmx, starter_design, workflow, "steps/edit", **form)
    assert answer.status_code == 200, answer.text
    saved = fulfil_order(app, starter_design)["steps"][4]
    assert saved["timeout_s"] == 30 and saved["failure_rate"] == 0.05
    assert saved["retry"] == {
        "errors": ["Payments.ProviderUnavailable", "Payments.Throttled"],
        "max_attempts": 5,
        "backoff_rate": 1.5,
        "max_delay_s": None,
        "jitter": False,
    }
    assert saved["on_error"] == [
        {"errors": ["Payments.Declined"], "next": "Release stock after decline"},
        {"next": "Out of stock"},
    ]
    assert saved["input"] == {"orderId": "orderId", "amount": "total"}
    assert "currency" not in saved["input"]
    assert saved["workload"] == {"duration_ms": 1200}


def test_renaming_a_step_renames_what_points_to_it(app, client, htmx, starter_design, workflow):
    _page, digest = opened(client, starter_design, workflow["id"])
    target = workflow["steps"][8]  # Release stock of unapproved order
    form = {**form_values(target), "base": digest, "step": "8", "name": "Release held stock"}
    answer = post(client, htmx, starter_design, workflow, "steps/edit", **form)
    assert answer.status_code == 200, answer.text
    approval = fulfil_order(app, starter_design)["steps"][3]["approval"]
    assert approval["on_reject"] == approval["on_timeout"] == "Release held stock"


def test_moving_and_removing_steps(app, client, htmx, starter_design, workflow):
    _page, digest = opened(client, starter_design, workflow["id"])
    answer = post(
        client, htmx, starter_design, workflow, "steps/move", base=digest, step="6", direction="up"
    )
    assert answer.status_code == 200, answer.text
    names = [s["name"] for s in fulfil_order(app, starter_design)["steps"]]
    assert names[4:7] == ["Charge payment", "Confirm order", "Book shipment"]
    # The moved step stays open at its new place, its "Move up" button focused.
    assert re.search(r'data-step-path="5">\s*<details class="wf-step__details" open', answer.text)
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    answer = post(client, htmx, starter_design, workflow, "steps/remove", base=digest, step="5")
    assert answer.status_code == 200, answer.text
    names = [s["name"] for s in fulfil_order(app, starter_design)["steps"]]
    assert "Confirm order" not in names and len(names) == 15


def test_removing_a_step_others_go_to_is_refused_unless_asked_to_clear_them(
    app, client, htmx, starter_design, workflow
):
    _page, digest = opened(client, starter_design, workflow["id"])
    before = revision(app, starter_design)
    answer = post(client, htmx, starter_design, workflow, "steps/remove", base=digest, step="8")
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert "“Release stock of unapproved order” cannot be removed" in text
    assert "“Manager approval” goes to it when rejected and when it times out" in text
    assert revision(app, starter_design) == before
    answer = post(
        client,
        htmx,
        starter_design,
        workflow,
        "steps/remove",
        base=digest,
        step="8",
        clear_references="yes",
    )
    assert answer.status_code == 200, answer.text
    approval = fulfil_order(app, starter_design)["steps"][3]["approval"]
    assert "on_reject" not in approval and "on_timeout" not in approval


@pytest.mark.parametrize(
    ("route", "form", "reason"),
    [
        (
            "steps/edit",
            {"step": "4", "retry": "custom", "retry_max_attempts": "0"},
            "Step “Charge payment”, retry · max attempts: must be greater than or equal to 1",
        ),
        (
            "steps/edit",
            {"step": "4", "on_error": "Payments.Declined Release stock"},
            "Step “Charge payment”, on error, line 1: write “errors → next step”",
        ),
        (
            "steps/edit",
            {"step": "4", "next": "Nowhere"},
            "Step “Charge payment”, next: no step named 'Nowhere' in the same branch",
        ),
        (
            "steps/edit",
            {"step": "1", "branches": "total > → Charge payment"},
            "Step “Large order?”, branches, line 1 · condition: cannot read condition",
        ),
        (
            "steps/edit",
            {"step": "4", "name": "Reserve stock"},
            "the name 'Reserve stock' is already used by an earlier step",
        ),
        ("steps/edit", {"step": "4", "task": "Teleport order"}, "unknown"),
        ("steps", {"kind": "task", "name": "Ship", "where": "end:"}, "choose the command it runs"),
        (
            "steps",
            {"kind": "wait", "name": "Pause", "where": "end:"},
            "Step “Pause”: a wait needs exactly one of 'seconds' or 'until'",
        ),
        (
            "steps",
            {"kind": "approval", "name": "Ask", "where": "end:", "approver": "Nobody"},
            "Step “Ask”, approver: unknown actor 'Nobody'",
        ),
        ("steps/move", {"step": "0", "direction": "up"}, "already the first step"),
        ("steps/remove", {"step": "99"}, "There is no step at 99"),
        ("steps/edit", {"step": "4.b0.0"}, "“Charge payment” is not a parallel step"),
        ("steps/edit", {"step": "4..x"}, "is not a place in a workflow"),
    ],
)
def test_a_refused_change_is_explained_and_changes_nothing(
    app, client, htmx, starter_design, workflow, route, form, reason
):
    _page, digest = opened(client, starter_design, workflow["id"])
    before = revision(app, starter_design)
    if route == "steps/edit" and form["step"].isdigit():
        form = {**form_values(workflow["steps"][int(form["step"])]), **form}
    answer = post(client, htmx, starter_design, workflow, route, base=digest, **form)
    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert reason in html.unescape(answer.text), html.unescape(answer.text)[:2000]
    assert revision(app, starter_design) == before
    assert fulfil_order(app, starter_design) == workflow


def test_a_refused_form_comes_back_open_with_what_was_typed(client, htmx, starter_design, workflow):
    _page, digest = opened(client, starter_design, workflow["id"])
    form = {**form_values(workflow["steps"][4]), "base": digest, "step": "4", "timeout_s": "abc"}
    answer = post(client, htmx, starter_design, workflow, "steps/edit", **form)
    assert answer.status_code == 422
    assert re.search(r'data-step-path="4">\s*<details class="wf-step__details" open', answer.text)
    assert 'name="timeout_s" value="abc"' in answer.text
    assert "Step “Charge payment”, timeout (s): “abc” is not a number." in html.unescape(
        answer.text
    )


def test_a_stale_edit_is_refused_with_the_current_workflow(
    app, client, htmx, starter_design, workflow
):
    _page, digest = opened(client, starter_design, workflow["id"])
    first = post(
        client,
        htmx,
        starter_design,
        workflow,
        "steps/move",
        base=digest,
        step="5",
        direction="down",
    )
    assert first.status_code == 200
    before = revision(app, starter_design)
    again = post(client, htmx, starter_design, workflow, "steps/remove", base=digest, step="7")
    assert again.status_code == 409
    assert "was changed by someone else" in html.unescape(again.text)
    assert revision(app, starter_design) == before


def test_the_workflow_type_is_chosen(app, client, htmx, starter_design, workflow):
    _page, digest = opened(client, starter_design, workflow["id"])
    answer = post(
        client, htmx, starter_design, workflow, "workflow-type", base=digest, type="express"
    )
    assert answer.status_code == 200
    assert fulfil_order(app, starter_design)["type"] == "express"
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    answer = post(client, htmx, starter_design, workflow, "workflow-type", base=digest, type="")
    assert answer.status_code == 200
    assert "type" not in fulfil_order(app, starter_design)


def test_step_editing_is_for_workflows_only(app, client, htmx, starter_design):
    data = app.state.studio.document(starter_design).data
    event = data["contexts"][0]["events"][0]
    _page, digest = opened(client, starter_design, event["id"])
    answer = client.post(
        f"/designs/{starter_design}/elements/{event['id']}/steps/move",
        data={"base": digest, "step": "0", "direction": "down"},
        headers=htmx,
    )
    assert answer.status_code == 422
    assert "is not a workflow" in html.unescape(answer.text)


PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "</textarea><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_step_text_stays_inert_in_the_outline(
    app, client, htmx, starter_design, workflow, payload
):
    _page, digest = opened(client, starter_design, workflow["id"])
    answer = post(
        client,
        htmx,
        starter_design,
        workflow,
        "steps",
        base=digest,
        kind="fail",
        name=f"Stop {payload}",
        where="end:",
        error="Stopped",
        cause=payload,
    )
    assert answer.status_code == 200, answer.text
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    # A refused form is shown again with what was typed: that text must stay inert too.
    refused = post(
        client,
        htmx,
        starter_design,
        workflow,
        "steps/edit",
        base=digest,
        step="0",
        name="Reserve stock",
        input=payload,
    )
    assert refused.status_code == 422
    for page in (answer.text, refused.text):
        for marker in ("<script>", "<img src=x", "</textarea><script>"):
            assert marker not in page
    shown = f'<span class="wf-step__name">{escape("Stop " + payload)}</span>'
    assert shown in answer.text, "the name is shown, as text"
