"""A workflow of the model as an Amazon States Language state machine.

Conventions of the generated machines: a step's result goes to ``$.<stepCode>`` (camelCase) so
the state keeps everything it had; a caught error goes to ``$.error``; a function's answer is its
``Payload``; resources are ``${Placeholder}`` definition substitutions filled by the stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.generators.workflows.conditions import choice_rule, state_path
from app.generators.workflows.graph import COMPENSATION_COMMENT
from app.generators.workflows.kind import MachineKind, choose_kind, distributed, map_execution_type
from app.generators.workflows.names import StateNames
from app.generators.workflows.needs import Needs
from app.generators.workflows.retries import (
    ERROR_PATH,
    TRANSIENT_ERRORS,
    catcher,
    retrier,
    retriers,
)
from app.generators.workflows.saga import Undo, can_fail, step_graph, undo_chains
from app.generators.workflows.tasks import (
    approval_state,
    compensation_state,
    service_state,
    task_state,
)
from app.model.codes import camel
from app.model.errors import DesignError, Loc, Problem, format_loc
from app.model.index import Entry
from app.model.validate import ValidDesign
from app.model.workflow import (
    ApprovalStep,
    ChoiceStep,
    FailStep,
    MapStep,
    ParallelStep,
    ResilientStep,
    Retry,
    ServiceStep,
    StepBase,
    SucceedStep,
    TaskStep,
    WaitStep,
    Workflow,
)

REJECTED = "Approval.Rejected"
COMPENSATION_ERROR_PATH = "$.compensationError"
LOGGING_AND_TRACING = (
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
)
"""What every state machine needs to deliver its logs and traces (these take no resource)."""
COMPENSATION_RETRY = Retry(max_attempts=5, interval_s=2, backoff_rate=2.0, max_delay_s=60)


def inert(text: str) -> str:
    """Free text made safe inside a definition: one line, and no ``${`` that the stack's
    definition substitutions would take for a placeholder."""
    return " ".join(text.split()).replace("${", "$ {")


@dataclass
class StateMachine:
    """One generated state machine with what the stack must give it and how to read it."""

    code: str
    name: str
    asl: dict[str, Any]
    kind: MachineKind
    needs: Needs
    roles: dict[str, str] = field(default_factory=dict)
    """Per state name: task, service, approval, compensation, compensation-check, choice,
    parallel, map, wait, succeed, fail, saga-fail."""
    step_states: dict[str, str] = field(default_factory=dict)
    """Per step id: its state name."""
    unreachable: list[str] = field(default_factory=list)
    """Steps of the design that nothing leads to (left out: Step Functions refuses a state that
    is not reachable from ``StartAt``), as ``scope label: step name``."""


class _Builder:
    def __init__(self, valid: ValidDesign, entry: Entry) -> None:
        assert isinstance(entry.element, Workflow)
        self.valid = valid
        self.entry = entry
        self.workflow = entry.element
        self.code = valid.code(entry.element)
        self.names = StateNames()
        self.needs = Needs()
        self.roles: dict[str, str] = {}
        self.step_states: dict[str, str] = {}
        self.steps = [e for e in valid.of_kind("steps") if e.workflow is entry.element]
        self.locs: dict[str, Loc] = {e.id: e.loc for e in self.steps}
        self.problems: list[tuple[Loc, str]] = []
        self.by_scope_name = {(e.scope, e.element.name): e.id for e in self.steps}
        self.scope_by_id = {e.id: e.scope for e in self.steps}
        self.unreachable: list[str] = []

    def build(self) -> StateMachine:
        for step in self.steps:
            self.step_states[step.id] = self.names.claim(
                step.element.name, self.valid.code(step.element)
            )
        self.check_result_paths()
        start, states = self.scope(self.workflow.steps, self.workflow.name)
        comment = self.workflow.name + (
            f": {self.workflow.description}" if self.workflow.description else ""
        )
        asl = {"Comment": inert(comment)[:1000], "StartAt": start, "States": states}
        kind = choose_kind(self.valid, self.entry, self.problem)
        if self.problems:
            raw = self.valid.design.model_dump(mode="json", by_alias=True)
            raise DesignError(
                Problem(format_loc(loc, raw), message, loc=loc) for loc, message in self.problems
            )
        self.needs.allow(LOGGING_AND_TRACING, "*")
        built = set(self.roles)  # every state written, nested ones included, has its role
        self.step_states = {i: n for i, n in self.step_states.items() if n in built}
        return StateMachine(
            self.code,
            self.workflow.name,
            asl,
            kind,
            self.needs,
            self.roles,
            self.step_states,
            self.unreachable,
        )

    def problem(self, loc: Loc, message: str) -> None:
        self.problems.append((loc, message))

    def loc(self, step: StepBase) -> Loc:
        return self.locs[step.id or ""]

    def check_result_paths(self) -> None:
        taken = {"error": "the caught error", "compensationError": "a failed compensation"}
        taken.update({name: "an input field" for name in self.workflow.input})
        for step in self.steps:
            key = camel(self.valid.code(step.element))
            if key in taken and isinstance(step.element, StepBase) and can_fail(step.element):
                self.problem(
                    (*step.loc, "name"),
                    f"this step's result would overwrite {taken[key]} '{key}' in the workflow's "
                    "state; rename the step or set a distinct 'code'",
                )

    # --- one list of steps ---------------------------------------------------------------------

    def scope(self, steps: Sequence[StepBase], label: str) -> tuple[str, dict[str, Any]]:
        """StartAt and States of a list of steps (the workflow, a branch, a map's item steps)."""
        index = {step.name: i for i, step in enumerate(steps)}

        def follow(i: int) -> int | None:
            step = steps[i]
            if step.next is not None:
                return index[step.next]
            return i + 1 if i + 1 < len(steps) else None

        name_of = [self.step_states[s.id or ""] for s in steps]
        graph = step_graph(steps, follow)
        # A step nothing leads to (after a Succeed or Fail, or skipped by every ``next``, choice
        # and catch) would be an unreachable state, which Step Functions refuses: leave it out.
        live = graph.reachable(0) if steps else set()
        chains = undo_chains(steps, graph)
        undo_entry: dict[tuple[Undo, ...], str] = {}
        states: dict[str, Any] = {}
        compensation_failed: list[str] = []

        def compensation_failure() -> str:
            """The Fail state a compensation goes to when it keeps failing (one per list)."""
            if not compensation_failed:
                name = self.names.claim(f"{label} compensation failed", "CompensationFailed")
                states[name] = {
                    "Type": "Fail",
                    "Error": f"{self.code}CompensationFailed",
                    "CausePath": f"{COMPENSATION_ERROR_PATH}.Cause",
                    "Comment": "a compensation kept failing; what the workflow did needs a person",
                }
                self.roles[name] = "saga-fail"
                compensation_failed.append(name)
            return compensation_failed[0]

        def undo_from(chain: tuple[Undo, ...]) -> str:
            """The first state of a compensation chain; chains share their common tails."""
            if chain in undo_entry:
                return undo_entry[chain]
            if not chain:
                name = self.names.claim(f"{label} failed", "Failed")
                states[name] = {
                    "Type": "Fail",
                    "Error": f"{self.code}Failed",
                    "CausePath": f"{ERROR_PATH}.Cause",
                    "Comment": "a step failed; the steps done before it were compensated",
                }
                self.roles[name] = "saga-fail"
            else:
                first, rest = chain[0], chain[1:]
                after = undo_from(rest)
                step = steps[first.step]
                assert isinstance(step, (TaskStep, ServiceStep))
                name = self.names.claim(f"Undo {name_of[first.step]}", "Undo")
                state = compensation_state(self.valid, step, self.needs)
                state["Comment"] = COMPENSATION_COMMENT + name_of[first.step]
                state["Retry"] = [
                    retrier([*TRANSIENT_ERRORS["lambda"], "States.TaskFailed"], COMPENSATION_RETRY)
                ]
                state["Catch"] = [
                    catcher(["States.ALL"], compensation_failure(), COMPENSATION_ERROR_PATH)
                ]
                state["Next"] = after
                states[name] = state
                self.roles[name] = "compensation"
                if first.guarded:
                    check = self.names.claim(f"Did {name_of[first.step]} run?", "Check")
                    states[check] = {
                        "Type": "Choice",
                        "Choices": [
                            {
                                "Variable": "$." + camel(self.valid.code(step)),
                                "IsPresent": True,
                                "Next": name,
                            }
                        ],
                        "Default": after,
                    }
                    self.roles[check] = "compensation-check"
                    name = check
            undo_entry[chain] = name
            return name

        for i, step in enumerate(steps):
            if i not in live:
                self.unreachable.append(f"{label}: {step.name}")
                continue
            name = name_of[i]
            after = follow(i)
            state = self.state_of(step, after=name_of[after] if after is not None else None)
            catches = self.catches(step)
            if i in chains and not any("States.ALL" in c["ErrorEquals"] for c in catches):
                catches.append(catcher(["States.ALL"], undo_from(chains[i])))
            if catches:
                state["Catch"] = catches
            states[name] = state
        return name_of[0], states

    # --- one step ------------------------------------------------------------------------------

    def target(self, step: StepBase, name: str) -> str:
        """The state name of the step called ``name`` in the same list as ``step``."""
        return self.step_states[self.by_scope_name[(self.scope_by_id[step.id or ""], name)]]

    def catches(self, step: StepBase) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if isinstance(step, ApprovalStep):
            spec = step.approval
            if spec.on_reject:
                found.append(catcher([REJECTED], self.target(step, spec.on_reject)))
            if spec.on_timeout:
                errors = ["States.Timeout"] + (
                    ["States.HeartbeatTimeout"] if spec.heartbeat_s else []
                )
                found.append(catcher(errors, self.target(step, spec.on_timeout)))
        if isinstance(step, ResilientStep):
            found += [catcher(list(c.errors), self.target(step, c.next)) for c in step.on_error]
        return found

    def state_of(self, step: StepBase, after: str | None) -> dict[str, Any]:
        code = self.valid.code(step)
        result = "$." + camel(code)
        state: dict[str, Any]
        if isinstance(step, TaskStep):
            state = task_state(self.valid, step, self.needs, result)
            state["Retry"] = retriers("lambda", step.retry, step.timeout_s is not None)
            role = "task"
        elif isinstance(step, ServiceStep):
            state = service_state(self.valid, step, self.needs, self.code, result)
            state["Retry"] = retriers(
                step.service.split(":")[0], step.retry, step.timeout_s is not None
            )
            role = "service"
        elif isinstance(step, ApprovalStep):
            state, role = (
                approval_state(self.valid, step, self.needs, self.code, result),
                "approval",
            )
        elif isinstance(step, ChoiceStep):
            return self.choice(step, after)
        elif isinstance(step, ParallelStep):
            branches = []
            for b, branch in enumerate(step.parallel):
                label = branch.name or f"{step.name} branch {b + 1}"
                start, states = self.scope(branch.steps, label)
                branches.append({"StartAt": start, "States": states})
            state = {"Type": "Parallel", "Branches": branches, "ResultPath": result}
            state["Retry"] = retriers(None, step.retry, False)
            role = "parallel"
        elif isinstance(step, MapStep):
            state, role = self.map(step, result), "map"
        elif isinstance(step, WaitStep):
            wait = step.wait
            state = {"Type": "Wait"}
            if wait.seconds is not None:
                state["Seconds"] = wait.seconds
            else:
                state["TimestampPath"] = state_path(wait.until or "")
            role = "wait"
        elif isinstance(step, SucceedStep):
            self.roles[self.step_states[step.id or ""]] = "succeed"
            return {"Type": "Succeed"}
        else:
            assert isinstance(step, FailStep)
            self.roles[self.step_states[step.id or ""]] = "fail"
            fail = {"Type": "Fail", "Error": step.fail.error}
            if step.fail.cause:
                fail["Cause"] = inert(step.fail.cause)
            return fail
        if (
            isinstance(step, ResilientStep)
            and step.timeout_s is not None
            and "TimeoutSeconds" not in state
        ):
            state["TimeoutSeconds"] = step.timeout_s
        if not state.get("Retry", True):
            del state["Retry"]
        self.roles[self.step_states[step.id or ""]] = role
        state.update({"Next": after} if after is not None else {"End": True})
        return state

    def choice(self, step: ChoiceStep, after: str | None) -> dict[str, Any]:
        self.roles[self.step_states[step.id or ""]] = "choice"
        choices = [
            {
                **choice_rule(branch.when, self.workflow.input),
                "Next": self.target(step, branch.next),
            }
            for branch in step.choice
        ]
        state: dict[str, Any] = {"Type": "Choice", "Choices": choices}
        default = (
            self.target(step, step.default)
            if step.default
            else (self.target(step, step.next) if step.next else after)
        )
        if default is None:
            self.problem(
                (*self.loc(step), "default"),
                "when no condition holds there is no step to go to; add 'default'",
            )
        else:
            state["Default"] = default
        return state

    def map(self, step: MapStep, result: str) -> dict[str, Any]:
        spec = step.map
        start, states = self.scope(spec.steps, f"{step.name} item")
        processor: dict[str, Any] = {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": start,
            "States": states,
        }
        state: dict[str, Any] = {
            "Type": "Map",
            "ItemsPath": state_path(spec.items),
            "MaxConcurrency": spec.max_concurrency,
            "ItemProcessor": processor,
            "ResultPath": result,
        }
        if distributed(spec):
            processor["ProcessorConfig"] = {
                "Mode": "DISTRIBUTED",
                "ExecutionType": map_execution_type(spec),
            }
            state["Label"] = self.valid.code(step)[:40]
            if spec.tolerated_failure_percentage:
                state["ToleratedFailurePercentage"] = spec.tolerated_failure_percentage
            self.needs.allow(("states:StartExecution",), "${StateMachineArn}")
            self.needs.allow(
                ("states:DescribeExecution", "states:StopExecution"), "${StateMachineExecutionArn}"
            )
        elif spec.tolerated_failure_percentage:
            self.problem(
                (*self.loc(step), "map", "tolerated_failure_percentage"),
                "only a distributed map tolerates failed items; remove 'mode: inline' "
                "or catch the failure instead",
            )
        state["Retry"] = retriers(None, step.retry, False)
        return state


def build_state_machine(valid: ValidDesign, entry: Entry) -> StateMachine:
    """The state machine of one workflow; raises DesignError when ASL cannot express it."""
    return _Builder(valid, entry).build()


def state_machines(valid: ValidDesign) -> list[StateMachine]:
    """Every workflow's state machine, in file order; every problem of every workflow at once."""
    machines: list[StateMachine] = []
    problems: list[Problem] = []
    for entry in valid.of_kind("workflows"):
        try:
            machines.append(build_state_machine(valid, entry))
        except DesignError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DesignError(problems)
    return machines
