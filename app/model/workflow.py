"""Workflows (processes, sagas): steps that become a Step Functions state machine.

Steps run in the order written unless a step says ``next``. Each step is one kind, told by the
key it carries: ``task`` (a command's function) or ``service`` (a direct service call),
``choice``, ``parallel``, ``map``, ``wait``, ``approval``, ``succeed`` or ``fail``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from app.model.base import Element, Name, Ref, Route, StrictModel, Workload
from app.model.expressions import ConditionError, parse_condition
from app.model.types import Fields

STEP_KINDS = ("task", "service", "choice", "parallel", "map", "wait", "approval", "succeed", "fail")
SERVICE_ACTIONS = (
    "dynamodb:getItem",
    "dynamodb:putItem",
    "dynamodb:updateItem",
    "sqs:sendMessage",
    "sns:publish",
    "events:putEvents",
    "lambda:invoke",
)
StepName = Name
ErrorName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.]{0,127}$")]


class Retry(StrictModel):
    """Retry policy of a step: bounded attempts, exponential backoff with full jitter."""

    errors: list[ErrorName] = Field(default_factory=list, description="empty: the defaults")
    max_attempts: int = Field(default=3, ge=1, le=99)
    interval_s: int = Field(default=2, ge=1, le=3600)
    backoff_rate: float = Field(default=2.0, ge=1, le=10)
    max_delay_s: int | None = Field(default=60, ge=1, le=86_400)
    jitter: bool = True


class Catch(StrictModel):
    """Where a step goes when it fails with one of ``errors`` after its retries."""

    errors: list[ErrorName] = Field(default_factory=lambda: ["States.ALL"], min_length=1)
    next: StepName


class StepBase(Element):
    """What every step has: a name (the state name), an optional explicit next step."""

    next: StepName | None = None


class ResilientStep(StepBase):
    """A step that can fail, retry and be caught."""

    retry: Retry | Literal[False] | None = None
    on_error: list[Catch] = Field(default_factory=list)
    failure_rate: float = Field(default=0.0, ge=0, le=1, description="per attempt")
    failure_error: ErrorName | None = Field(
        default=None,
        description="the error its failures raise; none: a transient error the default retry "
        "covers",
    )
    timeout_s: int | None = Field(default=None, ge=1, le=31_536_000)


class TaskStep(ResilientStep):
    """Run a command's function, with an optional compensating command for sagas."""

    task: Ref
    input: dict[str, str] = Field(default_factory=dict, description="field: state path")
    compensate: Ref | None = None
    workload: Workload = Field(default_factory=Workload)


class ServiceStep(ResilientStep):
    """Call an AWS service directly (no function): ``dynamodb:putItem`` on an entity, …"""

    service: Literal[
        "dynamodb:getItem",
        "dynamodb:putItem",
        "dynamodb:updateItem",
        "sqs:sendMessage",
        "sns:publish",
        "events:putEvents",
        "lambda:invoke",
    ]
    target: Ref | None = Field(
        default=None, description="entity for dynamodb, event for events, command for lambda"
    )
    input: dict[str, str] = Field(default_factory=dict)
    compensate: Ref | None = None


class ChoiceBranch(StrictModel):
    when: str
    next: StepName
    probability: float | None = Field(default=None, ge=0, le=1)

    @field_validator("when")
    @classmethod
    def _parses(cls, text: str) -> str:
        try:
            parse_condition(text)
        except ConditionError as exc:
            raise ValueError(f"cannot read condition {text!r}: {exc}") from None
        return text


class ChoiceStep(StepBase):
    choice: list[ChoiceBranch] = Field(min_length=1)
    default: StepName | None = None


class Branch(StrictModel):
    name: Name | None = None
    steps: list[Step] = Field(min_length=1)


class ParallelStep(ResilientStep):
    parallel: list[Branch] = Field(min_length=1)


class MapSpec(StrictModel):
    items: str = Field(description="state path of the list to iterate over")
    steps: list[Step] = Field(min_length=1)
    max_concurrency: int = Field(default=10, ge=0, le=10_000)
    items_per_execution: float = Field(default=10, ge=0, le=100_000_000)
    mode: Literal["inline", "distributed"] | None = None
    tolerated_failure_percentage: float = Field(default=0, ge=0, le=100)


class MapStep(ResilientStep):
    map: MapSpec


class WaitSpec(StrictModel):
    seconds: int | None = Field(default=None, ge=1, le=31_536_000)
    until: str | None = Field(default=None, description="state path of an ISO-8601 timestamp")

    @model_validator(mode="after")
    def _one(self) -> WaitSpec:
        if (self.seconds is None) == (self.until is None):
            raise ValueError("a wait needs exactly one of 'seconds' or 'until'")
        return self


class WaitStep(StepBase):
    wait: WaitSpec


class ApprovalSpec(StrictModel):
    approver: Ref = Field(description="the actor who decides")
    timeout_s: int = Field(default=86_400, ge=1, le=31_536_000)
    heartbeat_s: int | None = Field(default=None, ge=1, le=31_536_000)
    notify: Literal["email", "sns", "event"] = "sns"
    on_reject: StepName | None = None
    on_timeout: StepName | None = None
    rejection_rate: float = Field(default=0.1, ge=0, le=1)
    timeout_rate: float = Field(default=0.0, ge=0, le=1)


class ApprovalStep(StepBase):
    approval: ApprovalSpec


class SucceedStep(StepBase):
    succeed: dict[str, Any] = Field(description="write 'succeed: {}'")


class FailSpec(StrictModel):
    error: ErrorName = "WorkflowFailed"
    cause: str = ""


class FailStep(StepBase):
    fail: FailSpec = Field(description="write 'fail: {error: Name, cause: text}'")


def _step_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        present = [k for k in STEP_KINDS if k in data]
        return present[0] if len(present) == 1 else None
    for kind, cls in _STEP_CLASSES.items():
        if isinstance(data, cls):
            return kind
    return None


Step = Annotated[
    Annotated[TaskStep, Tag("task")]
    | Annotated[ServiceStep, Tag("service")]
    | Annotated[ChoiceStep, Tag("choice")]
    | Annotated[ParallelStep, Tag("parallel")]
    | Annotated[MapStep, Tag("map")]
    | Annotated[WaitStep, Tag("wait")]
    | Annotated[ApprovalStep, Tag("approval")]
    | Annotated[SucceedStep, Tag("succeed")]
    | Annotated[FailStep, Tag("fail")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message=(
            "a step needs exactly one of: task, service, choice, parallel, map, wait, "
            "approval, succeed, fail"
        ),
    ),
]
_STEP_CLASSES: dict[str, type] = {
    "task": TaskStep,
    "service": ServiceStep,
    "choice": ChoiceStep,
    "parallel": ParallelStep,
    "map": MapStep,
    "wait": WaitStep,
    "approval": ApprovalStep,
    "succeed": SucceedStep,
    "fail": FailStep,
}


def step_kind(step: StepBase) -> str:
    """The kind of a step (``task``, ``choice``, …)."""
    kind = _step_kind(step)
    assert kind is not None
    return kind


class Workflow(Element):
    """A process or saga; becomes a Step Functions state machine."""

    type: Literal["standard", "express"] | None = Field(
        default=None, description="override of the Standard/Express choice"
    )
    route: Route | None = Field(default=None, description="start it from an API route")
    input: Fields = Field(default_factory=dict)
    steps: list[Step] = Field(min_length=1)
    workload: Workload = Field(default_factory=Workload)


Branch.model_rebuild()
MapSpec.model_rebuild()
