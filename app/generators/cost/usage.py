"""A design's usage lines under a what-if: functions, APIs, bus, queues, workflows, schedules
and sources; the table and observability lines come from their own modules.

Every line names its resource, bounded context and (where it has one) function, so that totals
add up per service, per context and per function. A ``WhatIf`` changes choices before the
lines are made: traffic multiplier, architecture, API type, memory, batching, workflow type,
provisioned concurrency, table capacity mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from app.generators.cost.basis import FunctionBasis, UsageBasis, WorkflowBasis, usage_basis
from app.generators.cost.power import duration_at, slowdown
from app.generators.cost.pricer import UsageLine
from app.model import ValidDesign
from app.model.base import Workload
from app.model.traffic import SECONDS_PER_MONTH

EXPRESS_MEMORY_MB = 64
"""Express workflows are billed in 64 MB chunks; a workflow's state stays well within one."""
SQS_MAX_RECEIVE = 10
"""ReceiveMessage and DeleteMessageBatch handle at most 10 messages per call."""


@dataclass(frozen=True)
class WhatIf:
    """Choices changed before pricing; the defaults change nothing."""

    traffic: float = 1.0
    architecture: Literal["arm64", "x86_64"] | None = None
    api_type: Literal["http", "rest"] | None = None
    memory_mb: int | None = None
    """Memory of every function (per-function ``memory`` wins)."""
    memory: Mapping[str, int] = field(default_factory=dict)
    """Memory per function code."""
    batch_size: int | None = None
    """Batch size of every queue-fed consumer."""
    workflow_type: Mapping[str, Literal["standard", "express", "split"]] = field(
        default_factory=dict
    )
    """Per workflow code; ``split``: Express, starting a Standard child for the executions
    that wait for an approval or a time."""
    step_functions: Literal["standard", "express"] | None = None
    """Type of every workflow that can run as either (per-workflow ``workflow_type`` wins):
    ``express`` leaves the workflows that must stay Standard (approvals, distributed maps,
    paths over 5 minutes) as they are."""
    provisioned: Mapping[str, int] = field(default_factory=dict)
    table_capacity: Literal["on-demand", "provisioned"] = "on-demand"


class FunctionUse(NamedTuple):
    """One Lambda function under a what-if: what runs it and what each invocation costs."""

    code: str
    context: str
    workload: Workload
    architecture: str
    memory_mb: int
    duration_ms: float
    """Per work item (request, message, record), at ``memory_mb``."""
    items: float
    invocations: float
    provisioned: int
    latency_sensitive: bool
    p99_ms: float
    """At ``memory_mb``."""
    designed_p99_ms: float
    """The latency budget: the p99 the design states for its own memory."""


def memory_of(code: str, workload: Workload, what_if: WhatIf) -> int:
    return what_if.memory.get(code, what_if.memory_mb or workload.memory_mb)


def function_use(fn: FunctionBasis, what_if: WhatIf) -> FunctionUse:
    """A function under a what-if: batching sets its invocations, memory its duration."""
    k, load = what_if.traffic, fn.workload
    items = fn.items * k
    invocations = items
    if fn.queued:
        batch = what_if.batch_size
        from_queues = sum(m for m, _ in fn.queued) * k
        invocations = max(0.0, items - from_queues) + sum(
            m * k / (batch or b) for m, b in fn.queued
        )
    memory = memory_of(fn.code, load, what_if)
    factor = slowdown(load.cpu_bound, load.memory_mb, memory)
    p99 = load.p99
    return FunctionUse(
        fn.code,
        fn.context,
        load,
        what_if.architecture or fn.architecture,
        memory,
        load.duration_ms * factor,
        items,
        invocations,
        what_if.provisioned.get(fn.code, fn.provisioned),
        load.latency_sensitive,
        p99 * factor,
        p99,
    )


def functions(valid: ValidDesign, what_if: WhatIf) -> list[FunctionUse]:
    """Every function of the design with its invocations, memory and duration under a what-if."""
    return [function_use(fn, what_if) for fn in usage_basis(valid).functions]


def function_lines(fn: FunctionUse) -> Iterator[UsageLine]:
    """Requests, duration and provisioned concurrency of one function."""
    if fn.invocations <= 0 and fn.provisioned <= 0:
        return
    common: dict[str, Any] = {"resource": fn.code, "context": fn.context, "function": fn.code}
    yield UsageLine("lambda", "requests", fn.invocations, "requests", **common)
    per_invocation = fn.duration_ms * fn.items / fn.invocations if fn.invocations else 0.0
    on_provisioned = 0.0
    if fn.provisioned > 0:
        busy_seconds = fn.invocations * per_invocation / 1000
        capacity = fn.provisioned * SECONDS_PER_MONTH
        on_provisioned = fn.invocations * min(1.0, capacity / busy_seconds) if busy_seconds else 0.0
        yield UsageLine(
            "lambda",
            f"provisioned-concurrency-{fn.architecture}",
            fn.provisioned,
            "instances",
            memory_mb=fn.memory_mb,
            **common,
        )
        if on_provisioned > 0:
            yield UsageLine(
                "lambda",
                f"provisioned-duration-{fn.architecture}",
                on_provisioned,
                "requests",
                duration_ms=per_invocation,
                memory_mb=fn.memory_mb,
                **common,
            )
    if fn.invocations - on_provisioned > 0:
        yield UsageLine(
            "lambda",
            f"duration-{fn.architecture}",
            fn.invocations - on_provisioned,
            "requests",
            duration_ms=per_invocation,
            memory_mb=fn.memory_mb,
            **common,
        )


def api_lines(
    basis: UsageBasis, what_if: WhatIf, scaled: bool | None = None
) -> Iterator[UsageLine]:
    """API Gateway requests (HTTP APIs metered in 512 KB) and data transfer out, per route."""
    if scaled is False:
        return
    api_type = what_if.api_type or basis.api_type
    for route in basis.routes:
        requests = route.requests * what_if.traffic
        common: dict[str, Any] = {"resource": route.resource, "context": route.context}
        if api_type == "http":
            yield UsageLine(
                "api_gateway",
                "http-requests",
                requests,
                "requests",
                size_kb=route.payload_kb,
                **common,
            )
        else:
            yield UsageLine("api_gateway", "rest-requests", requests, "requests", **common)
        yield UsageLine(
            "data_transfer", "out-to-internet", requests * route.payload_kb, "KB", **common
        )


def messaging_lines(
    basis: UsageBasis, what_if: WhatIf, scaled: bool | None = None
) -> Iterator[UsageLine]:
    """Events on the bus (64 KB chunks), queue requests (send, receive, delete), schedules."""
    if scaled is False:
        return
    k = what_if.traffic
    for event in basis.events:
        if event.published > 0:
            yield UsageLine(
                "eventbridge",
                "custom-events",
                event.published * k,
                "events",
                size_kb=event.size_kb,
                resource=event.code,
                context=event.context,
            )
    for queue in basis.queues:
        messages = queue.messages * k
        if messages <= 0:
            continue
        per_call = min(what_if.batch_size or queue.batch_size, SQS_MAX_RECEIVE)
        common: dict[str, Any] = {"resource": f"{queue.code}Queue", "context": queue.context}
        yield UsageLine(
            "sqs",
            "standard-requests",
            messages,
            "requests",
            size_kb=queue.size_kb,
            label="send",
            **common,
        )
        yield UsageLine(
            "sqs",
            "standard-requests",
            messages / per_call,
            "requests",
            size_kb=queue.size_kb * per_call,
            label="receive",
            **common,
        )
        yield UsageLine(
            "sqs", "standard-requests", messages / per_call, "requests", label="delete", **common
        )
    for schedule in basis.schedules:
        if schedule.count > 0:
            yield UsageLine(
                "eventbridge",
                "scheduler-invocations",
                schedule.count * k,
                "invocations",
                resource=schedule.code,
                context=schedule.context,
            )


def _chosen_kind(workflow: WorkflowBasis, what_if: WhatIf) -> str | None:
    chosen = what_if.workflow_type.get(workflow.code)
    wanted = what_if.step_functions
    if chosen is None and wanted is not None and (wanted == "standard" or workflow.can_be_express):
        chosen = wanted
    return chosen


def workflow_kind(workflow: WorkflowBasis, what_if: WhatIf) -> str:
    """Standard, Express or split: the what-if's choice, else the one the workflow export
    makes at the what-if's traffic (it picks Express from a volume on)."""
    chosen = _chosen_kind(workflow, what_if)
    if chosen is not None:
        return chosen
    if workflow.express_from is not None:
        executions = workflow.executions * what_if.traffic
        return "express" if executions >= workflow.express_from else "standard"
    return workflow.kind


def kind_follows_traffic(workflow: WorkflowBasis, what_if: WhatIf) -> bool:
    """Whether the workflow's type can change with the traffic (so its lines do not scale)."""
    return workflow.express_from is not None and _chosen_kind(workflow, what_if) is None


def execution_ms(workflow: WorkflowBasis, what_if: WhatIf) -> float:
    """Expected duration of one execution: every task's work (at its memory), retries included,
    and the direct service calls."""
    return workflow.service_ms + sum(
        attempts
        * duration_at(
            load.duration_ms, load.cpu_bound, load.memory_mb, memory_of(code, load, what_if)
        )
        for code, attempts, load in workflow.tasks
    )


def workflow_lines(
    basis: UsageBasis, what_if: WhatIf, scaled: bool | None = None
) -> Iterator[UsageLine]:
    """Standard transitions (retries included) or Express requests and duration."""
    k = what_if.traffic
    for workflow in basis.workflows:
        executions = workflow.executions * k
        if executions <= 0:
            continue
        if scaled is not None and scaled == kind_follows_traffic(workflow, what_if):
            continue
        common: dict[str, Any] = {"resource": workflow.code, "context": workflow.context}
        kind = workflow_kind(workflow, what_if)
        if kind in ("express", "split"):
            yield UsageLine("step_functions", "express-requests", executions, "requests", **common)
            yield UsageLine(
                "step_functions",
                "express-duration",
                executions,
                "executions",
                duration_ms=max(1.0, execution_ms(workflow, what_if)),
                memory_mb=EXPRESS_MEMORY_MB,
                **common,
            )
        if kind == "split":
            # The Standard child runs the rest of the process for the executions that wait;
            # counting all the workflow's transitions for each of them errs on the high side.
            yield UsageLine(
                "step_functions",
                "standard-transitions",
                workflow.transitions * k * workflow.blocking_share,
                "transitions",
                label="standard child",
                resource=f"{workflow.code}Approval",
                context=workflow.context,
            )
        elif kind == "standard":
            yield UsageLine(
                "step_functions",
                "standard-transitions",
                workflow.transitions * k,
                "transitions",
                **common,
            )


def source_lines(
    basis: UsageBasis, what_if: WhatIf, scaled: bool | None = None
) -> Iterator[UsageLine]:
    """Uploads (S3 requests and storage) and Kinesis streams (shards and PUT payload units);
    table streams read by Lambda triggers are free."""
    k = what_if.traffic
    for source in basis.sources:
        records = source.records * k
        common: dict[str, Any] = {"resource": source.code, "context": source.context}
        if source.kind == "bucket" and records > 0 and scaled is not False:
            yield UsageLine("s3", "put-requests", records, "requests", label="upload", **common)
            yield UsageLine("s3", "get-requests", records, "requests", label="read", **common)
            yield UsageLine(
                "s3",
                "standard-storage",
                records * source.size_kb,
                "KB",
                note="one month of uploads kept",
                **common,
            )
        elif source.kind == "kinesis":
            peak = source.peak_per_second * k
            shards = max(1, -int(-max(peak / 1000, peak * source.size_kb / 1024) // 1))
            if scaled is not True:
                yield UsageLine("kinesis", "shard-hours", shards, "shard", **common)
            if records > 0 and scaled is not False:
                yield UsageLine(
                    "kinesis",
                    "put-payload-units",
                    records,
                    "records",
                    size_kb=source.size_kb,
                    **common,
                )


def lambda_lines(fns: Iterable[FunctionUse], scaled: bool | None = None) -> Iterator[UsageLine]:
    """Every function's lines (a function with provisioned concurrency does not scale)."""
    for fn in fns:
        if scaled is None or scaled == (fn.provisioned <= 0):
            yield from function_lines(fn)


FUNCTION_SERVICES = frozenset({"lambda", "cloudwatch", "step_functions"})
"""Services whose lines depend on the functions' invocations, memory or duration."""


def design_usage(
    valid: ValidDesign,
    what_if: WhatIf | None = None,
    services: frozenset[str] | None = None,
    scaled: bool | None = None,
    only_functions: frozenset[str] | None = None,
) -> list[UsageLine]:
    """Every usage line of a design under a what-if (by default, as designed); with
    ``services``, only the lines of those services (a what-if that changes only them); with
    ``only_functions``, of the lines that belong to a function (its requests, duration and
    logs), only those of these function codes.

    ``scaled=True`` keeps only the lines whose quantity is proportional to the traffic (with
    nothing else about them changing), ``scaled=False`` only the others (fixed quantities such
    as alarms and storage, capacity sized for the peak, sampled traces, functions with
    provisioned concurrency, workflows whose type follows the volume): at k times the traffic,
    the first are the lines at 1× with k times the quantity, so projections only remake the
    second."""
    from app.generators.cost.usage_observability import observability_lines
    from app.generators.cost.usage_table import table_lines

    what_if = what_if or WhatIf()
    basis = usage_basis(valid)
    fns = (
        [
            function_use(fn, what_if)
            for fn in basis.functions
            if (only_functions is None or fn.code in only_functions)
            # only functions with provisioned concurrency have lines that do not scale
            and (scaled is not False or what_if.provisioned.get(fn.code, fn.provisioned) > 0)
        ]
        if services is None or services & FUNCTION_SERVICES
        else []
    )
    makers: tuple[tuple[frozenset[str], Callable[[], Iterable[UsageLine]]], ...] = (
        (frozenset({"lambda"}), lambda: lambda_lines(fns, scaled)),
        (frozenset({"api_gateway", "data_transfer"}), lambda: api_lines(basis, what_if, scaled)),
        (frozenset({"eventbridge", "sqs"}), lambda: messaging_lines(basis, what_if, scaled)),
        (frozenset({"step_functions"}), lambda: workflow_lines(basis, what_if, scaled)),
        (frozenset({"s3", "kinesis"}), lambda: source_lines(basis, what_if, scaled)),
        (frozenset({"dynamodb"}), lambda: table_lines(basis, what_if, scaled)),
        (
            frozenset({"cloudwatch", "xray"}),
            lambda: observability_lines(basis, what_if, fns, scaled),
        ),
    )
    lines: list[UsageLine] = []
    for makes, make in makers:
        if services is None:
            lines.extend(make())
        elif makes & services:
            lines.extend(line for line in make() if line.service in services)
    return lines


__all__ = ["FunctionUse", "WhatIf", "design_usage", "functions"]
