"""OpenAPI documents: valid for openapi-spec-validator and schemathesis, examples valid against
their schemas, and the API Gateway conventions (idempotency, pagination, problems, security,
integrations) where they belong."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate

from app.generators.api import openapi_document, openapi_files
from tests.generators.diagrams.factories import (
    CASES,
    billing,
    case_id,
    design,
    large,
    load,
    ordering,
)

API_SETTINGS = [
    {"type": "http", "auth": "jwt"},
    {"type": "http", "auth": "none"},
    {"type": "rest", "auth": "jwt"},
    {"type": "rest", "auth": "api-key"},
    {"type": "rest", "auth": "none"},
]
WRITES = ("post", "put", "patch", "delete")


def shop(api: dict[str, str] | None = None):
    return design([ordering(), billing()], api or {"type": "http", "auth": "jwt"})


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in CASES:
        yield case_id(path), openapi_document(load(path))
    for api in API_SETTINGS:
        yield f"shop-{api['type']}-{api['auth']}", openapi_document(shop(api))
    yield "shop-ordering-only", openapi_document(shop(), context="Ordering")
    yield "large", openapi_document(large())


DOCUMENTS = dict(documents())


@pytest.fixture(params=sorted(DOCUMENTS), scope="module")
def document(request: pytest.FixtureRequest) -> dict[str, Any]:
    return DOCUMENTS[request.param]


def examples(document: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(where, example, schema) for every example in a document."""
    for name, schema in document["components"]["schemas"].items():
        if "example" in schema:
            yield f"schemas.{name}", schema["example"], schema
    for name, parameter in document["components"]["parameters"].items():
        if "example" in parameter:
            yield f"parameters.{name}", parameter["example"], parameter["schema"]
    for name, response in document["components"]["responses"].items():
        for media, content in response.get("content", {}).items():
            if "example" in content:
                yield f"responses.{name}.{media}", content["example"], content["schema"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if "example" in parameter:
                    where = f"{method} {path} {parameter['name']}"
                    yield where, parameter["example"], parameter["schema"]


def test_openapi_spec_validator_accepts_it(document: dict[str, Any]) -> None:
    validate(document)


def test_every_example_validates_against_its_schema(document: dict[str, Any]) -> None:
    found = 0
    for where, example, schema in examples(document):
        rooted = {**schema, "components": document["components"]}  # so $refs resolve
        validator = OAS30Validator(rooted, format_checker=oas30_format_checker)
        errors = [e.message for e in validator.iter_errors(example)]
        assert errors == [], where
        found += 1
    assert found > 0


def test_a_wrong_example_would_be_caught() -> None:
    document = openapi_document(shop())
    schema = document["components"]["schemas"]["PlaceOrderInput"]
    validator = OAS30Validator({**schema, "components": document["components"]})
    assert not validator.is_valid({**schema["example"], "total": 12.5})


def test_schemathesis_loads_every_operation(document: dict[str, Any]) -> None:
    loaded = schemathesis.openapi.from_dict(document)
    results = list(loaded.get_all_operations())
    operations = sum(len(item) for item in document["paths"].values())
    assert len(results) == operations
    assert all(type(r).__name__ == "Ok" for r in results)


def test_written_as_yaml_that_reads_back_the_same() -> None:
    valid = shop()
    (artifact,) = openapi_files(valid)
    assert artifact.path == "api/openapi.yaml"
    text = artifact.content.decode()
    assert "&id" not in text and "*id" not in text  # no YAML anchors for tools to trip on
    assert yaml.safe_load(text) == openapi_document(valid)


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_hostile_and_starter_names_survive_the_yaml(path) -> None:
    valid = load(path)
    (artifact,) = openapi_files(valid)
    assert yaml.safe_load(artifact.content.decode()) == openapi_document(valid)


def test_per_context_files_on_request() -> None:
    paths = [a.path for a in openapi_files(shop(), per_context=True)]
    assert paths == [
        "api/openapi.yaml",
        "api/contexts/Ordering.openapi.yaml",
        "api/contexts/Billing.openapi.yaml",
    ]
    ordering_only = openapi_document(shop(), context="Ordering")
    assert "/hooks/payments" not in ordering_only["paths"]
    assert {t["name"] for t in ordering_only["tags"]} == {"Ordering"}


def test_field_types_become_schemas_and_formats() -> None:
    schemas = openapi_document(shop())["components"]["schemas"]
    place = schemas["PlaceOrderInput"]["properties"]
    assert place["total"] == {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    assert place["day"]["format"] == "date" and place["photo"]["format"] == "byte"
    assert place["count"] == {"type": "integer", "format": "int64", "example": 3}
    assert "photo" not in schemas["PlaceOrderInput"]["required"]  # optional
    item = schemas["OrderDetails"]["properties"]
    assert item["placedAt"]["format"] == "date-time"
    assert item["status"]["enum"] == ["OPEN", "PAID"]
    assert item["tags"] == {"type": "array", "items": {"type": "string"}}
    assert item["extras"]["additionalProperties"] == {"type": "integer", "format": "int64"}
    assert item["address"]["required"] == ["street"]
    as_number = openapi_document(shop(), decimal="number")["components"]["schemas"]
    assert as_number["PlaceOrderInput"]["properties"]["total"] == {"type": "number"}


def test_writes_take_an_idempotency_key_and_reads_do_not() -> None:
    paths = openapi_document(shop())["paths"]
    for item in paths.values():
        for method, operation in item.items():
            refs = [p.get("$ref") for p in operation.get("parameters", [])]
            has_key = "#/components/parameters/IdempotencyKey" in refs
            webhook = operation["operationId"].endswith("Webhook")
            assert has_key == (method in WRITES and not webhook), operation["operationId"]


def test_list_reads_are_cursor_paginated_and_single_reads_are_not() -> None:
    document = openapi_document(shop())
    schemas = document["components"]["schemas"]
    listing = document["paths"]["/customers/{customerId}/orders"]["get"]
    refs = [p.get("$ref") for p in listing["parameters"]]
    assert "#/components/parameters/Limit" in refs and "#/components/parameters/Cursor" in refs
    page = schemas["OrdersOfCustomerPage"]
    assert page["properties"]["nextCursor"]["nullable"] is True
    single = document["paths"]["/orders/{orderId}"]["get"]
    assert single["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OrderDetails"
    }
    by_status = document["paths"]["/orders"]["get"]["parameters"]
    assert {
        "name": "status",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "enum": ["OPEN", "PAID"]},
    } in by_status


def test_errors_are_problem_details() -> None:
    document = openapi_document(shop())
    place = document["paths"]["/orders"]["post"]["responses"]
    assert set(place) == {"201", "400", "401", "403", "409", "429", "500"}
    cancel = document["paths"]["/orders/{orderId}"]["delete"]["responses"]
    assert {"204", "404", "409"} <= set(cancel)
    for response in document["components"]["responses"].values():
        content = response["content"]["application/problem+json"]
        assert content["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_http_api_jwt_authorizer_with_actor_scopes() -> None:
    document = openapi_document(shop({"type": "http", "auth": "jwt"}))
    scheme = document["components"]["securitySchemes"]["jwt"]
    assert scheme["x-amazon-apigateway-authorizer"]["type"] == "jwt"
    place = document["paths"]["/orders"]["post"]
    assert place["security"] == [{"jwt": ["customer"]}]
    integration = place["x-amazon-apigateway-integration"]
    assert integration["type"] == "aws_proxy" and integration["payloadFormatVersion"] == "2.0"
    assert "PlaceOrderFunction" in integration["uri"]
    assert "x-amazon-apigateway-request-validators" not in document


def test_rest_api_keys_usage_plans_and_request_validators() -> None:
    document = openapi_document(shop({"type": "rest", "auth": "api-key"}))
    assert document["x-amazon-apigateway-api-key-source"] == "HEADER"
    assert document["components"]["securitySchemes"]["apiKey"]["name"] == "x-api-key"
    assert document["x-amazon-apigateway-request-validator"] == "all"
    place = document["paths"]["/orders"]["post"]
    assert place["security"] == [{"apiKey": []}]
    assert "payloadFormatVersion" not in place["x-amazon-apigateway-integration"]


def test_no_auth_means_no_security_and_no_401() -> None:
    document = openapi_document(shop({"type": "http", "auth": "none"}))
    assert "securitySchemes" not in document["components"]
    place = document["paths"]["/orders"]["post"]
    assert "security" not in place and "401" not in place["responses"]


def test_tags_per_context() -> None:
    document = openapi_document(shop())
    assert [t["name"] for t in document["tags"]] == ["Ordering", "Billing"]
    assert document["paths"]["/hooks/payments"]["post"]["tags"] == ["Billing"]
