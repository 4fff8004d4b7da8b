"""Workflow step changes: steps added, removed, renamed, changed, reordered."""

from __future__ import annotations

from typing import Any

from app.generators.diff import diff_designs
from tests.generators.diff.factories import base, edited, load, named, ordering

BASE = load(base())


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return named(ordering(data)["workflows"], "Fulfil order")["steps"]


def sentences(change: Any) -> list[str]:
    return [c.text for c in diff_designs(BASE, edited(change), artifacts=False).changes]


def test_a_step_added() -> None:
    found = sentences(lambda d: steps(d).insert(2, {"name": "Ship", "task": "Refund payment"}))
    assert found[0] == "the workflow Fulfil order now has the step Ship (task)"


def test_a_step_removed() -> None:
    found = sentences(lambda d: steps(d).pop(1))
    assert found == ["the workflow Fulfil order no longer has the step Pause"]


def test_a_step_renamed() -> None:
    found = sentences(lambda d: steps(d)[1].update(name="Cool down"))
    assert found == ["renamed the step Pause of Fulfil order to Cool down"]


def test_a_step_field_changed() -> None:
    found = sentences(lambda d: steps(d)[1].update(wait={"seconds": 120}))
    assert found == ["the wait of the step Pause of Fulfil order went from 60 s to 120 s"]


def test_a_step_kind_changed() -> None:
    found = sentences(
        lambda d: steps(d).__setitem__(1, {"name": "Pause", "task": "Refund payment"})
    )
    assert found == ["the step Pause of Fulfil order changed from a wait step to a task step"]


def test_a_task_step_now_retries_differently() -> None:
    found = sentences(lambda d: steps(d)[0].update(retry={"max_attempts": 5}, failure_rate=0.1))
    assert found == [
        "the retry policy of the step Charge of Fulfil order changed from the default to up to "
        "5 attempts, 2 s apart, backoff 2×",
        "the failure rate of the step Charge of Fulfil order went from 0% to 10%",
    ]


def test_steps_reordered() -> None:
    def swap(data: dict[str, Any]) -> None:
        listed = steps(data)
        listed[0], listed[1] = listed[1], listed[0]

    found = sentences(swap)
    assert found == ["the steps of Fulfil order now run in the order Pause, Charge, Done"]


def test_a_workflow_renamed_keeps_its_steps() -> None:
    def rename(data: dict[str, Any]) -> None:
        named(ordering(data)["workflows"], "Fulfil order")["name"] = "Fulfil"

    assert sentences(rename) == ["renamed the workflow Fulfil order to Fulfil"]


def test_a_retry_policy_tuned() -> None:
    first, second = base(), base()
    steps(first)[0]["retry"] = {"max_attempts": 3}
    steps(second)[0]["retry"] = {"max_attempts": 6}
    diff = diff_designs(load(first), load(second), artifacts=False)
    assert [c.text for c in diff.changes] == [
        "the maximum attempts of the step Charge of Fulfil order went from 3 to 6"
    ]
