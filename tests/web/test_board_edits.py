"""Board edits over HTTP: each answers a fragment, records a change, and merges per element."""

import re

from fastapi.testclient import TestClient

ADD = "/designs/{id}/elements"


def _lane(client: TestClient, design: str) -> str:
    return client.get(f"/api/designs/{design}/elements").json()[0]["lane"]


def _add(client, htmx, design, kind="events", name="Refund issued", **extra) -> tuple[str, str]:
    response = client.post(
        ADD.format(id=design),
        headers=htmx,
        data={"kind": kind, "name": name, "context": _lane(client, design), **extra},
    )
    assert response.status_code == 200, response.text
    element = re.search(r'data-element="([^"]+)"', response.text).group(1)
    digest = re.search(r'data-digest="([^"]+)"', response.text).group(1)
    return element, digest


def test_adding_a_sticky_answers_the_inspector_and_its_lane_only(client, htmx, starter_design):
    response = client.post(
        ADD.format(id=starter_design),
        headers=htmx,
        data={"kind": "events", "name": "Refund issued", "context": _lane(client, starter_design)},
    )
    assert response.status_code == 200
    assert response.headers["X-Design-Revision"] == "2"
    assert 'class="inspector"' in response.text
    assert response.text.count('hx-swap-oob="outerHTML"') == 1  # one lane, nothing else
    assert "<html" not in response.text


def test_a_policy_needs_its_event_and_command(client, htmx, starter_design):
    refused = client.post(
        ADD.format(id=starter_design),
        headers=htmx,
        data={
            "kind": "policies",
            "name": "Refund when cancelled",
            "context": _lane(client, starter_design),
        },
    )
    assert refused.status_code == 422
    assert "policy cannot be saved" in refused.text
    _add(
        client,
        htmx,
        starter_design,
        "policies",
        "Refund when cancelled",
        event="Order cancelled",
        command="Send an apology",
    )
    problems = client.get(f"/api/designs/{starter_design}/problems").json()
    assert any("Send an apology" in p["message"] for p in problems)  # stored, shown as a problem


def test_edits_to_different_elements_both_land(client, htmx, starter_design):
    first, first_digest = _add(client, htmx, starter_design, name="First")
    second, second_digest = _add(client, htmx, starter_design, name="Second")
    for element, digest, text in ((first, first_digest, "one"), (second, second_digest, "two")):
        response = client.post(
            f"/designs/{starter_design}/elements/{element}",
            headers=htmx,
            data={"base": digest, "name": text.title(), "description": text},
        )
        assert response.status_code == 200
    storm = client.get(f"/api/designs/{starter_design}/storm").text
    assert "description: one" in storm and "description: two" in storm


def test_a_stale_edit_of_the_same_element_is_refused_with_the_current_value(
    client, htmx, starter_design
):
    element, digest = _add(client, htmx, starter_design, name="Refund issued")
    url = f"/designs/{starter_design}/elements/{element}"
    assert (
        client.post(url, headers=htmx, data={"base": digest, "name": "Refund paid"}).status_code
        == 200
    )
    stale = client.post(url, headers=htmx, data={"base": digest, "name": "Refund sent"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    assert 'value="Refund paid"' in stale.text
    assert "Refund sent" not in client.get(f"/api/designs/{starter_design}/storm").text


def test_fields_links_and_workload_through_the_inspector(client, htmx, starter_design):
    event, _ = _add(client, htmx, starter_design, name="Refund issued")
    command, digest = _add(client, htmx, starter_design, "commands", "Issue refund")
    base = f"/designs/{starter_design}/elements/{command}"
    answer = client.post(
        base + "/links",
        headers=htmx,
        data={"base": digest, "relation": "emits", "target": "Refund issued"},
    )
    assert answer.status_code == 200
    assert f'data-links="{event}"' in answer.text  # the sticky, swapped out of band
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    answer = client.post(
        base + "/fields",
        headers=htmx,
        data={"base": digest, "field_name": "amount", "field_type": "decimal"},
    )
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    answer = client.post(
        base + "/workload",
        headers=htmx,
        data={
            "base": digest,
            "requests_per_month": "20,000",
            "duration_ms": "",
            "memory_mb": "256",
            "peak_factor": "",
        },
    )
    assert answer.status_code == 200
    data = client.get(f"/api/designs/{starter_design}/elements/{command}").json()["data"]
    assert data["emits"] == [{"event": "Refund issued"}]
    assert data["input"] == {"amount": "decimal"}
    assert data["workload"] == {"requests_per_month": 20000, "memory_mb": 256}
    refused = client.post(base + "/workload", headers=htmx, data={"base": "x", "memory_mb": "lots"})
    assert refused.status_code == 422 and "not a number" in refused.text


def test_delete_then_undo_puts_the_sticky_back_where_it_was(client, htmx, starter_design):
    element, _ = _add(client, htmx, starter_design, name="Refund issued")
    before = client.get(f"/api/designs/{starter_design}/storm").text
    deleted = client.post(f"/designs/{starter_design}/elements/{element}/delete", headers=htmx)
    assert f'id="s-{element}" hx-swap-oob="delete"' in deleted.text
    revision = re.search(r"/changes/(\d+)/undo", deleted.text).group(1)
    other, _ = _add(client, htmx, starter_design, name="Meanwhile")
    undone = client.post(f"/designs/{starter_design}/changes/{revision}/undo", headers=htmx)
    assert undone.status_code == 200
    after = client.get(f"/api/designs/{starter_design}/storm").text
    assert "Refund issued" in after and "Meanwhile" in after
    assert (
        after.replace(
            re.search(r"  - id: evt-\w+\n    name: Meanwhile\n", after).group(0), ""
        ).split("layout:")[0]
        == before.split("layout:")[0]
    )
    history = client.get(f"/designs/{starter_design}/history").text
    assert "Undid: Deleted event" in history
    del other


def test_moves_along_the_timeline_and_between_lanes(client, htmx, starter_design):
    element, _ = _add(client, htmx, starter_design, name="Refund issued")
    stickies = client.get(f"/api/designs/{starter_design}/elements").json()
    lanes = list(dict.fromkeys(s["lane"] for s in stickies))
    answer = client.post(
        f"/designs/{starter_design}/elements/{element}/move",
        headers=htmx,
        data={"lane_step": "down"},
    )
    assert answer.status_code == 200
    assert answer.text.count('hx-swap-oob="outerHTML"') == 2  # the two lanes it touched
    moved = {s["id"]: s for s in client.get(f"/api/designs/{starter_design}/elements").json()}
    assert moved[element]["lane"] == lanes[1]
    first = next(s for s in moved.values() if s["lane"] == lanes[1] and s["id"] != element)
    client.post(
        f"/designs/{starter_design}/elements/{element}/move",
        headers=htmx,
        data={"before": first["id"], "context": lanes[1]},
    )
    order = [
        s["id"]
        for s in client.get(f"/api/designs/{starter_design}/elements").json()
        if s["lane"] == lanes[1]
    ]
    assert order.index(element) == order.index(first["id"]) - 1


def test_state_changing_requests_need_the_csrf_token(client, starter_design):
    response = client.post(
        ADD.format(id=starter_design), data={"kind": "events", "name": "X", "context": "ctx-none"}
    )
    assert response.status_code == 403
    wrong = client.post(
        ADD.format(id=starter_design),
        headers={"X-CSRF-Token": "0" * 32},
        data={"kind": "events", "name": "X", "context": "ctx-none"},
    )
    assert wrong.status_code == 403


def test_the_board_page_lists_every_lane_and_sticky(client, starter_design):
    page = client.get(f"/designs/{starter_design}")
    assert page.status_code == 200
    stickies = client.get(f"/api/designs/{starter_design}/elements").json()
    assert page.text.count('class="sticky sticky--') == len(stickies)
    assert 'sse-connect="/designs/' in page.text
