"""Retry and Catch blocks: transient errors retried with backoff and full jitter, others caught."""

from __future__ import annotations

from typing import Any

from app.model.workflow import Retry

TRANSIENT_ERRORS: dict[str, tuple[str, ...]] = {
    "lambda": (
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ),
    "dynamodb": (
        "DynamoDB.ProvisionedThroughputExceededException",
        "DynamoDB.RequestLimitExceeded",
        "DynamoDB.ThrottlingException",
        "DynamoDB.InternalServerError",
    ),
    "sqs": ("SQS.SdkClientException", "SQS.AmazonSQSException"),
    "sns": ("SNS.SdkClientException", "SNS.ThrottledException", "SNS.InternalErrorException"),
    "events": ("EventBridge.SdkClientException", "EventBridge.InternalException"),
}
"""Errors of each integration that a retry can fix: throttling and the service's own faults."""

ERROR_PATH = "$.error"


def retrier(errors: list[str], retry: Retry) -> dict[str, Any]:
    """One ASL retrier from a model retry policy."""
    block: dict[str, Any] = {
        "ErrorEquals": errors,
        "IntervalSeconds": retry.interval_s,
        "MaxAttempts": retry.max_attempts,
        "BackoffRate": float(retry.backoff_rate),
    }
    if retry.max_delay_s is not None:
        block["MaxDelaySeconds"] = retry.max_delay_s
    if retry.jitter:
        block["JitterStrategy"] = "FULL"
    return block


def retriers(
    service: str | None, retry: Retry | bool | None, has_timeout: bool
) -> list[dict[str, Any]]:
    """The Retry list of a step.

    ``retry: false`` turns retries off. Errors the design names are retried with its policy; the
    integration's transient errors (and ``States.Timeout`` when the step has a timeout) are always
    retried too, with the design's policy or the default one. Parallel and Map steps (``service``
    None) retry only when the design asks, since a retry reruns every branch or item.
    """
    if retry is False:
        return []
    policy = retry if isinstance(retry, Retry) else Retry()
    blocks: list[dict[str, Any]] = []
    if isinstance(retry, Retry) and retry.errors:
        blocks.append(retrier(list(retry.errors), retry))
        policy = Retry()
    if service is None:
        if isinstance(retry, Retry) and not retry.errors:
            blocks.append(retrier(["States.ALL"], retry))
        return blocks
    transient = list(TRANSIENT_ERRORS.get(service, ()))
    if has_timeout:
        transient.append("States.Timeout")
    named = {e for block in blocks for e in block["ErrorEquals"]}
    transient = [e for e in transient if e not in named]
    if transient:
        blocks.append(retrier(transient, policy))
    return blocks


def catcher(errors: list[str], next_state: str, result_path: str = ERROR_PATH) -> dict[str, Any]:
    """One ASL catcher that keeps the state and records the error at ``result_path``."""
    return {"ErrorEquals": errors, "Next": next_state, "ResultPath": result_path}
