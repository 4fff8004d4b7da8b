"""Benchmark: reviewing the large design must take under 200 ms (median of several runs).

Run: python bench/bench_review.py [--runs N] [--design FILE]. Prints figures; exits 1 when the
target is missed, 0 with a message when bench/large_design.py (make_large_design) is not there
yet. The table plan, which two rules need, is computed inside each timed review.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.model import ValidDesign, load_design  # noqa: E402
from app.review import review  # noqa: E402
from app.review.providers import table_plan  # noqa: E402

TARGET_MS = 200.0


def large_design_text() -> str | None:
    """The large design's storm-file text from bench/large_design.py, or None when absent."""
    try:
        from bench.large_design import make_large_design
    except ModuleNotFoundError as exc:
        if exc.name in ("bench", "bench.large_design"):
            return None
        raise
    return str(make_large_design(seed=7))


def timed(run: Callable[[ValidDesign], object], designs: list[ValidDesign]) -> list[float]:
    """Wall-clock milliseconds of one call on each design. Each is freshly validated: what a
    design derives (its table plan, say) is kept on it, so a second call would time less."""
    timings = []
    for valid in designs:
        started = time.perf_counter()
        run(valid)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--design", type=Path, help="review this storm file instead")
    args = parser.parse_args()
    text = args.design.read_text(encoding="utf-8") if args.design else large_design_text()
    if text is None:
        print("bench_review: skipped — bench/large_design.py (make_large_design) is not there yet")
        return 0
    started = time.perf_counter()
    valid = load_design(text)
    load_ms = (time.perf_counter() - started) * 1000
    elements = sum(1 for e in valid.entries.values() if e.kind != "steps")

    def fresh() -> list[ValidDesign]:
        return [load_design(text) for _ in range(args.runs)]

    plan = table_plan(valid)
    designs = fresh()
    cpu_started = time.process_time()
    full = timed(review, designs)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / args.runs
    rules_only = timed(lambda v: review(v, providers={"table_plan": lambda _: plan}), fresh())
    planning = timed(table_plan, fresh())
    report = review(valid)
    median = statistics.median(full)
    print(
        f"large design: {elements} elements, {len(valid.of_kind('steps'))} steps "
        f"(loaded in {load_ms:.0f} ms); {report.summary()}"
    )
    print(
        f"review: median {median:.1f} ms (min {min(full):.1f}, max {max(full):.1f}) over "
        f"{args.runs} runs; rules alone {statistics.median(rules_only):.1f} ms, "
        f"table plan alone {statistics.median(planning):.1f} ms; "
        f"CPU time {cpu_ms:.1f} ms a review (wall clock counts on a busy machine)"
    )
    if median >= TARGET_MS:
        print(f"FAILED: median {median:.1f} ms is over the {TARGET_MS:.0f} ms target")
        return 1
    print(f"ok: under the {TARGET_MS:.0f} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
