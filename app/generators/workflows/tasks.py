"""Task states: a command's function, a direct service call, an approval, a compensation."""

from __future__ import annotations

from typing import Any

from app.generators.workflows.conditions import state_path
from app.generators.workflows.needs import Needs
from app.model.codes import camel
from app.model.elements import Aggregate, Event
from app.model.index import Entry
from app.model.validate import ValidDesign, identifiers_of
from app.model.workflow import ApprovalStep, ServiceStep, TaskStep

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
_NUMBERS = frozenset(("number", "integer", "decimal"))


def function_arn(valid: ValidDesign, function: Entry, needs: Needs) -> str:
    """The ``${<Code>FunctionArn}`` placeholder of a command's (or read model's) function."""
    code = valid.code(function.element)
    arn = needs.placeholder(f"{code}FunctionArn", "function", "Arn", code)
    needs.allow(("lambda:InvokeFunction",), arn, arn + ":*")
    return arn


def payload(mapping: dict[str, str]) -> dict[str, Any]:
    """Parameters built from ``field: state path`` pairs, or the whole state when empty."""
    if not mapping:
        return {"Payload.$": "$"}
    return {"Payload": {f"{name}.$": state_path(path) for name, path in sorted(mapping.items())}}


def lambda_task(arn: str, mapping: dict[str, str], result_path: str | None) -> dict[str, Any]:
    """Invoke a function with a payload; keep the state, put its answer at ``result_path``."""
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": {"FunctionName": arn, **payload(mapping)},
    }
    if result_path is None:
        state["ResultPath"] = None
    else:
        state["ResultSelector"] = {"Payload.$": "$.Payload"}
        state["ResultPath"] = result_path
    return state


def task_state(
    valid: ValidDesign, step: TaskStep, needs: Needs, result_path: str
) -> dict[str, Any]:
    function = valid.target(step, "task")
    assert function is not None, "validation resolves every task"
    state = lambda_task(function_arn(valid, function, needs), step.input, result_path)
    if step.timeout_s is not None:
        state["TimeoutSeconds"] = step.timeout_s
    return state


def compensation_state(
    valid: ValidDesign, step: TaskStep | ServiceStep, needs: Needs
) -> dict[str, Any]:
    """Run a step's compensating command on the whole state (its error included), keep the state."""
    command = valid.target(step, "compensate")
    assert command is not None, "validation resolves every compensation"
    return lambda_task(function_arn(valid, command, needs), {}, None)


def service_state(
    valid: ValidDesign, step: ServiceStep, needs: Needs, owner: str, result_path: str
) -> dict[str, Any]:
    """A direct service integration: no function between the workflow and the service."""
    service, action = step.service.split(":")
    target = valid.target(step, "target")
    if service == "lambda":
        assert target is not None
        state = lambda_task(function_arn(valid, target, needs), step.input, result_path)
    else:
        parameters = _SERVICE_PARAMETERS[service](valid, step, target, needs, owner, action)
        state = {
            "Type": "Task",
            "Resource": f"arn:aws:states:::{service}:{action}",
            "Parameters": parameters,
            "ResultPath": result_path,
        }
    if step.timeout_s is not None:
        state["TimeoutSeconds"] = step.timeout_s
    return state


def _dynamodb(
    valid: ValidDesign,
    step: ServiceStep,
    target: Entry | None,
    needs: Needs,
    owner: str,
    action: str,
) -> dict[str, Any]:
    assert target is not None and isinstance(target.element, Aggregate)
    aggregate = target.element
    code = valid.code(aggregate)
    table = needs.placeholder("TableName", "table", "Name")
    needs.allow(
        (f"dynamodb:{action[:1].upper()}{action[1:]}",),
        needs.placeholder("TableArn", "table", "Arn"),
    )
    ids = identifiers_of(aggregate, code)
    id_values = ", ".join(state_path(step.input.get(i, i)) for i in ids)
    braces = "#".join("{}" for _ in ids)
    # The entity's root item: PK = SK = ENTITY#id, the single-table convention of the table plan.
    key_value = {"S.$": f"States.Format('{code.upper()}#{braces}', {id_values})"}
    key = {"PK": key_value, "SK": dict(key_value)}
    fields = {name: path for name, path in sorted(step.input.items()) if name not in ids}
    if action == "getItem":
        return {"TableName": table, "Key": key}
    attributes = {name: _attribute(aggregate, name, path) for name, path in fields.items()}
    if action == "putItem":
        return {"TableName": table, "Item": {**key, **attributes}}
    if not attributes:
        attributes = {"updatedBy": {"S.$": "$$.Execution.Id"}}
    names = sorted(attributes)
    return {
        "TableName": table,
        "Key": key,
        "UpdateExpression": "SET " + ", ".join(f"#{n} = :{n}" for n in names),
        "ExpressionAttributeNames": {f"#{n}": n for n in names},
        "ExpressionAttributeValues": {f":{n}": attributes[n] for n in names},
    }


def _attribute(aggregate: Aggregate, name: str, path: str) -> dict[str, str]:
    field = aggregate.attributes.get(name)
    source = state_path(path)
    if field is not None and field.type in _NUMBERS:
        return {"N.$": f"States.Format('{{}}', {source})"}
    if field is not None and field.type == "boolean":
        return {"BOOL.$": source}
    if field is not None and field.type in ("list", "map", "object"):
        return {"S.$": f"States.JsonToString({source})"}
    return {"S.$": source}


def _message(step: ServiceStep) -> dict[str, Any]:
    if not step.input:
        return {"Message.$": "$"}
    return {"Message": {f"{n}.$": state_path(p) for n, p in sorted(step.input.items())}}


def _sqs(
    valid: ValidDesign,
    step: ServiceStep,
    target: Entry | None,
    needs: Needs,
    owner: str,
    action: str,
) -> dict[str, Any]:
    name = owner + valid.code(step)
    url = needs.placeholder(f"{name}QueueUrl", "queue", "QueueUrl", name)
    needs.allow(("sqs:SendMessage",), needs.placeholder(f"{name}QueueArn", "queue", "Arn", name))
    ((key, body),) = _message(step).items()
    return {"QueueUrl": url, key.replace("Message", "MessageBody"): body}


def _sns(
    valid: ValidDesign,
    step: ServiceStep,
    target: Entry | None,
    needs: Needs,
    owner: str,
    action: str,
) -> dict[str, Any]:
    name = owner + valid.code(step)
    topic = needs.placeholder(f"{name}TopicArn", "topic", "Arn", name)
    needs.allow(("sns:Publish",), topic)
    return {"TopicArn": topic, **_message(step)}


def _events(
    valid: ValidDesign,
    step: ServiceStep,
    target: Entry | None,
    needs: Needs,
    owner: str,
    action: str,
) -> dict[str, Any]:
    assert target is not None and isinstance(target.element, Event)
    bus = needs.placeholder("EventBusName", "bus", "Name")
    needs.allow(("events:PutEvents",), needs.placeholder("EventBusArn", "bus", "Arn"))
    source = valid.code(target.context) if target.context is not None else "stormdraft"
    detail = {f"{n}.$": state_path(p) for n, p in sorted(step.input.items())}
    entry: dict[str, Any] = {
        "EventBusName": bus,
        "Source": source,
        "DetailType": valid.code(target.element),
    }
    entry.update({"Detail": detail} if detail else {"Detail.$": "$"})
    return {"Entries": [entry]}


_SERVICE_PARAMETERS = {"dynamodb": _dynamodb, "sqs": _sqs, "sns": _sns, "events": _events}


def approval_state(
    valid: ValidDesign, step: ApprovalStep, needs: Needs, owner: str, result_path: str
) -> dict[str, Any]:
    """Wait for a person: notify the approver with the task token, wait up to the timeout."""
    spec = step.approval
    approver = valid.targets(step, "approver")[0]
    actor = valid.code(approver.element)
    message = {
        "workflow": owner,
        "step": valid.code(step),
        "approver": actor,
        "taskToken.$": "$$.Task.Token",
        "execution.$": "$$.Execution.Id",
        "input.$": "$",
    }
    if spec.notify == "event":
        bus = needs.placeholder("EventBusName", "bus", "Name")
        needs.allow(("events:PutEvents",), needs.placeholder("EventBusArn", "bus", "Arn"))
        resource = "arn:aws:states:::events:putEvents.waitForTaskToken"
        parameters: dict[str, Any] = {
            "Entries": [
                {
                    "EventBusName": bus,
                    "Source": owner,
                    "DetailType": "ApprovalRequested",
                    "Detail": message,
                }
            ]
        }
    else:
        topic = needs.placeholder(f"{actor}ApprovalTopicArn", "topic", "Arn", actor)
        needs.allow(("sns:Publish",), topic)
        resource = "arn:aws:states:::sns:publish.waitForTaskToken"
        parameters = {
            "TopicArn": topic,
            "Subject": f"Approval needed: {owner} {valid.code(step)}"[:99],
            "Message": message,
        }
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": resource,
        "Parameters": parameters,
        "TimeoutSeconds": spec.timeout_s,
        "ResultPath": result_path,
    }
    if spec.heartbeat_s is not None:
        state["HeartbeatSeconds"] = spec.heartbeat_s
    return state


def result_path(step_code: str) -> str:
    """Where a step's result goes in the state: ``$.<stepCode>`` in camelCase."""
    return "$." + camel(step_code)
