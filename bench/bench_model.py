"""Benchmark of the design model on the large design: reading, validating, traffic flow.

Prints the median of several runs for each stage, in wall-clock time and in CPU time of this
process, and compares validation (``validate`` on an already-parsed design, as the studio
re-checks after each edit) with its target. Targets are judged on CPU time: on an idle machine
the two agree, while on a busy one (CI runners, a laptop running the test suite) wall-clock
time mostly measures the other work. Exits 1 when a target is missed.

    python bench/bench_model.py [--runs 9] [--seed 7] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.model import load_design, parse_design, validate  # noqa: E402
from app.model.stormfile import parse_yaml  # noqa: E402
from app.model.traffic import compute_traffic  # noqa: E402
from bench.large_design import make_large_design  # noqa: E402

TARGETS_S = {"validate only": 0.100}


def median_times(run: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``runs`` runs."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per stage (at least 7)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile validation and exit")
    args = parser.parse_args(argv)
    runs = max(7, args.runs)

    text = make_large_design(args.seed)
    data, marks = parse_yaml(text)
    design = parse_design(data, marks)
    valid = load_design(text)
    counts: dict[str, int] = {}
    for entry in valid.entries.values():
        counts[entry.kind] = counts.get(entry.kind, 0) + 1

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [validate(design) for _ in range(5)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0

    stages: dict[str, Callable[[], Any]] = {
        "parse YAML": lambda: parse_yaml(text),
        "parse design (structure)": lambda: parse_design(parse_yaml(text)[0]),
        "load + validate (load_design)": lambda: load_design(text),
        "validate only": lambda: validate(design),
        "traffic flow": lambda: compute_traffic(valid),
    }
    print(f"large design, seed {args.seed}: {len(text):,} bytes, {len(text.splitlines()):,} lines")
    print("  " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    print(f"median of {runs} runs{'':>15}   wall ms    CPU ms")
    missed = []
    for name, run in stages.items():
        run()  # warm caches and imports
        wall, cpu = median_times(run, runs)
        target = TARGETS_S.get(name)
        verdict = ""
        if target is not None:
            ok = cpu <= target
            verdict = f"  target {target * 1000:.0f} ms (CPU): {'ok' if ok else 'MISSED'}"
            if not ok:
                missed.append(name)
        print(f"  {name:<32} {wall * 1000:9.1f} {cpu * 1000:9.1f}{verdict}")
    if missed:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
