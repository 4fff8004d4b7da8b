"""Dry runs of workflows on moto's Step Functions engine, failure paths included.

Each scenario copy (see ``app.generators.workflows.scenarios``) runs on moto's ASL interpreter
with its state-machine execution turned on. The engine's timers run on a virtual clock: retry
intervals and Wait states advance it instead of sleeping, so retries really happen and a
scenario takes a fraction of a second.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from app.generators.workflows.asl import StateMachine, build_state_machine
from app.generators.workflows.mocks import MOCK_ERROR_SUFFIX, TIMES_OUT_MARK
from app.generators.workflows.scenarios import Scenario, scenarios
from app.model.errors import DesignError
from app.model.validate import ValidDesign

RUN_LIMIT_S = 20.0
"""Wall-clock time after which a run is reported as not finishing (a loop without end)."""
POLL_S = 0.025
"""How often a run's status is read; more often would take the engine's threads' time."""
ROLE_ARN = "arn:aws:iam::123456789012:role/stormdraft-dry-run"
_ENGINE_LOCK = threading.Lock()
_ENGINE_LOGGERS = ("moto.stepfunctions", "moto.stepfunctions.parser")


@dataclass(frozen=True)
class RunReport:
    """What one dry run did, and how it differs from what the scenario expects."""

    workflow: str
    scenario: str
    description: str
    status: str
    visited: tuple[str, ...]
    retries: dict[str, int]
    output: Any = None
    error: str | None = None
    cause: str | None = None
    virtual_seconds: float = 0.0
    expected: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


class VirtualClock:
    """Time the engine would have waited, advanced instead of sleeping."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.lock = threading.Lock()

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.seconds += max(0.0, float(seconds))


@contextmanager
def step_functions_engine(clock: VirtualClock) -> Iterator[Any]:
    """A Step Functions client on moto's executing engine, its timers on ``clock``."""
    import boto3
    from moto import mock_aws
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel import state_parallel
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function import wait_function

    def wait_interval(self: Any, env: Any, wait_seconds: int) -> None:
        clock.advance(wait_seconds)

    run_branches = state_parallel.StateParallel._eval_execution

    def branches_or_timeout(self: Any, env: Any) -> None:
        comment = getattr(self.comment, "comment", None) or ""
        if comment.startswith(TIMES_OUT_MARK):
            clock.advance(float(comment.removeprefix(TIMES_OUT_MARK)))
            raise _timeout(env)
        run_branches(self, env)

    virtual_time = types.SimpleNamespace(sleep=clock.advance, time=time.time)
    loggers = [logging.getLogger(name) for name in _ENGINE_LOGGERS]
    levels = [logger.level for logger in loggers]
    with (
        _ENGINE_LOCK,
        mock_aws(config={"stepfunctions": {"execute_state_machine": True}}),
        mock.patch.object(retrier_decl, "time", virtual_time),
        mock.patch.object(wait_function.WaitFunction, "_wait_interval", wait_interval),
        mock.patch.object(state_parallel.StateParallel, "_eval_execution", branches_or_timeout),
    ):
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)  # the engine logs every raised error it handles
        try:
            yield boto3.client("stepfunctions", region_name="us-east-1")
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def _timeout(env: Any) -> Exception:
    """The failure the engine raises when a task runs past its TimeoutSeconds."""
    from moto.stepfunctions.parser.api import HistoryEventType, TaskTimedOutEventDetails
    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
        FailureEvent,
        FailureEventException,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
        StatesErrorName,
    )
    from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
        StatesErrorNameType,
    )
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

    details = TaskTimedOutEventDetails(error="States.Timeout", cause="dry run: no answer in time")
    return FailureEventException(
        FailureEvent(
            env=env,
            error_name=StatesErrorName(typ=StatesErrorNameType.StatesTimeout),
            event_type=HistoryEventType.TaskTimedOut,
            event_details=EventDetails(taskTimedOutEventDetails=details),  # type: ignore[typeddict-item]
        )
    )


def run_scenario(
    client: Any, clock: VirtualClock, workflow: str, scenario: Scenario, n: int
) -> RunReport:
    """Run one scenario copy to its end and compare what happened with what should have."""
    start = clock.seconds
    arn = client.create_state_machine(
        name=f"dry-run-{n}", definition=json.dumps(scenario.asl), roleArn=ROLE_ARN
    )["stateMachineArn"]
    execution = client.start_execution(
        stateMachineArn=arn, name=f"run-{n}", input=json.dumps(scenario.input)
    )["executionArn"]
    deadline = time.monotonic() + RUN_LIMIT_S
    described = client.describe_execution(executionArn=execution)
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(POLL_S)
        described = client.describe_execution(executionArn=execution)
    events = _history(client, execution)
    visited, retries = _read_history(events)
    output = json.loads(described["output"]) if described.get("output") else None
    report = RunReport(
        workflow=workflow,
        scenario=scenario.name,
        description=scenario.description,
        status=described["status"],
        visited=visited,
        retries=retries,
        output=output,
        error=described.get("error"),
        cause=described.get("cause"),
        virtual_seconds=clock.seconds - start,
        expected=scenario.expect.describe(),
    )
    if report.status == "RUNNING":
        client.stop_execution(executionArn=execution)
    return _judged(report, scenario)


def _history(client: Any, execution: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"executionArn": execution, "maxResults": 1000}
    while True:
        page = client.get_execution_history(**kwargs)
        events += page["events"]
        if not page.get("nextToken"):
            return events
        kwargs["nextToken"] = page["nextToken"]


def _read_history(events: list[dict[str, Any]]) -> tuple[tuple[str, ...], dict[str, int]]:
    """States entered in order (mock internals hidden) and retries of each failing task."""
    visited: list[str] = []
    entered: dict[str, int] = {}
    raised: dict[str, int] = {}
    for event in sorted(events, key=lambda e: e["id"]):
        if not event["type"].endswith("StateEntered"):
            continue
        name = _unescaped(event["stateEnteredEventDetails"]["name"])
        if name.endswith(MOCK_ERROR_SUFFIX):
            owner = name.removesuffix(MOCK_ERROR_SUFFIX)
            raised[owner] = raised.get(owner, 0) + 1
            continue
        if " · " in name:
            continue  # the gate and passing mock of a map scenario's failing item
        visited.append(name)
        entered[name] = entered.get(name, 0) + 1
    retries = {name: count - entered.get(name, 1) for name, count in raised.items()}
    return tuple(visited), retries


def _unescaped(name: str) -> str:
    """The state name as written: moto's history escapes non-ASCII names (``\\u00e9``)."""
    if "\\u" not in name:
        return name
    try:
        return str(json.loads(f'"{name}"'))
    except json.JSONDecodeError:
        return name


def _judged(report: RunReport, scenario: Scenario) -> RunReport:
    expect = scenario.expect
    problems: list[str] = []
    position = 0
    for state in expect.visits:
        try:
            position = report.visited.index(state, position) + 1
        except ValueError:
            problems.append(
                f"expected to visit {state!r} (in this order: {' → '.join(expect.visits)})"
            )
            break
    for state, count in expect.retries.items():
        if report.retries.get(state, 0) != count:
            problems.append(
                f"expected {state!r} to retry {count}×, it retried {report.retries.get(state, 0)}×"
            )
    if report.status == "RUNNING":
        problems.append(f"did not finish within {RUN_LIMIT_S:g} s")
    elif expect.status and report.status != expect.status:
        problems.append(f"expected to end {expect.status}, it ended {report.status}")
    if expect.error and report.error != expect.error:
        problems.append(f"expected the error {expect.error}, got {report.error}")
    if touched := sorted(set(report.visited) & expect.avoids):
        problems.append(f"expected no compensation, visited {', '.join(touched)}")
    if report.error and report.error.startswith("States.Runtime"):
        problems.append(f"the engine could not run a state: {report.cause}")
    return RunReport(**{**report.__dict__, "problems": tuple(problems)})


def find_workflow(valid: ValidDesign, ref: str) -> StateMachine:
    """The state machine of the workflow named (by code, name or id) ``ref``."""
    for entry in valid.of_kind("workflows"):
        if ref in (entry.id, entry.element.name, valid.code(entry.element)):
            return build_state_machine(valid, entry)
    known = ", ".join(valid.code(e.element) for e in valid.of_kind("workflows")) or "none"
    raise DesignError.one("workflows", f"no workflow '{ref}' (workflows: {known})")


def simulate(valid: ValidDesign, workflow_ref: str, scenario: str | None = None) -> list[RunReport]:
    """Dry-run a workflow: every scenario, or the one named; each run reported and judged."""
    machine = find_workflow(valid, workflow_ref)
    chosen = scenarios(machine)
    if scenario is not None:
        chosen = [s for s in chosen if s.name.casefold() == scenario.casefold()]
        if not chosen:
            names = "; ".join(s.name for s in scenarios(machine))
            raise DesignError.one(
                f"workflows.{machine.code}", f"no scenario '{scenario}' (scenarios: {names})"
            )
    clock = VirtualClock()
    with step_functions_engine(clock) as client:
        return [run_scenario(client, clock, machine.code, s, n) for n, s in enumerate(chosen)]


def format_runs(reports: list[RunReport]) -> str:
    """The dry runs as plain text, one block per scenario, for the terminal and CI logs."""
    lines: list[str] = []
    for report in reports:
        verdict = "ok" if report.ok else "UNEXPECTED"
        lines.append(f"{report.workflow} · {report.scenario}: {report.status} ({verdict})")
        lines.append(f"  what: {report.description}")
        lines.append(f"  path: {' → '.join(report.visited) or '(nothing)'}")
        if any(report.retries.values()):
            retried = ", ".join(f"{s} {n}×" for s, n in sorted(report.retries.items()) if n)
            lines.append(f"  retries: {retried}")
        if report.virtual_seconds:
            lines.append(f"  waited (virtual clock): {report.virtual_seconds:,.0f} s")
        if report.error:
            lines.append(
                f"  error: {report.error}" + (f" — {report.cause}" if report.cause else "")
            )
        else:
            lines.append(
                f"  output: {json.dumps(report.output, sort_keys=True, ensure_ascii=False)[:500]}"
            )
        lines.append(f"  expected: {report.expected or 'anything'}")
        lines += [f"  ✗ {problem}" for problem in report.problems]
    passed = sum(r.ok for r in reports)
    lines.append(f"{passed} of {len(reports)} scenarios ran as expected")
    return "\n".join(lines) + "\n"


def exit_code(reports: list[RunReport]) -> int:
    """0 when every run ended as its scenario expects, 3 otherwise (the CLI's exit status)."""
    return 0 if all(r.ok for r in reports) else 3
