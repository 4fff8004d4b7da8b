"""OpenAPI 3.0.3 for the design's API Gateway API (HTTP or REST), with its AWS extensions.

Operations come from commands with routes (writes: POST, PUT, PATCH, DELETE; each takes an
``Idempotency-Key`` header), read models with routes (GET; list reads are cursor-paginated with
``limit`` and ``cursor`` and answer ``nextCursor``), workflows with routes (start an execution)
and webhooks. Errors are ``application/problem+json`` through one shared ``Problem`` schema.
Security: a JWT authorizer (HTTP API; Cognito user pools on REST) with one scope per actor, or
API keys (REST, for usage plans), or none. Every operation carries its API Gateway integration:
Lambda proxy (payload format 2.0 on HTTP APIs), Step Functions for workflows; REST APIs get
request validators.
"""

from __future__ import annotations

import copy
from typing import Any

from app.generators.api.fields import DecimalAs, example_value, field_schema, object_schema
from app.generators.api.gateway import integration, security_schemes, shared_parameters
from app.generators.api.problems import ERRORS, error_responses, problem_components
from app.model import ValidDesign
from app.model.base import route_params, route_parts
from app.model.codes import camel, kebab
from app.model.index import Entry
from app.model.types import FieldType
from app.model.validate import identifiers_of

OPENAPI_VERSION = "3.0.3"


class _Names:
    """Hands out component and operation names, suffixing a number when two would clash."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        name, n = wanted, 2
        while name.lower() in self.taken:
            name, n = f"{wanted}{n}", n + 1
        self.taken.add(name.lower())
        return name


def openapi_document(
    valid: ValidDesign, context: str | None = None, decimal: DecimalAs = "string"
) -> dict[str, Any]:
    """The OpenAPI document of the design's API, or of one bounded context's part of it."""
    api = valid.design.settings.api
    builder = _Builder(valid, decimal)
    for kind in ("commands", "read_models", "workflows", "external_systems"):
        for entry in valid.of_kind(kind):
            if context is not None and valid.code(entry.context).lower() != context.lower():  # type: ignore[arg-type]
                continue
            builder.add(entry)
    title = valid.design.name if context is None else f"{valid.design.name} — {context}"
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title,
            "version": "1.0.0",
            "description": valid.design.description or f"The API of {valid.design.name}.",
        },
        "tags": builder.tags(),
        "paths": {path: builder.paths[path] for path in sorted(builder.paths)},
        "components": {
            "schemas": {**problem_components(), **dict(sorted(builder.schemas.items()))},
            "parameters": shared_parameters(),
            "responses": error_responses(),
        },
    }
    schemes = builder.security_schemes()
    if schemes:
        document["components"]["securitySchemes"] = schemes
    if api.type == "rest":
        document["x-amazon-apigateway-request-validators"] = {
            "all": {"validateRequestBody": True, "validateRequestParameters": True},
            "params-only": {"validateRequestBody": False, "validateRequestParameters": True},
        }
        document["x-amazon-apigateway-request-validator"] = "all"
        if api.auth == "api-key":
            document["x-amazon-apigateway-api-key-source"] = "HEADER"
    return document


class _Builder:
    def __init__(self, valid: ValidDesign, decimal: DecimalAs) -> None:
        self.valid = valid
        self.decimal = decimal
        self.api = valid.design.settings.api
        self.paths: dict[str, dict[str, Any]] = {}
        self.schemas: dict[str, Any] = {}
        self.names = _Names()
        self.operation_ids = _Names()
        self.used_tags: dict[str, str] = {}
        self.scopes: dict[str, str] = {}
        self.paginated = False

    # --- operations ----------------------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        element = entry.element
        code = self.valid.code(element)
        if entry.kind == "external_systems":
            webhook = getattr(element, "webhook", None)
            if webhook is not None:
                self.webhook(entry, code, webhook.route)
            return
        route = getattr(element, "route", None)
        if not route:
            return
        if entry.kind == "read_models":
            self.read(entry, code, route)
        else:
            self.write(entry, code, route)

    def operation(self, entry: Entry, code: str, route: str, fields: dict[str, FieldType]):
        method, path = route_parts(route)
        params = route_params(route)
        context = entry.context
        tag = context.name if context is not None else "API"
        self.used_tags.setdefault(tag, context.description if context is not None else "")
        operation: dict[str, Any] = {
            "operationId": self.operation_ids.claim(camel(code)),
            "summary": entry.element.name,
            "tags": [tag],
        }
        if entry.element.description:
            operation["description"] = entry.element.description
        parameters = [self.path_parameter(name, fields.get(name)) for name in params]
        self.paths.setdefault(path, {})[method.lower()] = operation
        return operation, parameters, [n for n in fields if n not in params]

    def path_parameter(self, name: str, field: FieldType | None) -> dict[str, Any]:
        schema = field_schema(field, self.decimal) if field else {"type": "string"}
        if schema.get("type") not in ("string", "integer", "number", "boolean"):
            schema = {"type": "string"}
        example = example_value(name, field, self.decimal) if field else f"{name}-0001"
        return {
            "name": name,
            "in": "path",
            "required": True,
            "schema": schema,
            "example": example if not isinstance(example, dict | list) else f"{name}-0001",
        }

    def write(self, entry: Entry, code: str, route: str) -> None:
        fields: dict[str, FieldType] = dict(getattr(entry.element, "input", {}))
        operation, parameters, body_fields = self.operation(entry, code, route, fields)
        method = route.split(" ", 1)[0]
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
        operation["parameters"] = parameters
        if body_fields or method in ("POST", "PUT", "PATCH"):
            body = {name: fields[name] for name in body_fields}
            name = self.schema(
                f"{code}Input", object_schema(body, self.decimal), _example(body, self.decimal)
            )
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(name)}},
            }
        status, description, result = self.result(entry, code, method)
        responses: dict[str, Any] = {status: {"description": description}}
        if result is not None:
            responses[status]["content"] = {"application/json": {"schema": _ref(result)}}
        wanted = ["400", "401", "403", "404", "409", "429", "500"]
        if not route_params(route):
            wanted.remove("404")
        operation["responses"] = {**responses, **self.errors(wanted)}
        self.secure(entry, operation)
        operation["x-amazon-apigateway-integration"] = self.integration(entry, code)

    def result(self, entry: Entry, code: str, method: str) -> tuple[str, str, str | None]:
        if entry.kind == "workflows":
            schema = {
                "type": "object",
                "properties": {"executionId": {"type": "string"}},
                "required": ["executionId"],
                "additionalProperties": False,
            }
            return (
                "202",
                "Started",
                self.schema(f"{code}Started", schema, {"executionId": "exec-0001"}),
            )
        if method == "DELETE":
            return "204", "Done", None
        fields: dict[str, FieldType] = {}
        aggregate = self.valid.target(entry.element, "aggregate")
        if aggregate is not None:
            attributes = aggregate.element.attributes  # type: ignore[attr-defined]
            for name in identifiers_of(aggregate.element, self.valid.code(aggregate.element)):  # type: ignore[arg-type]
                if name in attributes:
                    fields[name] = attributes[name].model_copy(update={"optional": False})
        fields["status"] = FieldType(type="enum", values=["ACCEPTED"])
        status = "201" if method == "POST" else "200"
        name = self.schema(
            f"{code}Result", object_schema(fields, self.decimal), _example(fields, self.decimal)
        )
        return status, "Accepted", name

    def read(self, entry: Entry, code: str, route: str) -> None:
        model = entry.element
        fields: dict[str, FieldType] = dict(getattr(model, "fields", {}))
        patterns = self.valid.targets(model, "access_patterns")
        keys: list[str] = []
        for pattern in patterns:
            for name in getattr(pattern.element, "by", []):
                if name not in keys:
                    keys.append(name)
        entity = self.valid.target(patterns[0].element, "entity") if patterns else None
        attributes = dict(getattr(entity.element, "attributes", {})) if entity else {}
        operation, parameters, _ = self.operation(entry, code, route, {**attributes, **fields})
        item_fields = fields or attributes
        item = self.schema(
            code, object_schema(item_fields, self.decimal), _example(item_fields, self.decimal)
        )
        in_path = set(route_params(route))
        for name in keys:
            if name in in_path:
                continue
            field = attributes.get(name) or fields.get(name)
            schema = field_schema(field, self.decimal) if field else {"type": "string"}
            parameters.append(
                {"name": name, "in": "query", "required": len(patterns) == 1, "schema": schema}
            )
        many = any(self.is_list(p) for p in patterns) if patterns else True
        if many:
            self.paginated = True
            parameters += [
                {"$ref": "#/components/parameters/Limit"},
                {"$ref": "#/components/parameters/Cursor"},
            ]
            page = {
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": _ref(item)},
                    "nextCursor": {
                        "type": "string",
                        "nullable": True,
                        "description": "pass as 'cursor' for the next page; null on the last page",
                    },
                },
                "required": ["items", "nextCursor"],
                "additionalProperties": False,
            }
            # A copy, so the YAML never shares one object between two places (no &id anchors).
            example = {"items": [copy.deepcopy(self.schemas[item]["example"])], "nextCursor": None}
            body = self.schema(f"{code}Page", page, example)
        else:
            body = item
        if parameters:
            operation["parameters"] = parameters
        wanted = ["400", "401", "403", "404", "429", "500"]
        operation["responses"] = {
            "200": {"description": "OK", "content": {"application/json": {"schema": _ref(body)}}},
            **self.errors(wanted),
        }
        self.secure(entry, operation)
        operation["x-amazon-apigateway-integration"] = self.integration(entry, code)

    def webhook(self, entry: Entry, code: str, route: str) -> None:
        operation, parameters, _ = self.operation(entry, f"{code}Webhook", route, {})
        operation["summary"] = f"Webhook from {entry.element.name}"
        signature = entry.element.webhook.signature  # type: ignore[attr-defined]
        if signature != "none":
            parameters.append(
                {
                    "name": "X-Signature",
                    "in": "header",
                    "required": True,
                    "description": f"{signature} signature of the raw body",
                    "schema": {"type": "string"},
                }
            )
        if parameters:
            operation["parameters"] = parameters
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
        operation["responses"] = {
            "202": {"description": "Received"},
            **self.errors(["400", "401", "429", "500"]),
        }
        operation["security"] = []
        operation["x-amazon-apigateway-integration"] = self.integration(entry, f"{code}Webhook")

    def is_list(self, pattern: Entry) -> bool:
        element = pattern.element
        many = getattr(element, "many", None)
        if many is not None:
            return bool(many)
        entity = self.valid.target(element, "entity")
        if entity is None:
            return True
        ids = identifiers_of(entity.element, self.valid.code(entity.element))  # type: ignore[arg-type]
        return not set(ids) <= set(getattr(element, "by", []))

    # --- shared parts --------------------------------------------------------------------------

    def schema(self, wanted: str, schema: dict[str, Any], example: Any) -> str:
        name = self.names.claim(wanted)
        self.schemas[name] = {**schema, "example": example}
        return name

    def errors(self, statuses: list[str]) -> dict[str, Any]:
        if self.api.auth == "none":
            statuses = [s for s in statuses if s not in ("401", "403")]
        return {
            status: {"$ref": f"#/components/responses/{ERRORS[status][0]}"} for status in statuses
        }

    def secure(self, entry: Entry, operation: dict[str, Any]) -> None:
        if self.api.auth == "api-key":
            operation["security"] = [{"apiKey": []}]
            operation["x-amazon-apigateway-api-key-required"] = True
        elif self.api.auth == "jwt":
            scopes = []
            for actor in self.valid.targets(entry.element, "actors"):
                scope = kebab(self.valid.code(actor.element))
                self.scopes[scope] = f"what {actor.element.name} may call"
                scopes.append(scope)
            # OpenAPI 3.0 allows scopes only on OAuth2 schemes: the REST (Cognito) form has none.
            operation["security"] = [{"jwt": scopes if self.api.type == "http" else []}]

    def tags(self) -> list[dict[str, Any]]:
        tags = []
        for name, description in self.used_tags.items():
            tag: dict[str, Any] = {"name": name}
            if description:
                tag["description"] = description
            tags.append(tag)
        return tags

    def integration(self, entry: Entry, code: str) -> dict[str, Any]:
        return integration(self.api, code, starts_workflow=entry.kind == "workflows")

    def security_schemes(self) -> dict[str, Any]:
        return security_schemes(self.api, self.valid.design.settings.region, self.scopes)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _example(fields: dict[str, FieldType], decimal: DecimalAs) -> dict[str, Any]:
    return {name: example_value(name, f, decimal) for name, f in fields.items()}
