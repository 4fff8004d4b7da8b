"""``template.yaml`` as data: globals, the layer, functions with their triggers, the API, the table.

Events, queues, state machines and sources are added by ``template_events``; alarms,
dashboards, queries and the budget by ``template_ops``.
"""

from __future__ import annotations

import math
from typing import Any

from app.generators.sam.functions import LIVE_ALIAS, FunctionPlan, plan_functions
from app.generators.sam.template_events import event_resources, function_events
from app.generators.sam.template_ops import ops_resources
from app.generators.table import plan_table, table_resource
from app.model import ValidDesign
from app.model.codes import CodeNameError, derive_code

ALIAS = LIVE_ALIAS
HOOK_TAG = "stormdraft:function"
"""The tag by which the pre-traffic hook finds a function's probe."""
SUFFIX_WRITES = ("put", "update", "delete")


def sub(text: str) -> dict[str, str]:
    return {"Fn::Sub": text}


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def get_att(name: str, attribute: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [name, attribute]}


def has_table(valid: ValidDesign) -> bool:
    return bool(valid.of_kind("aggregates"))


def service_name(valid: ValidDesign) -> str:
    try:
        return derive_code(valid.design.name)
    except CodeNameError:
        return "Design"


def _globals(valid: ValidDesign) -> dict[str, Any]:
    settings = valid.design.settings
    variables: dict[str, Any] = {
        "POWERTOOLS_SERVICE_NAME": service_name(valid),
        "POWERTOOLS_METRICS_NAMESPACE": service_name(valid),
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "EVENT_BUS_NAME": ref("EventBus"),
        "IDEMPOTENCY_TABLE_NAME": ref("IdempotencyTable"),
    }
    if has_table(valid):
        variables["TABLE_NAME"] = ref("Table")
    return {
        "Function": {
            "Runtime": settings.runtime,
            "Architectures": [settings.architecture],
            "Tracing": "Active",
            "LoggingConfig": {"LogFormat": "JSON"},
            "Layers": [ref("CommonLayer")],
            "Environment": {"Variables": variables},
        }
    }


def _writes(valid: ValidDesign, function: FunctionPlan) -> bool:
    plan = plan_table(valid) if has_table(valid) else None
    if plan is None:
        return False
    return any(
        (op := plan.operations.get(p)) is not None and op.action in SUFFIX_WRITES
        for p in function.patterns
    ) or (function.kind == "command" and function.aggregate is not None)


def _policies(valid: ValidDesign, function: FunctionPlan) -> list[Any]:
    policies: list[Any] = []
    if has_table(valid) and (function.patterns or function.aggregate):
        name = "DynamoDBCrudPolicy" if _writes(valid, function) else "DynamoDBReadPolicy"
        policies.append({name: {"TableName": ref("Table")}})
    if function.kind == "command":
        policies.append({"DynamoDBCrudPolicy": {"TableName": ref("IdempotencyTable")}})
    if function.emits:
        policies.append({"EventBridgePutEventsPolicy": {"EventBusName": ref("EventBus")}})
    for trigger in function.triggers:
        if trigger.kind == "bucket":
            policies.append({"S3ReadPolicy": {"BucketName": bucket_name(trigger.code)}})
    return policies


def bucket_name(code: str) -> dict[str, str]:
    """An explicit bucket name (a Ref would make the bucket and its consumer depend on each
    other through the notification)."""
    return sub("${AWS::StackName}-${AWS::AccountId}-" + code.lower()[:24])


def provisioned(valid: ValidDesign, function: FunctionPlan) -> int:
    """Provisioned concurrency of a latency-sensitive function: its peak concurrency."""
    override = function.workload.overrides.provisioned_concurrency
    if override is not None:
        return override
    if not function.workload.latency_sensitive:
        return 0
    peak = valid.traffic.peak_per_second.get(function.element_id, 0.0)
    return max(1, math.ceil(peak * function.workload.duration_ms / 1000))


def _function(valid: ValidDesign, function: FunctionPlan, alarms: list[str]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "CodeUri": function.folder + "/",
        "Handler": "app.handler",
        "Description": f"{function.kind} {function.code}",
        "MemorySize": function.workload.memory_mb,
        "Timeout": function.timeout_s,
        "AutoPublishAlias": ALIAS,
        "DeploymentPreference": {
            "Type": "Canary10Percent10Minutes",
            "Alarms": [ref(a) for a in alarms],
            "Hooks": {"PreTraffic": ref("PreTrafficHookFunction")},
        },
        "Policies": _policies(valid, function),
        "Tags": {HOOK_TAG: function.code},
    }
    overrides = function.workload.overrides
    if overrides.architecture is not None:
        properties["Architectures"] = [overrides.architecture]
    if overrides.reserved_concurrency is not None:
        properties["ReservedConcurrentExecutions"] = overrides.reserved_concurrency
    if (count := provisioned(valid, function)) > 0:
        properties["ProvisionedConcurrencyConfig"] = {"ProvisionedConcurrentExecutions": count}
    events, invoke_config = function_events(valid, function)
    if events:
        properties["Events"] = events
    if invoke_config:
        properties["EventInvokeConfig"] = invoke_config
    return {"Type": "AWS::Serverless::Function", "Properties": properties}


def _autoscaling(function: FunctionPlan, minimum: int) -> dict[str, Any]:
    target = f"{function.code}ConcurrencyTarget"
    return {
        target: {
            "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
            "DependsOn": f"{function.logical_id}Alias{ALIAS}",
            "Properties": {
                "MinCapacity": minimum,
                "MaxCapacity": minimum * 4,
                "ResourceId": sub("function:${" + function.logical_id + "}:" + ALIAS),
                "RoleARN": sub(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"
                    "lambda.application-autoscaling.amazonaws.com/"
                    "AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency"
                ),
                "ScalableDimension": "lambda:function:ProvisionedConcurrency",
                "ServiceNamespace": "lambda",
            },
        },
        f"{function.code}ConcurrencyScaling": {
            "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
            "Properties": {
                "PolicyName": f"{function.code}Utilisation",
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": ref(target),
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": 0.7,
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": "LambdaProvisionedConcurrencyUtilization"
                    },
                },
            },
        },
    }


def _shared(valid: ValidDesign) -> dict[str, Any]:
    runtime = valid.design.settings.runtime
    resources: dict[str, Any] = {
        "CommonLayer": {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "ContentUri": "layers/common/",
                "CompatibleRuntimes": [runtime],
                "RetentionPolicy": "Delete",
            },
            "Metadata": {"BuildMethod": runtime},
        },
        "EventBus": {
            "Type": "AWS::Events::EventBus",
            "Properties": {"Name": sub("${AWS::StackName}-bus")},
        },
        "IdempotencyTable": {
            "Type": "AWS::DynamoDB::Table",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "TimeToLiveSpecification": {"AttributeName": "expiration", "Enabled": True},
                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                "SSESpecification": {"SSEEnabled": True},
            },
        },
        "PreTrafficHookFunction": {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "CodeUri": "src/deployment/pre_traffic/",
                "Handler": "app.handler",
                "Description": "Checks a new version before CodeDeploy shifts traffic to it",
                "FunctionName": sub("CodeDeployHook_${AWS::StackName}-pre-traffic"),
                "Timeout": 60,
                "DeploymentPreference": {"Enabled": False},
                "Policies": [
                    {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": [
                                    "codedeploy:GetDeployment",
                                    "codedeploy:PutLifecycleEventHookExecutionStatus",
                                ],
                                "Resource": sub(
                                    "arn:${AWS::Partition}:codedeploy:${AWS::Region}:"
                                    "${AWS::AccountId}:deploymentgroup:*"
                                ),
                            },
                            {
                                "Effect": "Allow",
                                "Action": ["lambda:GetFunction", "lambda:InvokeFunction"],
                                "Resource": sub(
                                    "arn:${AWS::Partition}:lambda:${AWS::Region}:"
                                    "${AWS::AccountId}:function:${AWS::StackName}-*"
                                ),
                            },
                        ]
                    }
                ],
            },
        },
    }
    if has_table(valid):
        table = table_resource(plan_table(valid))
        if any(e.element.kind == "table-stream" for e in valid.of_kind("sources")):  # type: ignore[attr-defined]
            table = {
                **table,
                "Properties": {
                    **table["Properties"],
                    "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
                },
            }
        resources["Table"] = table
    return resources


def build_template(valid: ValidDesign) -> dict[str, Any]:
    """The whole SAM template of a design as data (keys in the order they are written)."""
    from app.generators.observability import plan_observability
    from app.generators.sam.template_api import api_resources
    from app.generators.sam.webhooks import webhook_resources

    observability = plan_observability(valid)
    resources = _shared(valid)
    for function in plan_functions(valid):
        alarms = [a.logical_id for a in observability.alarms_of(function.logical_id)]
        resources[function.logical_id] = _function(valid, function, alarms)
        if (count := provisioned(valid, function)) > 0:
            resources.update(_autoscaling(function, count))
    resources.update(webhook_resources(valid, HOOK_TAG))
    resources.update(api_resources(valid))
    resources.update(event_resources(valid))
    resources.update(ops_resources(valid, observability))
    outputs: dict[str, Any] = {
        "EventBusName": {"Description": "The event bus", "Value": ref("EventBus")},
    }
    if has_table(valid):
        outputs["TableName"] = {"Description": "The single table", "Value": ref("Table")}
    if "HttpApi" in resources:
        outputs["ApiUrl"] = {
            "Description": "The API's base URL",
            "Value": sub("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"),
        }
    if "RestApi" in resources:
        outputs["ApiUrl"] = {
            "Description": "The API's base URL",
            "Value": sub(
                "https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}"
            ),
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": f"{service_name(valid)}: generated by Stormdraft from the design",
        "Parameters": {
            "Stage": {
                "Type": "String",
                "Default": "dev",
                "AllowedValues": ["dev", "staging", "prod"],
                "Description": "Deployment stage",
            }
        },
        "Globals": _globals(valid),
        "Resources": resources,
        "Outputs": outputs,
    }
