"""API Gateway's part of the OpenAPI document: integrations, security schemes, shared parameters.

Placeholders such as ``${PlaceOrderFunction.Arn}`` or ``${UserPool}`` are filled by the SAM
template, which reads the document through ``Fn::Transform: AWS::Include`` (Fn::Sub).
"""

from __future__ import annotations

from typing import Any

from app.model.elements import ApiSettings

PAGE_LIMIT_DEFAULT = 25
PAGE_LIMIT_MAX = 100
FUNCTION_URI = (
    "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
    "${%sFunction.Arn}/invocations"
)


def integration(api: ApiSettings, code: str, starts_workflow: bool = False) -> dict[str, Any]:
    """How API Gateway runs an operation: Lambda proxy (payload 2.0 on HTTP APIs), or for a
    workflow on an HTTP API a direct Step Functions StartExecution."""
    if starts_workflow and api.type == "http":
        return {
            "type": "aws_proxy",
            "integrationSubtype": "StepFunctions-StartExecution",
            "credentials": "${ApiStartExecutionRole.Arn}",
            "requestParameters": {
                "StateMachineArn": f"${{{code}StateMachine}}",
                "Input": "$request.body",
            },
            "payloadFormatVersion": "1.0",
            "connectionType": "INTERNET",
        }
    proxy: dict[str, Any] = {"type": "aws_proxy", "httpMethod": "POST", "uri": FUNCTION_URI % code}
    if api.type == "http":
        proxy["payloadFormatVersion"] = "2.0"
    else:
        proxy["passthroughBehavior"] = "when_no_match"
    return proxy


def security_schemes(api: ApiSettings, region: str, scopes: dict[str, str]) -> dict[str, Any]:
    """The security schemes of the API: JWT authorizer (HTTP), Cognito (REST), API keys."""
    if api.auth == "api-key":
        return {
            "apiKey": {
                "type": "apiKey",
                "name": "x-api-key",
                "in": "header",
                "description": "an API key of a usage plan",
            }
        }
    if api.auth == "none":
        return {}
    if api.type == "http":
        listed = ", ".join(f"{s} ({d})" for s, d in sorted(scopes.items()))
        issuer = f"https://cognito-idp.{region}.amazonaws.com/${{UserPool}}"
        return {
            "jwt": {
                "type": "oauth2",
                "description": "JWT authorizer"
                + (f"; one scope per actor: {listed}" if listed else ""),
                "flows": {},
                "x-amazon-apigateway-authorizer": {
                    "type": "jwt",
                    "identitySource": "$request.header.Authorization",
                    "jwtConfiguration": {"issuer": issuer, "audience": ["${UserPoolClient}"]},
                },
            }
        }
    return {
        "jwt": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": ["${UserPool.Arn}"],
            },
        }
    }


def shared_parameters() -> dict[str, Any]:
    """Parameters every operation refers to: the idempotency key, the page size and cursor."""
    return {
        "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": "a retry with the same key returns the first result "
            "instead of repeating the write",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            "example": "6f1c2a9e-0b7d-4c1e-9a55-3d2b8f0e4a11",
        },
        "Limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "how many items per page",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": PAGE_LIMIT_MAX,
                "default": PAGE_LIMIT_DEFAULT,
            },
        },
        "Cursor": {
            "name": "cursor",
            "in": "query",
            "required": False,
            "description": "the nextCursor of the previous page",
            "schema": {"type": "string"},
        },
    }
