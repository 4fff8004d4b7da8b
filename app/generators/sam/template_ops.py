"""Operations resources of the template, from the observability plan: alarms, dashboards,
saved Logs Insights queries, the alarm topic and the budget at the cost model's threshold."""

from __future__ import annotations

import json
from typing import Any

from app.generators.observability import ObservabilityPlan, PlannedAlarm
from app.model import ValidDesign

PERIOD_S = 60


def _metric(id_: str, namespace: str, name: str, dimension: tuple[str, Any], stat: str) -> dict:
    return {
        "Id": id_,
        "ReturnData": False,
        "MetricStat": {
            "Metric": {
                "Namespace": namespace,
                "MetricName": name,
                "Dimensions": [{"Name": dimension[0], "Value": dimension[1]}],
            },
            "Period": PERIOD_S,
            "Stat": stat,
        },
    }


def _alarm(alarm: PlannedAlarm) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "AlarmDescription": alarm.description,
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": alarm.periods,
        "Threshold": alarm.threshold,
        "TreatMissingData": "notBreaching",
        "AlarmActions": [{"Ref": "AlarmTopic"}],
    }
    function = ("FunctionName", {"Ref": alarm.resource})
    if alarm.kind == "error-rate":
        properties["Metrics"] = [
            _metric("errors", "AWS/Lambda", "Errors", function, "Sum"),
            _metric("invocations", "AWS/Lambda", "Invocations", function, "Sum"),
            {
                "Id": "rate",
                "Expression": "IF(invocations > 0, 100 * errors / invocations, 0)",
                "Label": "Error rate (%)",
                "ReturnData": True,
            },
        ]
    else:
        namespace, metric, dimension, stat = {
            "throttles": ("AWS/Lambda", "Throttles", function, "Sum"),
            "duration": ("AWS/Lambda", "Duration", function, "p99"),
            "iterator-age": ("AWS/Lambda", "IteratorAge", function, "Maximum"),
            "dlq-depth": (
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                ("QueueName", {"Fn::GetAtt": [alarm.resource, "QueueName"]}),
                "Maximum",
            ),
        }[alarm.kind]
        properties.update(
            Namespace=namespace,
            MetricName=metric,
            Dimensions=[{"Name": dimension[0], "Value": dimension[1]}],
            Period=PERIOD_S,
        )
        if stat.startswith("p"):
            properties["ExtendedStatistic"] = stat
        else:
            properties["Statistic"] = stat
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": properties}


def _widget(title: str, metrics: list[list[Any]], y: int, x: int, stat: str) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": "${AWS::Region}",
            "stat": stat,
            "period": PERIOD_S,
            "metrics": metrics,
        },
    }


def dashboard_body(functions: tuple[str, ...], queues: tuple[str, ...]) -> str:
    """The four golden signals: traffic, errors, latency, saturation (a Fn::Sub string)."""

    def per_function(metric: str) -> list[list[Any]]:
        return [["AWS/Lambda", metric, "FunctionName", "${" + f + "}"] for f in functions]

    saturation = per_function("ConcurrentExecutions") + [
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "${" + q + ".QueueName}"]
        for q in queues
    ]
    widgets = [
        _widget("Traffic: invocations", per_function("Invocations"), 0, 0, "Sum"),
        _widget("Errors", per_function("Errors"), 0, 12, "Sum"),
        _widget("Latency: p99 duration", per_function("Duration"), 6, 0, "p99"),
        _widget("Saturation: concurrency and queue age", saturation, 6, 12, "Maximum"),
    ]
    return json.dumps({"widgets": widgets}, sort_keys=True)


def ops_resources(valid: ValidDesign, plan: ObservabilityPlan) -> dict[str, Any]:
    """Alarm topic, alarms, dashboards, saved queries and the monthly budget."""
    resources: dict[str, Any] = {
        # No KMS key: CloudWatch alarms and AWS Budgets cannot publish to a topic encrypted
        # with the AWS-managed SNS key.
        "AlarmTopic": {"Type": "AWS::SNS::Topic", "Properties": {}},
        "AlarmTopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [{"Ref": "AlarmTopic"}],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "budgets.amazonaws.com"},
                            "Action": "sns:Publish",
                            "Resource": {"Ref": "AlarmTopic"},
                        }
                    ],
                },
            },
        },
    }
    for alarm in plan.alarms:
        resources[alarm.logical_id] = _alarm(alarm)
    for dashboard in plan.dashboards:
        if not dashboard.functions:
            continue
        resources[f"{dashboard.context}Dashboard"] = {
            "Type": "AWS::CloudWatch::Dashboard",
            "Properties": {
                "DashboardName": {"Fn::Sub": "${AWS::StackName}-" + dashboard.context},
                "DashboardBody": {"Fn::Sub": dashboard_body(dashboard.functions, dashboard.queues)},
            },
        }
        for query in plan.queries:
            resources[f"{dashboard.context}{query.name}Query"] = {
                "Type": "AWS::Logs::QueryDefinition",
                "Properties": {
                    "Name": {
                        "Fn::Sub": "${AWS::StackName}/" + dashboard.context + "/" + query.name
                    },
                    "QueryString": query.query,
                    "LogGroupNames": [
                        {"Fn::Sub": "/aws/lambda/${" + f + "}"} for f in dashboard.functions
                    ],
                },
            }
    threshold = budget_threshold(valid)
    if threshold is not None:
        resources["MonthlyBudget"] = {
            "Type": "AWS::Budgets::Budget",
            "Properties": {
                "Budget": {
                    "BudgetType": "COST",
                    "TimeUnit": "MONTHLY",
                    "BudgetLimit": {"Amount": threshold, "Unit": "USD"},
                },
                "NotificationsWithSubscribers": [
                    {
                        "Notification": {
                            "NotificationType": "ACTUAL",
                            "ComparisonOperator": "GREATER_THAN",
                            "Threshold": 100,
                            "ThresholdType": "PERCENTAGE",
                        },
                        "Subscribers": [
                            {"SubscriptionType": "SNS", "Address": {"Ref": "AlarmTopic"}}
                        ],
                    }
                ],
            },
        }
    return resources


def budget_threshold(valid: ValidDesign) -> float | None:
    """The cost model's budget threshold in USD (None when the region has no prices)."""
    from app.generators.sam.shared import export_cost

    estimate = export_cost(valid)
    return None if estimate is None else max(1.0, round(estimate.budget_threshold, 2))
