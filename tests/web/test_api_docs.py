"""The API tab: the design's OpenAPI as JSON and as Swagger UI docs served from static/vendor."""

from fastapi.testclient import TestClient
from openapi_spec_validator import validate


def test_the_api_tab_offers_the_docs_and_keeps_the_yaml(client: TestClient, starter_design):
    tab = client.get(f"/designs/{starter_design}/previews/api").text
    assert f'href="/designs/{starter_design}/api-docs"' in tab
    assert "Open API docs" in tab
    assert "api/openapi.yaml" in tab


def test_the_openapi_json_is_the_designs_valid_document(client: TestClient, starter_design):
    response = client.get(f"/designs/{starter_design}/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    validate(document)
    assert "/orders" in document["paths"]


def test_the_docs_page_loads_swagger_ui_from_the_studio_only(client: TestClient, starter_design):
    page = client.get(f"/designs/{starter_design}/api-docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "/static/vendor/swagger-ui/swagger-ui.css" in page.text
    assert f"/designs/{starter_design}/openapi.json?v=" in page.text
    assert "cdn." not in page.text and "unpkg" not in page.text


def test_the_docs_refuse_a_design_with_problems(client: TestClient, starter_design):
    exported = client.get(f"/api/designs/{starter_design}/storm")
    broken = exported.text.replace("route: POST /orders/{orderId}/cancel", "route: POST /orders", 1)
    assert broken != exported.text
    headers = {"Content-Type": "application/yaml", "If-Match": exported.headers["ETag"]}
    saved = client.put(f"/api/designs/{starter_design}/storm", content=broken, headers=headers)
    assert saved.status_code == 200, saved.text
    assert client.get(f"/designs/{starter_design}/openapi.json").status_code == 409
    assert client.get(f"/designs/{starter_design}/api-docs").status_code == 409
