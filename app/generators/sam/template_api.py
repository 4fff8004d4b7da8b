"""The API of the template: an HTTP or REST API with its authorizer and throttling."""

from __future__ import annotations

import math
from typing import Any

from app.model import ValidDesign

AUTHORIZER = "CognitoAuthorizer"


def has_routes(valid: ValidDesign) -> bool:
    return any(
        getattr(e.element, "route", None) is not None
        for e in valid.of_kind("commands") + valid.of_kind("read_models")
    )


def _throttle(valid: ValidDesign) -> tuple[int, int]:
    """Rate and burst: twice the design's peak requests per second at the API, at least 10."""
    peak = sum(
        valid.traffic.peak_per_second.get(e.id, 0.0)
        for e in valid.of_kind("commands") + valid.of_kind("read_models")
        if getattr(e.element, "route", None) is not None
    )
    rate = max(10, math.ceil(peak * 2))
    return rate, rate * 2


def api_event(valid: ValidDesign, method: str, path: str) -> dict[str, Any]:
    """The SAM event of one route."""
    settings = valid.design.settings.api
    if settings.type == "http":
        return {
            "Type": "HttpApi",
            "Properties": {"ApiId": {"Ref": "HttpApi"}, "Method": method, "Path": path},
        }
    return {
        "Type": "Api",
        "Properties": {"RestApiId": {"Ref": "RestApi"}, "Method": method.lower(), "Path": path},
    }


def _user_pool() -> dict[str, Any]:
    return {
        "UserPool": {
            "Type": "AWS::Cognito::UserPool",
            "Properties": {
                "UserPoolName": {"Fn::Sub": "${AWS::StackName}-users"},
                "AutoVerifiedAttributes": ["email"],
                "UsernameAttributes": ["email"],
            },
        },
        "UserPoolClient": {
            "Type": "AWS::Cognito::UserPoolClient",
            "Properties": {"UserPoolId": {"Ref": "UserPool"}, "GenerateSecret": False},
        },
    }


def api_resources(valid: ValidDesign) -> dict[str, Any]:
    """The API, its access log group and, for JWT auth, the user pool."""
    if not has_routes(valid):
        return {}
    settings = valid.design.settings.api
    rate, burst = _throttle(valid)
    resources: dict[str, Any] = {
        "ApiAccessLogs": {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {"RetentionInDays": 30},
        }
    }
    if settings.auth == "jwt":
        resources.update(_user_pool())
    if settings.type == "http":
        properties: dict[str, Any] = {
            "StageName": {"Ref": "Stage"},
            "DefaultRouteSettings": {"ThrottlingBurstLimit": burst, "ThrottlingRateLimit": rate},
            "AccessLogSettings": {
                "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
                "Format": '{"requestId":"$context.requestId","routeKey":"$context.routeKey",'
                '"status":"$context.status","latency":"$context.responseLatency"}',
            },
        }
        if settings.auth == "jwt":
            properties["Auth"] = {
                "DefaultAuthorizer": AUTHORIZER,
                "Authorizers": {
                    AUTHORIZER: {
                        "IdentitySource": "$request.header.Authorization",
                        "JwtConfiguration": {
                            "issuer": {
                                "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/"
                                "${UserPool}"
                            },
                            "audience": [{"Ref": "UserPoolClient"}],
                        },
                    }
                },
            }
        resources["HttpApi"] = {"Type": "AWS::Serverless::HttpApi", "Properties": properties}
        return resources
    properties = {
        "StageName": {"Ref": "Stage"},
        "TracingEnabled": True,
        "MethodSettings": [
            {
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "ThrottlingBurstLimit": burst,
                "ThrottlingRateLimit": rate,
            }
        ],
        "AccessLogSetting": {
            "DestinationArn": {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]},
            "Format": '{"requestId":"$context.requestId","status":"$context.status"}',
        },
    }
    if settings.auth == "jwt":
        properties["Auth"] = {
            "DefaultAuthorizer": AUTHORIZER,
            "Authorizers": {AUTHORIZER: {"UserPoolArn": {"Fn::GetAtt": ["UserPool", "Arn"]}}},
        }
    elif settings.auth == "api-key":
        properties["Auth"] = {
            "ApiKeyRequired": True,
            "UsagePlan": {
                "CreateUsagePlan": "PER_API",
                "Throttle": {"BurstLimit": burst, "RateLimit": rate},
            },
        }
    resources["RestApi"] = {"Type": "AWS::Serverless::Api", "Properties": properties}
    return resources
