"""The JSON API drives everything the pages do, and is documented by the studio's OpenAPI."""

import json

from openapi_spec_validator import validate


def test_designs_lifecycle(client):
    created = client.post("/api/designs", json={"starter": "order-processing", "name": "Shop"})
    assert created.status_code == 201
    design = created.json()["id"]
    assert [d["name"] for d in client.get("/api/designs?q=sho").json()] == ["Shop"]
    assert client.patch(f"/api/designs/{design}", json={"name": "Shop 2"}).status_code == 200
    copy = client.post(f"/api/designs/{design}/duplicate", json={})
    assert copy.status_code == 201 and copy.json()["name"] == "Shop 2 (copy)"
    assert client.delete(f"/api/designs/{design}").status_code == 204
    assert client.get(f"/api/designs/{design}").status_code == 404
    assert client.post(f"/api/designs/{design}/restore", json={}).json()["name"] == "Shop 2"


def test_storm_file_export_and_guarded_import(client):
    design = client.post("/api/designs", json={"name": "Blank"}).json()["id"]
    exported = client.get(f"/api/designs/{design}/storm")
    revision = exported.headers["ETag"]
    changed = exported.text.replace("name: Blank", "name: Imported", 1)
    headers = {"Content-Type": "application/yaml", "If-Match": revision}
    saved = client.put(f"/api/designs/{design}/storm", content=changed, headers=headers)
    assert saved.status_code == 200
    stale = client.put(f"/api/designs/{design}/storm", content=changed, headers=headers)
    assert stale.status_code == 409
    broken = client.put(
        f"/api/designs/{design}/storm",
        content="name: [unclosed",
        headers={**headers, "If-Match": str(saved.json()["revision"])},
    )
    assert broken.status_code == 422
    assert broken.json()["problems"][0]["line"] is not None
    assert client.get(f"/api/designs/{design}").json()["name"] == "Imported"


def test_elements_edits_conflicts_and_undo(client):
    design = client.post("/api/designs", json={"name": "Board"}).json()["id"]
    lane = client.post(f"/api/designs/{design}/lanes", json={"name": "Billing"}).json()
    added = client.post(
        f"/api/designs/{design}/elements",
        json={"lane": lane["element"], "kind": "events", "data": {"name": "Invoice sent"}},
    )
    assert added.status_code == 201
    element = added.json()["element"]
    read = client.get(f"/api/designs/{design}/elements/{element}").json()
    ok = client.patch(
        f"/api/designs/{design}/elements/{element}",
        json={"changes": {"description": "by mail"}, "base": read["digest"]},
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"/api/designs/{design}/elements/{element}",
        json={"changes": {"description": "by post"}, "base": read["digest"]},
    )
    assert stale.status_code == 409
    deleted = client.delete(f"/api/designs/{design}/elements/{element}").json()
    assert client.get(f"/api/designs/{design}/elements/{element}").status_code == 404
    client.post(f"/api/designs/{design}/changes/{deleted['revision']}/undo", json={})
    assert (
        client.get(f"/api/designs/{design}/elements/{element}").json()["data"]["description"]
        == "by mail"
    )
    history = client.get(f"/api/designs/{design}/changes").json()
    assert history[0]["summary"].startswith("Undid: Deleted event")


def test_artifacts_are_listed_by_tab_and_served(client):
    design = client.post("/api/designs", json={"starter": "order-processing"}).json()["id"]
    tabs = {t["tab"]: t for t in client.get(f"/api/designs/{design}/artifacts").json()}
    assert set(tabs) == {"diagrams", "table", "workflows", "api", "cost", "review", "export"}
    api = tabs["api"]
    assert api["status"] == "ready"
    path = api["files"][0]["path"]
    assert client.get(f"/api/designs/{design}/artifacts/{path}").content.startswith(b"openapi")


def test_form_posts_cannot_reach_the_api(client):
    response = client.post("/api/designs", data={"name": "From another site"})
    assert response.status_code == 415


def test_the_openapi_document_is_valid_and_served_offline(client):
    document = client.get("/openapi.json").json()
    validate(document)
    assert any(path.startswith("/api/designs") for path in document["paths"])
    assert not any(path.startswith("/designs") for path in document["paths"])
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs


def test_a_nosql_workbench_model_imports_as_a_design(client) -> None:
    from app.generators.table import plan_table, workbench_model
    from app.model import load_design
    from app.services.designs import design_from_starter

    valid = load_design(design_from_starter("order-processing", "Orders"))
    model = json.dumps(workbench_model(plan_table(valid)))
    answer = client.post("/api/designs", json={"storm": model, "name": "Shop"})
    assert answer.status_code == 201, answer.text
    text = client.get(f"/api/designs/{answer.json()['id']}/storm").text
    assert load_design(text).design.name == "Shop"
    assert "access_patterns" in text
