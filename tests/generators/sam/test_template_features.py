"""Throttling per route and usage plan, live aliases behind state machines, webhook endpoints,
workflow routes, the pre-traffic probes and the correlation metadata in the event schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from app.generators.sam.export import sam_files
from app.generators.sam.template import build_template
from app.generators.sam.template_api import rest_resource_path
from app.model import ValidDesign, load_design

STARTERS = Path("catalog/starters")


def _valid(name: str) -> ValidDesign:
    return load_design((STARTERS / f"{name}.storm.yaml").read_text("utf-8"))


def _resources(name: str) -> dict[str, Any]:
    resources: dict[str, Any] = build_template(_valid(name))["Resources"]
    return resources


def test_rest_stage_throttles_each_route_below_the_stage_limit() -> None:
    api = _resources("document-pipeline")["RestApi"]["Properties"]
    stage, *routes = api["MethodSettings"]
    assert (stage["ResourcePath"], stage["HttpMethod"]) == ("/*", "*")
    assert routes and all(r["ResourcePath"].startswith("/~1") for r in routes)
    assert all("/" not in r["ResourcePath"][1:] for r in routes)
    assert all(
        0 < r["ThrottlingRateLimit"] <= stage["ThrottlingRateLimit"]
        and r["ThrottlingBurstLimit"] <= stage["ThrottlingBurstLimit"]
        for r in routes
    )
    assert (
        rest_resource_path("/documents/{documentId}/retry") == "/~1documents~1{documentId}~1retry"
    )


def test_http_stage_has_a_route_setting_per_route_and_webhook() -> None:
    api = _resources("webhook-processor")["HttpApi"]["Properties"]
    settings = api["RouteSettings"]
    assert "POST /webhooks/stripe" in settings and "POST /webhooks/github" in settings
    assert all(s["ThrottlingRateLimit"] >= 5 for s in settings.values())


def test_api_key_usage_plan_has_throttle_and_a_monthly_quota() -> None:
    plan = _resources("scheduled-jobs")["RestApi"]["Properties"]["Auth"]["UsagePlan"]
    assert plan["CreateUsagePlan"] == "PER_API"
    assert plan["Throttle"]["RateLimit"] >= 10
    assert plan["Quota"]["Period"] == "MONTH" and plan["Quota"]["Limit"] >= 10_000


def test_state_machines_invoke_the_live_alias_of_each_function() -> None:
    resources = _resources("order-processing")
    machines = [r for r in resources.values() if r["Type"] == "AWS::Serverless::StateMachine"]
    substitutions = [
        v for m in machines for v in m["Properties"]["DefinitionSubstitutions"].values()
    ]
    functions = [s for s in substitutions if "Ref" in s and "Function" in s["Ref"]]
    assert functions and all(s["Ref"].endswith("FunctionAliaslive") for s in functions)
    assert all(f["Properties"]["AutoPublishAlias"] == "live" for f in _functions(resources))


def _functions(resources: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        r
        for name, r in resources.items()
        if r["Type"] == "AWS::Serverless::Function" and name != "PreTrafficHookFunction"
    ]


def test_a_rest_workflow_route_starts_the_state_machine() -> None:
    machine = _resources("scheduled-jobs")["BuildNightlyReportsStateMachine"]["Properties"]
    event = machine["Events"]["BuildNightlyReportsApi"]
    assert event["Type"] == "Api"
    assert event["Properties"]["Path"] == "/report-runs"
    assert event["Properties"]["Method"] == "post"


def test_webhooks_are_open_routes_with_a_secret_and_their_command_alias() -> None:
    resources = _resources("webhook-processor")
    webhook = resources["GitHubWebhookFunction"]["Properties"]
    assert webhook["Events"]["Webhook"]["Properties"]["Auth"] == {"Authorizer": "NONE"}
    assert webhook["Events"]["Webhook"]["Properties"]["Path"] == "/webhooks/github"
    variables = webhook["Environment"]["Variables"]
    assert variables["WEBHOOK_SECRET_ARN"] == {"Ref": "GitHubWebhookSecret"}
    assert variables["COMMAND_FUNCTION"] == {"Ref": "RecordDeliveryFunctionAliaslive"}
    assert resources["GitHubWebhookSecret"]["Type"] == "AWS::SecretsManager::Secret"


@pytest.mark.parametrize("starter", ["webhook-processor", "scheduled-jobs"])
def test_every_deployed_function_has_a_probe_for_the_pre_traffic_hook(starter: str) -> None:
    valid = _valid(starter)
    files = {a.path: a.content for a in sam_files(valid)}
    probes = json.loads(files["src/deployment/pre_traffic/probes.json"])
    tags = {
        f["Properties"]["Tags"]["stormdraft:function"]
        for f in _functions(build_template(valid)["Resources"])
    }
    assert tags == set(probes)
    assert all(p["event"]["_metadata"]["probe"] is True for p in probes.values())
    hook = yaml.safe_load(files["template.yaml"])["Resources"]["PreTrafficHookFunction"]
    actions = {a for s in hook["Properties"]["Policies"][0]["Statement"] for a in s["Action"]}
    assert {"lambda:InvokeFunction", "codedeploy:GetDeployment"} <= actions


def test_event_schemas_accept_the_correlation_metadata_and_nothing_else_extra() -> None:
    files = {a.path: a.content for a in sam_files(_valid("order-processing"))}
    schema = json.loads(files["events/OrderPlaced.schema.json"])
    sample = json.loads(files["events/OrderPlaced.sample.json"])
    jsonschema.validate(sample, schema)
    sample["detail"]["_metadata"] = {"correlationId": "corr-1"}
    jsonschema.validate(sample, schema)
    for wrong in ({"correlationId": ""}, {"correlationId": "c", "other": 1}, {}):
        sample["detail"]["_metadata"] = wrong
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(sample, schema)
    sample["detail"]["_metadata"] = {"correlationId": "c"}
    sample["detail"]["unexpected"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sample, schema)
