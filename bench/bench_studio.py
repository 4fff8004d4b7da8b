"""Benchmarks the studio on the large design: the board page, an edit's round trip, and the
cost tab's what-if control.

Targets: the board page served in under 300 ms; an edit (request to fragment) under 100 ms at
the 95th percentile; a what-if recomputed and shown under 150 ms at the 95th percentile.
Prints the figures; exits 1 when a target is missed.

    python bench/bench_studio.py                       # SQLite
    python bench/bench_studio.py --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from studio_server import (
    fresh_database,
    large_design_text,
    owner_client,
    percentile,
    studio,
)

BOARD_TARGET_MS = 300.0
EDIT_P95_TARGET_MS = 100.0
WHAT_IF_P95_TARGET_MS = 150.0
WHAT_IFS = (
    {"traffic": "2"},
    {"architecture": "x86_64"},
    {"api_type": "rest"},
    {"memory_mb": "1024"},
    {"traffic": "5", "architecture": "arm64", "memory_mb": "512"},
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    text = large_design_text(7)
    with fresh_database(args.database_url) as url, studio(url) as base:
        client, htmx = owner_client(base)
        created = client.post("/api/designs", json={"storm": text})
        design = created.json()["id"]
        stickies = client.get(f"/api/designs/{design}/elements").json()
        board_ms = []
        for _ in range(15):
            started = time.perf_counter()
            page = client.get(f"/designs/{design}")
            board_ms.append((time.perf_counter() - started) * 1000)
            assert page.status_code == 200
        edit_ms = []
        targets = [s["id"] for s in stickies if s["kind"] in {"events", "commands"}][:50]
        for n in range(args.edits):
            element = targets[n % len(targets)]
            inspector = client.get(f"/designs/{design}/elements/{element}")
            digest = re.search(r'data-digest="([^"]+)"', inspector.text).group(1)
            name = re.search(r'id="el-name" name="name" value="([^"]*)"', inspector.text)
            started = time.perf_counter()
            answer = client.post(
                f"/designs/{design}/elements/{element}",
                headers=htmx,
                data={
                    "base": digest,
                    "name": name.group(1) if name else "x",
                    "description": f"edit {n}",
                },
            )
            edit_ms.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                print(f"edit {n} answered {answer.status_code}: {answer.text[:200]}")
                return 1
        client.get(f"/designs/{design}/previews/cost")  # the tab the control sits in
        what_if_ms = []
        for n in range(50):
            started = time.perf_counter()
            answer = client.get(f"/designs/{design}/what-if", params=WHAT_IFS[n % len(WHAT_IFS)])
            what_if_ms.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                print(f"what-if {n} answered {answer.status_code}: {answer.text[:200]}")
                return 1
    board = statistics.median(board_ms[1:])
    board_p95 = percentile(board_ms[1:], 0.95)
    p50, p95 = percentile(edit_ms, 0.5), percentile(edit_ms, 0.95)
    print(f"large design: {len(stickies)} stickies, {len(text):,} bytes of storm file")
    print(
        f"board page: median {board:.0f} ms, p95 {board_p95:.0f} ms "
        f"(target < {BOARD_TARGET_MS:.0f} ms)"
    )
    print(
        f"edit round trip: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(edit_ms)} edits "
        f"(target p95 < {EDIT_P95_TARGET_MS:.0f} ms)"
    )
    what_if_p50, what_if_p95 = percentile(what_if_ms, 0.5), percentile(what_if_ms, 0.95)
    print(
        f"what-if round trip: p50 {what_if_p50:.1f} ms, p95 {what_if_p95:.1f} ms "
        f"(target p95 < {WHAT_IF_P95_TARGET_MS:.0f} ms)"
    )
    missed = (
        board_p95 >= BOARD_TARGET_MS
        or p95 >= EDIT_P95_TARGET_MS
        or what_if_p95 >= WHAT_IF_P95_TARGET_MS
    )
    print("MISSED a target" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
