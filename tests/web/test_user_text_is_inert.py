"""User text stays inert on every page and fragment; nothing a browser sends gets a 500."""

import re

import pytest
from fastapi.testclient import TestClient

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "<svg/onload=window.__pwned=1>",
    "{{7*7}} {% raw %}${7*7}",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "' onmouseover='alert(1)",
]
RAW_MARKERS = ["<script>", "<img src=x", "<svg/onload", "</textarea><script>", "onmouseover='"]


def _pages(client: TestClient, design: str, element: str) -> dict[str, str]:
    return {
        "home": client.get("/").text,
        "board": client.get(f"/designs/{design}").text,
        "lanes": client.get(f"/designs/{design}/lanes").text,
        "inspector": client.get(f"/designs/{design}/elements/{element}").text,
        "text": client.get(f"/designs/{design}/text").text,
        "history": client.get(f"/designs/{design}/history").text,
        "problems": client.get(f"/designs/{design}/problems").text,
        "presence": client.get(f"/designs/{design}/presence").text,
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_and_descriptions_render_as_text(client, htmx, payload):
    created = client.post("/api/designs", json={"name": payload})
    assert created.status_code == 201
    design = created.json()["id"]
    lane = client.get(f"/api/designs/{design}/elements").json()
    lane_id = re.search(r'id="lane-(ctx-[^"]+)"', client.get(f"/designs/{design}").text).group(1)
    assert lane == []
    answer = client.post(
        f"/designs/{design}/elements",
        headers=htmx,
        data={"kind": "commands", "name": payload, "context": lane_id},
    )
    element = re.search(r'data-element="([^"]+)"', answer.text).group(1)
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    answer = client.post(
        f"/designs/{design}/elements/{element}",
        headers=htmx,
        data={"base": digest, "name": payload, "description": payload},
    )
    digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
    client.post(
        f"/designs/{design}/elements/{element}/links",
        headers=htmx,
        data={"base": digest, "relation": "emits", "target": payload},
    )
    client.post("/session/name", headers=htmx, data={"name": payload})
    pages = _pages(client, design, element)
    for name, html in pages.items():
        for marker in RAW_MARKERS:
            assert marker not in html, f"{marker!r} reached the {name} page unescaped"
    if "{{7*7}}" in payload:  # shown as written, never evaluated as a template
        for name in ("home", "board", "inspector", "text"):
            assert "{{7*7}}" in pages[name], name


def test_nothing_a_browser_sends_answers_500(client, htmx, starter_design):
    element = client.get(f"/api/designs/{starter_design}/elements").json()[0]["id"]
    junk = ["", "x" * 5000, "\x00", "../../etc/passwd", "%00", "ctx-nope", "-1", "1e309"]
    routes = [
        f"/designs/{starter_design}/elements",
        f"/designs/{starter_design}/lanes",
        f"/designs/{starter_design}/elements/{element}",
        f"/designs/{starter_design}/elements/{element}/fields",
        f"/designs/{starter_design}/elements/{element}/fields/remove",
        f"/designs/{starter_design}/elements/{element}/workload",
        f"/designs/{starter_design}/elements/{element}/links",
        f"/designs/{starter_design}/elements/{element}/links/remove",
        f"/designs/{starter_design}/elements/{element}/move",
        f"/designs/{starter_design}/elements/nope/delete",
        f"/designs/{starter_design}/changes/1/undo",
        f"/designs/{starter_design}/changes/999/undo",
        f"/designs/{starter_design}/text",
        f"/designs/{starter_design}/rename",
        "/designs/nope/duplicate",
        "/designs/import",
        "/designs/new",
    ]
    fields = [
        "kind",
        "name",
        "context",
        "base",
        "field_name",
        "field_type",
        "relation",
        "target",
        "index",
        "direction",
        "before",
        "lane_step",
        "storm_text",
        "loaded_revision",
        "starter",
        "requests_per_month",
        "memory_mb",
    ]
    for route in routes:
        for value in junk:
            response = client.post(route, headers=htmx, data={f: value for f in fields})
            assert response.status_code < 500, (route, value, response.text[:300])
    for path in [
        "/designs/nope",
        "/designs/nope/text",
        f"/designs/{starter_design}/previews/x",
        f"/designs/{starter_design}/artifacts/../../etc/passwd",
        f"/designs/{starter_design}/elements/nope",
        "/api/designs/nope/storm",
    ]:
        assert client.get(path).status_code in {404, 422}, path


def test_a_design_with_an_unreadable_storm_file_does_not_break_the_studio(client, engine, owner):
    from app.store import designs
    from app.store.db import session_scope

    with session_scope(engine) as session:
        design_id = designs.create_design(
            session, name="Hand-written", storm_yaml="", actor="x", owner_id=owner.id
        ).id
    assert client.get("/").status_code == 200
    assert client.get(f"/designs/{design_id}").status_code == 422


def test_request_bodies_are_limited(client, htmx, starter_design):
    huge = "a" * (3 * 1024 * 1024)
    response = client.post(
        f"/designs/{starter_design}/text",
        headers=htmx,
        data={"storm_text": huge, "loaded_revision": "1"},
    )
    assert response.status_code == 413
