"""The access-pattern editor in the inspector: every key the table planner reads, as a form."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient


def pattern(app: FastAPI, design: str, name: str) -> dict:
    data = app.state.studio.document(design).data
    return next(
        p for c in data["contexts"] for p in c.get("access_patterns", []) if p["name"] == name
    )


def opened(client: TestClient, design: str, element: str) -> tuple[str, str]:
    answer = client.get(f"/designs/{design}/elements/{element}")
    assert answer.status_code == 200
    return answer.text, re.search(r'data-digest="([^"]+)"', answer.text).group(1)


FORM = {
    "entity": "Order",
    "action": "read",
    "by": "customerId",
    "include": "",
    "exists": "",
    "filters": "",
    "sort": "createdAt",
    "order": "desc",
    "range": "",
    "many": "many",
    "consistency": "eventual",
    "condition": "",
    "counter": "",
    "batch": "",
    "requests_per_month": "",
}


def test_the_editor_shows_the_pattern_as_it_is(app, client, starter_design) -> None:
    create = pattern(app, starter_design, "Create order")
    page, _digest = opened(client, starter_design, create["id"])
    assert 'id="pattern-title"' in page
    assert re.search(r'<option value="Order" selected>Order</option>', page)
    assert re.search(r'<option value="put" selected>', page)
    assert re.search(r'<option value="create-only" selected>', page)
    assert 'id="ap-by" name="by" value="orderId"' in page
    assert "Fields of Order: orderId" in page


def test_saving_the_editor_changes_the_pattern(app, client, htmx, starter_design) -> None:
    create = pattern(app, starter_design, "Create order")
    _page, digest = opened(client, starter_design, create["id"])
    form = {
        **FORM,
        "base": digest,
        "filters": "status: OPEN\nurgent: true\npriority: 2",
        "exists": "shippedAt",
        "requests_per_month": "120,000",
    }
    answer = client.post(
        f"/designs/{starter_design}/elements/{create['id']}/pattern", data=form, headers=htmx
    )
    assert answer.status_code == 200, answer.text
    saved = pattern(app, starter_design, "Create order")
    assert "action" not in saved, "read is the default, left out"
    assert saved["by"] == ["customerId"]
    assert (saved["sort"], saved["order"], saved["many"]) == ("createdAt", "desc", True)
    assert saved["filters"] == {"status": "OPEN", "urgent": True, "priority": 2}
    assert saved["exists"] == ["shippedAt"] and saved["requests_per_month"] == 120_000
    assert "condition" not in saved, "an empty choice leaves the key out"


def test_a_value_the_model_refuses_is_explained_and_nothing_changes(
    app, client, htmx, starter_design
) -> None:
    create = pattern(app, starter_design, "Create order")
    _page, digest = opened(client, starter_design, create["id"])
    path = f"/designs/{starter_design}/elements/{create['id']}/pattern"
    for wrong, reason in (
        ({"filters": "status OPEN"}, "line 1"),
        ({"batch": "1"}, "batch"),
        ({"batch": "many"}, "Batch size"),
        ({"action": "put", "sort": "createdAt"}, "only apply to reads"),
    ):
        answer = client.post(path, data={**FORM, "base": digest, **wrong}, headers=htmx)
        assert answer.status_code == 422, wrong
        assert reason in answer.text, (wrong, answer.text[:300])
        assert pattern(app, starter_design, "Create order") == create
