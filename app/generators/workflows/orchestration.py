"""From choreography to orchestration: the workflow equivalent to a chain of policies.

Whenever ``OrderPlaced``, ``ReserveStock``; it emits ``StockReserved``, whenever that,
``ChargePayment``; … becomes one workflow whose tasks run those commands in the same order.
Several policies on one event become a Parallel step; an event a command emits only sometimes
becomes a Choice on the command's answer (``reserveStock.Payload.stockReserved``).
"""

from __future__ import annotations

from typing import Any

from app.model.codes import camel
from app.model.elements import Command, Event, Policy
from app.model.errors import DesignError
from app.model.index import Entry
from app.model.validate import ValidDesign
from app.model.workflow import Workflow


class _Chain:
    def __init__(self, valid: ValidDesign) -> None:
        self.valid = valid
        self.seen: set[str] = set()
        self.names: set[str] = set()

    def name(self, wanted: str) -> str:
        name, n = wanted, 1
        while name.casefold() in self.names:
            n += 1
            name = f"{wanted} ({n})"
        self.names.add(name.casefold())
        return name

    def policies_on(self, event: Entry) -> list[Entry]:
        return [
            p
            for p in self.valid.of_kind("policies")
            if (target := self.valid.target(p.element, "event")) is not None
            and target.id == event.id
            and self.valid.target(p.element, "command") is not None
        ]

    def after_event(self, event: Entry) -> list[dict[str, Any]]:
        """The steps that the policies on ``event`` run, in order."""
        branches = []
        for policy in self.policies_on(event):
            command = self.valid.target(policy.element, "command")
            assert command is not None
            if command.id in self.seen:
                continue  # a cycle or a command already run: orchestration runs it once
            self.seen.add(command.id)
            branches.append(self.from_command(command, policy))
        return self.together(branches, event)

    def together(self, branches: list[list[dict[str, Any]]], event: Entry) -> list[dict[str, Any]]:
        branches = [b for b in branches if b]
        if len(branches) <= 1:
            return branches[0] if branches else []
        return [
            {
                "name": self.name(f"After {event.element.name}"),
                "description": "the policies on this event, run side by side",
                "parallel": [{"steps": b} for b in branches],
            }
        ]

    def from_command(self, command: Entry, policy: Entry) -> list[dict[str, Any]]:
        assert isinstance(command.element, Command) and isinstance(policy.element, Policy)
        task_name = self.name(command.element.name)
        steps: list[dict[str, Any]] = [
            {
                "name": task_name,
                "task": command.id,
                "description": f"was the policy '{policy.element.name}'",
            }
        ]
        result = camel(self.valid.code(command.element))
        certain: list[list[dict[str, Any]]] = []
        for emit, event in zip(
            command.element.emits, self.valid.targets(command.element, "emits"), strict=False
        ):
            following = self.after_event(event)
            if not following:
                continue
            if emit.probability >= 1:
                certain.append(following)
                continue
            assert isinstance(event.element, Event)
            end = self.name(f"No {event.element.name}")
            flag = camel(self.valid.code(event.element))
            certain.append(
                [
                    {
                        "name": self.name(f"{event.element.name}?"),
                        "choice": [
                            {
                                "when": f"{result}.Payload.{flag}",
                                "next": following[0]["name"],
                                "probability": emit.probability,
                            }
                        ],
                        "default": end,
                    },
                    *following,
                    {"name": end, "succeed": {}},
                ]
            )
        return steps + self.together(certain, command)


def orchestrate(valid: ValidDesign, event_ref: str) -> Workflow:
    """The workflow that does what the chain of policies starting at an event does."""
    events = [
        e
        for e in valid.of_kind("events")
        if event_ref in (e.id, e.element.name, valid.code(e.element))
    ]
    if len(events) != 1:
        raise DesignError.one("events", f"no single event '{event_ref}'")
    (event,) = events
    chain = _Chain(valid)
    steps = chain.after_event(event)
    if not steps:
        raise DesignError.one(
            f"events.{valid.code(event.element)}",
            "no policy runs a command when this event happens, so there is nothing to orchestrate",
        )
    if not any("succeed" in s for s in steps[-1:]):
        steps.append({"name": chain.name("Done"), "succeed": {}})
    return Workflow.model_validate(
        {
            "name": f"{event.element.name} process",
            "description": f"The policies that follow {event.element.name}, as one workflow.",
            "steps": steps,
        }
    )
