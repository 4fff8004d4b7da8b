"""The API of the template: an HTTP or REST API with its authorizer and throttling."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.model import ValidDesign
from app.model.base import route_parts

AUTHORIZER = "CognitoAuthorizer"


MIN_ROUTE_RATE = 5
"""Requests per second a route may always take, however quiet the design expects it to be."""


@dataclass(frozen=True)
class ApiRoute:
    """One route of the API and the peak the design expects on it."""

    method: str
    path: str
    peak_per_second: float

    @property
    def rate(self) -> int:
        """Twice the expected peak, at least ``MIN_ROUTE_RATE``; the burst is twice the rate."""
        return max(MIN_ROUTE_RATE, math.ceil(self.peak_per_second * 2))


def api_routes(valid: ValidDesign) -> list[ApiRoute]:
    """Every route of the API in file order: commands, read models, then webhooks."""
    routes = []
    for entry in valid.of_kind("commands") + valid.of_kind("read_models"):
        route = getattr(entry.element, "route", None)
        if route is not None:
            method, path = route_parts(route)
            routes.append(ApiRoute(method, path, valid.traffic.peak_per_second.get(entry.id, 0.0)))
    if valid.design.settings.api.type == "rest":  # see template_events.workflow_routes
        for entry in valid.of_kind("workflows"):
            route = getattr(entry.element, "route", None)
            if route is not None:
                method, path = route_parts(route)
                peak = valid.traffic.peak_per_second.get(entry.id, 0.0)
                routes.append(ApiRoute(method, path, peak))
    for entry in valid.of_kind("external_systems"):
        webhook = getattr(entry.element, "webhook", None)
        if webhook is not None:
            route = webhook.route
            method, path = route_parts(route)
            routes.append(ApiRoute(method, path, valid.traffic.peak_per_second.get(entry.id, 0.0)))
    return routes


def has_routes(valid: ValidDesign) -> bool:
    return bool(api_routes(valid))


def _throttle(valid: ValidDesign) -> tuple[int, int]:
    """Rate and burst of the stage: twice the design's peak at the API, at least 10."""
    rate = max(10, math.ceil(sum(r.peak_per_second for r in api_routes(valid)) * 2))
    return rate, rate * 2


def _quota(valid: ValidDesign) -> int:
    """A usage plan's monthly requests per key: twice the design's monthly requests at the API
    (at least 10,000), so a key that runs away is stopped before the bill does."""
    monthly = 0.0
    for entry in valid.of_kind("commands") + valid.of_kind("read_models"):
        if getattr(entry.element, "route", None) is not None:
            monthly += valid.traffic.of(entry.id)
    return max(10_000, math.ceil(monthly * 2))


def rest_resource_path(path: str) -> str:
    """A stage method setting's ResourcePath: ``/orders/{id}`` → ``/~1orders~1{id}``."""
    return "/" + path.replace("/", "~1")


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
            "RouteSettings": {
                f"{r.method} {r.path}": {
                    "ThrottlingBurstLimit": min(r.rate * 2, burst),
                    "ThrottlingRateLimit": min(r.rate, rate),
                }
                for r in api_routes(valid)
            },
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
            },
            *(
                {
                    "ResourcePath": rest_resource_path(r.path),
                    "HttpMethod": r.method,
                    "ThrottlingBurstLimit": min(r.rate * 2, burst),
                    "ThrottlingRateLimit": min(r.rate, rate),
                }
                for r in api_routes(valid)
            ),
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
                "Quota": {"Limit": _quota(valid), "Period": "MONTH"},
            },
        }
    resources["RestApi"] = {"Type": "AWS::Serverless::Api", "Properties": properties}
    return resources
