"""Benchmark of the workflow generator and the dry runs.

Targets: generating 20 workflows of up to 40 states each and checking them with our own
structural checks under 200 ms; one dry-run scenario (a failing task, its retries, the
compensations) under 2 s on a warm engine. Prints the figures, including the engine's one-off
cold start (moto compiles its ASL grammar once per process); exits 1 when a target is missed.

    python bench/bench_workflows.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.generators.workflows import check_state_machine, state_machines  # noqa: E402
from app.generators.workflows.files import workflow_files  # noqa: E402
from app.model import load_design  # noqa: E402
from app.proofs.workflows import simulate  # noqa: E402

GENERATE_TARGET_MS = 200.0
SCENARIO_TARGET_S = 2.0
WORKFLOWS = 20
ROUNDS = 7


def workflow(n: int) -> dict[str, Any]:
    """A saga of twelve compensated tasks, a choice, a three-branch fan-out, a map, a wait and an
    approval with its reject and timeout paths: 40 states once compensations are added."""
    steps: list[dict[str, Any]] = []
    for i in range(12):
        steps.append({"name": f"Step {i}", "task": f"Do {i % 6}", "compensate": f"Undo {i % 6}"})
    steps.append(
        {"name": "Big?", "choice": [{"when": f"total > {n}", "next": "Fan out"}], "default": "Wait"}
    )
    steps.append(
        {
            "name": "Fan out",
            "parallel": [{"steps": [{"name": f"Branch {b}", "task": f"Do {b}"}]} for b in range(3)],
        }
    )
    steps.append(
        {
            "name": "Each line",
            "map": {"items": "lines", "steps": [{"name": "Line", "task": "Do 1"}]},
            "on_error": [{"next": "Give up"}],
        }
    )
    steps.append({"name": "Wait", "wait": {"seconds": 60}})
    steps.append(
        {
            "name": "Approve",
            "approval": {"approver": "Boss", "on_reject": "Give up", "on_timeout": "Give up"},
        }
    )
    steps.append({"name": "Done", "succeed": {}})
    steps.append({"name": "Give up", "task": "Do 5", "next": "Failed"})
    steps.append({"name": "Failed", "fail": {"error": "GaveUp"}})
    return {"name": f"Process {n}", "input": {"total": "number"}, "steps": steps}


def design_text() -> str:
    commands = [{"name": f"Do {i}"} for i in range(6)] + [{"name": f"Undo {i}"} for i in range(6)]
    context = {
        "name": "Bench",
        "actors": [{"name": "Boss"}],
        "commands": commands,
        "workflows": [workflow(n) for n in range(WORKFLOWS)],
    }
    return json.dumps({"format": 1, "name": "Workflow bench", "contexts": [context]})


def count_states(scope: dict[str, Any]) -> int:
    total = 0
    for state in scope["States"].values():
        total += 1
        for branch in state.get("Branches", []):
            total += count_states(branch)
        if "ItemProcessor" in state:
            total += count_states(state["ItemProcessor"])
    return total


def main() -> int:
    valid = load_design(design_text())
    machines = state_machines(valid)
    sizes = [count_states(m.asl) for m in machines]
    times, with_files = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for machine in state_machines(valid):
            assert check_state_machine(machine.asl) == []
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        artifacts = list(workflow_files(valid))  # generates, checks and serializes every file
        with_files.append((time.perf_counter() - started) * 1000)
    generate_ms = statistics.median(times)
    assert len(artifacts) == 3 * WORKFLOWS + 1
    print(
        f"generate + own checks: {len(machines)} workflows of {min(sizes)}–{max(sizes)} "
        f"states: median {generate_ms:.1f} ms (target {GENERATE_TARGET_MS:.0f} ms)"
    )
    print(
        f"the same, written as files (ASL, substitutions, IAM, index as canonical JSON): "
        f"median {statistics.median(with_files):.1f} ms"
    )

    started = time.perf_counter()
    simulate(valid, "Process0", "happy path")
    cold_s = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        (report,) = simulate(valid, "Process0", "Step 7 fails")
        runs.append(time.perf_counter() - started)
        assert report.ok, report.problems
    scenario_s = statistics.median(runs)
    print(f"dry-run engine cold start (once per process): {cold_s:.2f} s")
    print(
        f"one dry-run scenario (Step 7 fails: 3 retries, 7 compensations): median "
        f"{scenario_s:.2f} s (target {SCENARIO_TARGET_S:.0f} s); visited {len(report.visited)} "
        f"states, {report.virtual_seconds:.0f} s on the virtual clock"
    )
    missed = generate_ms > GENERATE_TARGET_MS or scenario_s > SCENARIO_TARGET_S
    print("MISSED a target" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
