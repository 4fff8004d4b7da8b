"""Asynchronous wiring of the template: rules, queues with dead-letter queues, state machines,
schedules, buckets and streams, and the schema registry."""

from __future__ import annotations

from typing import Any

from app.generators.event_schemas import event_source
from app.generators.sam.correlation import export_event_schema_texts
from app.generators.sam.functions import LIVE_ALIAS, FunctionPlan, Trigger, plan_functions
from app.generators.sam.shared import export_state_machines
from app.generators.sam.template_api import api_event
from app.model import ValidDesign
from app.model.base import route_parts
from app.model.elements import Policy, Schedule, Source

MAX_RECEIVES = 5
MAX_RECORD_AGE_S = 3600
QUEUE_TIMEOUT_FACTOR = 6


def _event_patterns(valid: ValidDesign) -> dict[str, dict[str, Any]]:
    """The rule pattern matching each event, by event code."""
    return valid.derived("sam-event-patterns", _patterns)


def _patterns(valid: ValidDesign) -> dict[str, dict[str, Any]]:
    return {
        valid.code(e.element): {
            "source": [event_source(valid, e)],
            "detail-type": [valid.code(e.element)],
        }
        for e in valid.of_kind("events")
    }


def _failure_queue(name: str) -> dict[str, Any]:
    return {
        "Type": "AWS::SQS::Queue",
        "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
    }


def _on_failure(name: str) -> dict[str, Any]:
    return {"OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": [name, "Arn"]}}}


def function_events(
    valid: ValidDesign, function: FunctionPlan
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The SAM events of a function and its asynchronous invoke configuration (or {})."""
    patterns = _event_patterns(valid)
    events: dict[str, Any] = {}
    asynchronous = False
    for trigger in function.triggers:
        if trigger.kind == "api":
            events["Api"] = api_event(valid, trigger.method, trigger.path)
        elif trigger.kind == "queue":
            events[f"{trigger.code}Queue"] = {
                "Type": "SQS",
                "Properties": {
                    "Queue": {"Fn::GetAtt": [f"{trigger.code}Queue", "Arn"]},
                    "BatchSize": trigger.batch_size,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                },
            }
        elif trigger.kind == "rule" and trigger.event in patterns:
            asynchronous = True
            events[f"{trigger.code}Rule"] = {
                "Type": "EventBridgeRule",
                "Properties": {
                    "EventBusName": {"Ref": "EventBus"},
                    "Pattern": patterns[trigger.event],
                    "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600},
                    "DeadLetterConfig": {"Type": "SQS"},
                },
            }
        elif trigger.kind == "schedule":
            asynchronous = True
            events[f"{trigger.code}Schedule"] = _schedule_event(valid, trigger.code)
        elif trigger.kind == "bucket":
            asynchronous = True
            properties: dict[str, Any] = {
                "Bucket": {"Ref": f"{trigger.code}Bucket"},
                "Events": "s3:ObjectCreated:*",
            }
            rules = [
                {"Name": name, "Value": value}
                for name, value in (("prefix", trigger.prefix), ("suffix", trigger.suffix))
                if value
            ]
            if rules:
                properties["Filter"] = {"S3Key": {"Rules": rules}}
            events[f"{trigger.code}Upload"] = {"Type": "S3", "Properties": properties}
        elif trigger.kind in ("table-stream", "kinesis"):
            stream = (
                {"Fn::GetAtt": ["Table", "StreamArn"]}
                if trigger.kind == "table-stream"
                else {"Fn::GetAtt": [f"{trigger.code}Stream", "Arn"]}
            )
            events[f"{trigger.code}Records"] = {
                "Type": "DynamoDB" if trigger.kind == "table-stream" else "Kinesis",
                "Properties": {
                    "Stream": stream,
                    "StartingPosition": "LATEST",
                    "BatchSize": trigger.batch_size,
                    "MaximumBatchingWindowInSeconds": trigger.batch_window_s,
                    "BisectBatchOnFunctionError": True,
                    "MaximumRecordAgeInSeconds": MAX_RECORD_AGE_S,
                    "MaximumRetryAttempts": 3,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                    "DestinationConfig": _on_failure(f"{trigger.code}FailureQueue"),
                },
            }
    invoke = {}
    if asynchronous:
        invoke = {
            "MaximumRetryAttempts": 2,
            "DestinationConfig": _on_failure(f"{function.code}FailureQueue"),
        }
    return events, invoke


def _schedule_event(valid: ValidDesign, code: str) -> dict[str, Any]:
    schedule = next(e.element for e in valid.of_kind("schedules") if valid.code(e.element) == code)
    assert isinstance(schedule, Schedule)
    return {
        "Type": "ScheduleV2",
        "Properties": {
            "ScheduleExpression": schedule.expression,
            "ScheduleExpressionTimezone": schedule.timezone,
            "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600},
            "DeadLetterConfig": {"Type": "SQS"},
        },
    }


def _queue_resources(valid: ValidDesign, function: FunctionPlan, trigger: Trigger) -> dict:
    queue, dlq, rule = (
        f"{trigger.code}Queue",
        f"{trigger.code}DeadLetterQueue",
        f"{trigger.code}Rule",
    )
    resources: dict[str, Any] = {
        dlq: _failure_queue(dlq),
        queue: {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": function.timeout_s * QUEUE_TIMEOUT_FACTOR,
                "SqsManagedSseEnabled": True,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]},
                    "maxReceiveCount": MAX_RECEIVES,
                },
            },
        },
    }
    pattern = _event_patterns(valid).get(trigger.event)
    if pattern is None:
        return resources
    resources[rule] = {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "EventBusName": {"Ref": "EventBus"},
            "EventPattern": pattern,
            "Targets": [{"Arn": {"Fn::GetAtt": [queue, "Arn"]}, "Id": "Queue"}],
        },
    }
    resources[f"{trigger.code}QueuePolicy"] = {
        "Type": "AWS::SQS::QueuePolicy",
        "Properties": {
            "Queues": [{"Ref": queue}],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": {"Fn::GetAtt": [queue, "Arn"]},
                        "Condition": {
                            "ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule, "Arn"]}}
                        },
                    }
                ],
            },
        },
    }
    return resources


def _substitution(name: str, spec: dict[str, str], extra: dict[str, Any]) -> Any:
    resource, attribute = spec["resource"], spec["attribute"]
    if resource == "function":
        return {"Ref": f"{spec['element']}FunctionAlias{LIVE_ALIAS}"}  # the alias's ARN
    if resource == "table":
        return {"Ref": "Table"} if attribute == "Name" else {"Fn::GetAtt": ["Table", "Arn"]}
    if resource == "bus":
        return {"Ref": "EventBus"} if attribute == "Name" else {"Fn::GetAtt": ["EventBus", "Arn"]}
    logical = name.removesuffix(attribute)
    if resource == "topic":
        extra[logical] = {
            "Type": "AWS::SNS::Topic",
            "Properties": {"KmsMasterKeyId": "alias/aws/sns"},
        }
        return {"Ref": logical}
    extra[logical] = _failure_queue(logical)
    return {"Fn::GetAtt": [logical, attribute]}


def workflow_routes(valid: ValidDesign) -> dict[str, tuple[str, str]]:
    """Per workflow code: the route that starts it, where the template wires one (REST APIs;
    SAM has no HTTP API event for state machines)."""
    if valid.design.settings.api.type != "rest":
        return {}
    found = {}
    for entry in valid.of_kind("workflows"):
        route = getattr(entry.element, "route", None)
        if route is not None:
            found[valid.code(entry.element)] = route_parts(route)
    return found


def _state_machines(valid: ValidDesign) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    patterns = _event_patterns(valid)
    for machine in export_state_machines(valid):
        substitutions = {
            name: _substitution(name, spec, resources)
            for name, spec in machine.needs.substitutions_json().items()
        }
        statements = []
        for statement in machine.needs.iam_json()["Statement"]:
            statements.append(
                {
                    **statement,
                    "Resource": [
                        {"Fn::Sub": [r, substitutions]} if "${" in r else r
                        for r in statement["Resource"]
                    ],
                }
            )
        events: dict[str, Any] = {}
        for entry in valid.of_kind("policies"):
            policy = entry.element
            assert isinstance(policy, Policy)
            target = valid.target(policy, "workflow")
            event = valid.target(policy, "event")
            if target and valid.code(target.element) == machine.code and event:
                events[f"{valid.code(policy)}Rule"] = {
                    "Type": "EventBridgeRule",
                    "Properties": {
                        "EventBusName": {"Ref": "EventBus"},
                        "Pattern": patterns[valid.code(event.element)],
                        "RetryPolicy": {"MaximumRetryAttempts": 3},
                        "DeadLetterConfig": {"Type": "SQS"},
                    },
                }
        route = workflow_routes(valid).get(machine.code)
        if route is not None:  # REST: SAM wires StartExecution with its own role
            method, path = route
            events[f"{machine.code}Api"] = api_event(valid, method, path)
        for entry in valid.of_kind("schedules"):
            target = valid.target(entry.element, "workflow")
            if target and valid.code(target.element) == machine.code:
                code = valid.code(entry.element)
                events[f"{code}Schedule"] = _schedule_event(valid, code)
        logs = f"{machine.code}StateMachineLogs"
        resources[logs] = {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "LogGroupName": {
                    "Fn::Sub": "/aws/vendedlogs/states/${AWS::StackName}-" + machine.code
                },
                "RetentionInDays": 30,
            },
        }
        properties: dict[str, Any] = {
            "Type": machine.kind.type,
            "DefinitionUri": f"statemachines/{machine.code}.asl.json",
            "DefinitionSubstitutions": substitutions,
            "Tracing": {"Enabled": True},
            "Logging": {
                "Level": "ERROR",
                "IncludeExecutionData": False,
                "Destinations": [
                    {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [logs, "Arn"]}}}
                ],
            },
            "Policies": [{"Statement": statements}],
        }
        if not substitutions:
            del properties["DefinitionSubstitutions"]
        if events:
            properties["Events"] = events
        resources[f"{machine.code}StateMachine"] = {
            "Type": "AWS::Serverless::StateMachine",
            "Properties": properties,
        }
    return resources


def _sources(valid: ValidDesign) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    from app.generators.sam.template import bucket_name

    for entry in valid.of_kind("sources"):
        source = entry.element
        assert isinstance(source, Source)
        code = valid.code(source)
        if source.kind == "bucket":
            resources[f"{code}Bucket"] = {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": bucket_name(code),
                    "BucketEncryption": {
                        "ServerSideEncryptionConfiguration": [
                            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                        ]
                    },
                    "PublicAccessBlockConfiguration": {
                        "BlockPublicAcls": True,
                        "BlockPublicPolicy": True,
                        "IgnorePublicAcls": True,
                        "RestrictPublicBuckets": True,
                    },
                    "VersioningConfiguration": {"Status": "Enabled"},
                },
            }
            continue
        resources[f"{code}FailureQueue"] = _failure_queue(code)
        if source.kind == "kinesis":
            resources[f"{code}Stream"] = {
                "Type": "AWS::Kinesis::Stream",
                "Properties": {
                    "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
                    "StreamEncryption": {"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"},
                },
            }
    return resources


def _schemas(valid: ValidDesign) -> dict[str, Any]:
    if not valid.of_kind("events"):
        return {}
    resources: dict[str, Any] = {
        "SchemaRegistry": {
            "Type": "AWS::EventSchemas::Registry",
            "Properties": {"Description": "Domain events of the design"},
        }
    }
    for entry in valid.of_kind("events"):
        code = valid.code(entry.element)
        resources[f"{code}Schema"] = {
            "Type": "AWS::EventSchemas::Schema",
            "Properties": {
                "RegistryName": {"Fn::GetAtt": ["SchemaRegistry", "RegistryName"]},
                "Type": "JSONSchemaDraft4",
                "Content": export_event_schema_texts(valid)[code],
            },
        }
    return resources


def event_resources(valid: ValidDesign) -> dict[str, Any]:
    """Queues, rules, failure queues, state machines, sources and schemas of a design."""
    resources: dict[str, Any] = {}
    for function in plan_functions(valid):
        for trigger in function.queues:
            resources.update(_queue_resources(valid, function, trigger))
        if any(t.kind in ("rule", "schedule", "bucket") for t in function.triggers):
            resources[f"{function.code}FailureQueue"] = _failure_queue(function.code)
    resources.update(_sources(valid))
    resources.update(_state_machines(valid))
    resources.update(_schemas(valid))
    return resources
