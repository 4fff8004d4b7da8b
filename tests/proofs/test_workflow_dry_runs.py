"""Dry runs on moto's Step Functions engine: every starter's workflows pass every scenario, and
the well-known shapes take the failure paths an expert expects, retries and timers included."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.model import DesignError, load_design
from app.proofs.workflows import RunReport, exit_code, format_runs, simulate
from tests.generators.workflows.factories import DESIGNS, STARTERS, design_text, load


def starter_workflows() -> list[tuple[Path, str]]:
    found = []
    for path in sorted(STARTERS.glob("*.storm.yaml")):
        valid = load(path)
        found += [(path, valid.code(e.element)) for e in valid.of_kind("workflows")]
    return found


def run(design: str, workflow: str, scenario: str | None = None) -> dict[str, RunReport]:
    reports = simulate(load(DESIGNS / f"{design}.storm.yaml"), workflow, scenario)
    return {r.scenario: r for r in reports}


@pytest.mark.parametrize(
    ("path", "workflow"), starter_workflows(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_every_starter_workflow_passes_every_scenario(path: Path, workflow: str) -> None:
    reports = simulate(load(path), workflow)
    assert len(reports) >= 3
    assert exit_code(reports) == 0, format_runs([r for r in reports if not r.ok])


def test_saga_failure_retries_then_compensates_newest_first() -> None:
    reports = run("saga-trip", "BookTrip")
    car = reports["Reserve car fails"]
    assert car.ok, format_runs([car])
    assert car.retries == {"Reserve car": 5}
    assert car.visited[-3:] == ("Undo Reserve hotel", "Undo Reserve flight", "Book trip failed")
    assert (car.status, car.error) == ("FAILED", "BookTripFailed")
    assert "Reserve car fails with Lambda.ServiceException" in (car.cause or "")
    assert car.virtual_seconds > 0, "the retry intervals ran on the virtual clock"
    charge = reports["Charge card fails"]
    assert charge.retries == {"Charge card": 0}
    assert charge.visited[charge.visited.index("Charge card") + 1 :] == (
        "Undo Reserve car",
        "Undo Reserve hotel",
        "Undo Reserve flight",
        "Book trip failed",
    )
    happy = reports["happy path"]
    assert happy.status == "SUCCEEDED" and happy.visited[-1] == "Trip booked"
    assert not any(name.startswith("Undo") for name in happy.visited)


def test_approval_rejected_and_timed_out_take_their_own_paths() -> None:
    reports = run("approval-expense", "ApproveExpense")
    rejected = reports["Manager approval rejected"]
    assert rejected.visited[-3:] == ("Manager approval", "Notify rejection", "Rejected")
    assert (rejected.status, rejected.error) == ("FAILED", "ExpenseRejected")
    late = reports["Manager approval times out"]
    assert late.visited[-3:] == ("Manager approval", "Escalate expense", "Escalated")
    assert late.error == "ExpenseEscalated"
    assert late.virtual_seconds == 86_400, "a day passed on the virtual clock, not the wall clock"
    assert all(r.ok for r in reports.values()), format_runs(list(reports.values()))


def test_map_with_a_failing_item_cancels_the_order() -> None:
    reports = run("map-order-lines", "PickOrder")
    item = reports["Pick every line item fails"]
    assert item.ok, format_runs([item])
    assert item.visited.count("Reserve line") == 2, "the map stops at the failing second item"
    assert item.visited[-2:] == ("Cancel order", "Order cancelled")
    assert item.error == "OrderCancelled"
    every = reports["Reserve line fails"]
    assert every.retries == {"Reserve line": 2}
    assert every.visited[-2:] == ("Cancel order", "Order cancelled")


def test_fan_out_branch_failure_is_caught_by_the_parallel() -> None:
    reports = run("fan-out-enrich", "EnrichCustomer")
    fraud = reports["Check fraud fails"]
    assert fraud.ok, format_runs([fraud])
    assert fraud.visited[-1] == "Refer to underwriter"
    assert fraud.status == "SUCCEEDED"
    assert {"Check credit", "Check fraud", "Verify address"} <= set(reports["happy path"].visited)


def test_hostile_names_dry_run_and_read_back_as_written() -> None:
    reports = run("hostile-names", "Flow0")
    assert exit_code(list(reports.values())) == 0, format_runs(list(reports.values()))
    assert "注文を確認する" in reports["注文を確認する fails"].visited


def test_long_waits_pass_on_the_virtual_clock() -> None:
    workflow = """\
      - name: Remind later
        steps:
          - name: Wait a week
            wait: {seconds: 604800}
          - name: Pay
            task: Pay
"""
    valid = load_design(design_text(workflow, ["Pay"]))
    (report,) = simulate(valid, "RemindLater", "happy path")  # bench/ times it
    assert report.ok and report.virtual_seconds == 604_800
    assert report.visited == ("Wait a week", "Pay")


def test_unknown_workflow_or_scenario_is_a_design_error() -> None:
    valid = load(DESIGNS / "saga-trip.storm.yaml")
    with pytest.raises(DesignError, match="no workflow 'Nope'"):
        simulate(valid, "Nope")
    with pytest.raises(DesignError, match="scenarios: happy path; Reserve flight fails"):
        simulate(valid, "BookTrip", "meteor strike")


def test_report_text_and_exit_code() -> None:
    (report,) = simulate(load(DESIGNS / "saga-trip.storm.yaml"), "Book trip", "HAPPY PATH")
    text = format_runs([report])
    assert "BookTrip · happy path: SUCCEEDED (ok)" in text
    assert "path: Reserve flight → Reserve hotel" in text
    assert text.endswith("1 of 1 scenarios ran as expected\n")
    broken = RunReport(**{**report.__dict__, "problems": ("expected something else",)})
    assert exit_code([report]) == 0 and exit_code([report, broken]) == 3
    assert "✗ expected something else" in format_runs([broken])


def test_a_map_over_an_earlier_tasks_result_gets_sample_items_from_its_mock() -> None:
    workflow = """\
      - name: Split and print
        steps:
          - name: Split pages
            task: Split
          - name: Print every page
            map:
              items: splitPages.Payload.pages
              steps:
                - name: Print page
                  task: Print
"""
    valid = load_design(design_text(workflow, ["Split", "Print"]))
    reports = {r.scenario: r for r in simulate(valid, "SplitAndPrint")}
    assert exit_code(list(reports.values())) == 0, format_runs(list(reports.values()))
    assert reports["happy path"].visited.count("Print page") == 3
    assert reports["Print every page item fails"].visited.count("Print page") == 2
