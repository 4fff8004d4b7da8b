"""Shared by the studio benchmarks: a studio process on a fresh database, and the large design.

Not a benchmark itself (its name does not start with ``bench_``).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app.store.migrations import upgrade_to_head  # noqa: E402


def large_design_text(seed: int = 7) -> str:
    """The shared large benchmark design (``bench/large_design.py``)."""
    import large_design

    return str(large_design.make_large_design(seed=seed))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@contextmanager
def fresh_database(url: str | None) -> Iterator[str]:
    """The given PostgreSQL database URL, or a new SQLite file; migrated to head."""
    if url:
        upgrade_to_head(url)
        yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{folder}/bench.db"
        upgrade_to_head(sqlite)
        yield sqlite


@contextmanager
def studio(database_url: str) -> Iterator[str]:
    """A studio served by its own uvicorn process (as in production); yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.web.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "1",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("the studio did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def owner_client(
    base: str, email: str = "bench@example.com"
) -> tuple[httpx.Client, dict[str, str]]:
    """A client signed up (the studio's first account) with its session cookie; it sends its
    CSRF token on every request, so it may call the pages and the JSON API. Also answers the
    headers htmx would send."""
    client = httpx.Client(base_url=base, timeout=30)
    form = {"email": email, "password": "bench password 1", "name": "Bench"}
    token = csrf_token(client.get("/signup").text)
    signed = client.post("/signup", data={**form, "csrf_token": token})
    if signed.status_code == 409:  # a database kept from an earlier run: sign in instead
        token = csrf_token(client.get("/signin").text)
        signed = client.post("/signin", data={**form, "csrf_token": token})
    if signed.status_code != 303:
        raise SystemExit(f"signing in answered {signed.status_code}: {signed.text[:200]}")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_token(client.get("/account").text)}
    client.headers["X-CSRF-Token"] = headers["X-CSRF-Token"]
    return client, headers


def editor_link(client: httpx.Client, design: str) -> str:
    """A new editor link to the design (the owner's client makes it); its join path."""
    made = client.post(f"/api/designs/{design}/links", json={"role": "editor"})
    if made.status_code != 201:
        raise SystemExit(f"making a link answered {made.status_code}: {made.text[:200]}")
    return "/join/" + made.json()["url"].rsplit("/", 1)[1]


def csrf_token(page: str) -> str:
    found = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token on the page")
    return found.group(1)
