"""Benchmarks a live workshop: many participants editing one large board, each listening live.

Each participant edits its own sticky every `--interval` seconds for `--duration` seconds while
its browser's event stream listens. Targets: no errors; no lost edits (the final storm file
holds every participant's last acknowledged edit); every listener hears every change; edit
round trip p99 under 250 ms. Prints the figures; exits 1 when a target is missed.

    python bench/bench_workshop.py                          # 50 people, 2 minutes, SQLite
    python bench/bench_workshop.py --duration 20            # a quick run
    python bench/bench_workshop.py --database-url postgresql://postgres@127.0.0.1/bench \\
        --instances 2                                       # two studio processes, one database
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
from studio_server import (
    csrf_token,
    editor_link,
    fresh_database,
    large_design_text,
    owner_client,
    percentile,
    studio,
)

P99_TARGET_MS = 250.0


@dataclass
class Participant:
    """One simulated person: their session, sticky, acknowledged edits and what they heard."""

    number: int
    base_url: str
    element: str
    client: httpx.AsyncClient | None = None
    headers: dict[str, str] = field(default_factory=dict)
    digest: str = ""
    acknowledged: dict[int, str] = field(default_factory=dict)  # revision -> description
    last_value: str | None = None
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    heard: set[int] = field(default_factory=set)


async def join(person: Participant, design: str, link: str) -> None:
    """Join the workshop through the editor link, as a participant without an account does."""
    person.client = httpx.AsyncClient(base_url=person.base_url, timeout=30)
    token = csrf_token((await person.client.get(link)).text)
    person.headers = {"HX-Request": "true", "X-CSRF-Token": token}
    joined = await person.client.post(
        link, data={"name": f"Person {person.number}"}, headers=person.headers
    )
    assert joined.status_code == 303, joined.text[:200]
    inspector = await person.client.get(f"/designs/{design}/elements/{person.element}")
    person.digest = re.search(r'data-digest="([^"]+)"', inspector.text).group(1)


async def listen(
    person: Participant, design: str, connected: asyncio.Event, stop: asyncio.Event
) -> None:
    assert person.client is not None
    async with person.client.stream(
        "GET", f"/designs/{design}/events", timeout=httpx.Timeout(30, read=None)
    ) as stream:
        event = ""
        async for line in stream.aiter_lines():
            if line.startswith(": connected"):
                connected.set()
            elif line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "change":
                person.heard.add(json.loads(line[6:])["revision"])
            if stop.is_set():
                return


async def edit_loop(
    person: Participant, design: str, name: str, until: float, interval: float
) -> None:
    assert person.client is not None
    await asyncio.sleep(random.uniform(0, interval))
    n = 0
    while time.monotonic() < until:
        value = f"Person {person.number}, edit {n}"
        started = time.perf_counter()
        try:
            answer = await person.client.post(
                f"/designs/{design}/elements/{person.element}",
                headers=person.headers,
                data={"base": person.digest, "name": name, "description": value},
            )
        except httpx.HTTPError as exc:
            person.errors.append(f"{type(exc).__name__}: {exc}")
        else:
            person.latencies.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                person.errors.append(f"{answer.status_code}: {answer.text[:160]}")
            else:
                revision = int(answer.headers["X-Design-Revision"])
                person.acknowledged[revision] = value
                person.last_value = value
                person.digest = re.search(r'data-digest="([^"]+)"', answer.text).group(1)
        n += 1
        await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))


async def workshop(bases: list[str], people: int, duration: float, interval: float) -> int:
    admin, _headers = owner_client(bases[0])
    created = admin.post("/api/designs", json={"storm": large_design_text(7)})
    design = created.json()["id"]
    stickies = admin.get(f"/api/designs/{design}/elements").json()
    link = editor_link(admin, design)
    chosen = [s for s in stickies if s["kind"] in {"events", "commands", "policies"}][:people]
    crowd = [Participant(i, bases[i % len(bases)], s["id"]) for i, s in enumerate(chosen)]
    names = {s["id"]: s["name"] for s in chosen}
    await asyncio.gather(*(join(p, design, link) for p in crowd))
    stop = asyncio.Event()
    connected = [asyncio.Event() for _ in crowd]
    listeners = [
        asyncio.create_task(listen(p, design, c, stop))
        for p, c in zip(crowd, connected, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(c.wait() for c in connected)), 30)
    await asyncio.sleep(1.0)  # every instance's LISTEN connection is up
    until = time.monotonic() + duration
    await asyncio.gather(*(edit_loop(p, design, names[p.element], until, interval) for p in crowd))
    await asyncio.sleep(1.5)  # the last changes reach every listener
    stop.set()
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)

    final = {}
    # Read back through the last instance: what every instance's edits left in the database.
    with httpx.Client(base_url=bases[-1], cookies=admin.cookies, timeout=60) as reader:
        for person in crowd:
            element = reader.get(f"/api/designs/{design}/elements/{person.element}").json()
            final[person.number] = element["data"].get("description")
    admin.close()
    for person in crowd:
        if person.client is not None:
            await person.client.aclose()

    latencies = [ms for p in crowd for ms in p.latencies]
    errors = [e for p in crowd for e in p.errors]
    acknowledged = {r for p in crowd for r in p.acknowledged}
    lost = [p.number for p in crowd if final[p.number] != p.last_value]
    deaf = [p.number for p in crowd if not acknowledged <= p.heard]
    missing = max((len(acknowledged - p.heard) for p in crowd), default=0)
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    print(
        f"{len(crowd)} participants on {len(bases)} instance(s), {duration:.0f} s, "
        f"one edit each every {interval:g} s, on {len(stickies)} stickies"
    )
    print(f"edits acknowledged: {len(acknowledged)}; errors: {len(errors)}")
    print(
        f"round trip: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms "
        f"(target p99 < {P99_TARGET_MS:.0f} ms)"
    )
    print(
        f"lost edits: {len(lost)}; listeners missing a change: {len(deaf)} "
        f"(at most {missing} changes missed)"
    )
    for error in errors[:5]:
        print("  error:", error)
    missed = bool(errors or lost or deaf) or p99 >= P99_TARGET_MS or not acknowledged
    print("MISSED a target" if missed else "all targets met")
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of editing")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between edits")
    parser.add_argument(
        "--instances",
        type=int,
        default=1,
        help="studio processes sharing the database (PostgreSQL only)",
    )
    args = parser.parse_args()
    if args.instances > 1 and not args.database_url:
        parser.error("several instances need a PostgreSQL --database-url")
    with fresh_database(args.database_url) as url, ExitStack() as stack:
        bases = [stack.enter_context(studio(url)) for _ in range(args.instances)]
        return asyncio.run(workshop(bases, args.people, args.duration, args.interval))


if __name__ == "__main__":
    raise SystemExit(main())
