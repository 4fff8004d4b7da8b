"""Live updates between real studio processes: an edit through one reaches listeners on
another within a second (PostgreSQL LISTEN/NOTIFY), or on the one process (SQLite)."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.services.accounts import Accounts
from app.store.db import create_db_engine
from app.store.migrations import upgrade_to_head

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def studio_process(database_url: str) -> Iterator[str]:
    """A studio served by its own uvicorn process; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
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
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the studio process did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _owner_token(database_url: str) -> str:
    """A write token of a new owner account on the database the studios share."""
    engine = create_db_engine(database_url)
    try:
        accounts = Accounts(engine)
        user = accounts.create_user("owner@example.com", "a long enough password")
        return accounts.create_token(user.id, "live test", "write")[1]
    finally:
        engine.dispose()


def _listen(
    client: httpx.Client,
    design: str,
    heard: queue.Queue[tuple[str, dict]],
    ready: threading.Event,
    stop: threading.Event,
) -> None:
    try:
        _read_stream(client, design, heard, ready, stop)
    except httpx.TransportError:
        return  # the studio stopped at the end of the test
    finally:
        heard.put(("closed", {}))


def _read_stream(
    client: httpx.Client,
    design: str,
    heard: queue.Queue[tuple[str, dict]],
    ready: threading.Event,
    stop: threading.Event,
) -> None:
    with client.stream("GET", f"/designs/{design}/events?watch=0") as stream:
        event = None
        for line in stream.iter_lines():
            if line.startswith(": connected"):
                ready.set()
            elif line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event:
                heard.put((event, json.loads(line[6:])))
            if stop.is_set():
                return


def _next(heard: queue.Queue[tuple[str, dict]], kind: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        event, data = heard.get(timeout=max(0.0, deadline - time.monotonic()))
        if event == kind:
            return data


def test_an_edit_reaches_listeners_of_the_same_instance_within_a_second(database_url: str):
    _edits_reach_listeners(database_url, instances=1)


def test_an_edit_reaches_listeners_of_another_instance_within_a_second(postgres_url: str):
    # Several instances share a PostgreSQL database (LISTEN/NOTIFY), never a SQLite file.
    _edits_reach_listeners(postgres_url, instances=2)


@contextmanager
def _on_instances(database_url: str, instances: int) -> Iterator[tuple[str, str, dict, str]]:
    """One or two studio processes on the database, the owner's API headers, and a design
    made through the first: (first, second, auth, design); with one instance, second is
    first."""
    upgrade_to_head(database_url)
    auth = {"Authorization": f"Bearer {_owner_token(database_url)}"}
    with (
        studio_process(database_url) as first,
        studio_process(database_url) if instances == 2 else _same(first) as second,
    ):
        created = httpx.post(
            first + "/api/designs", json={"starter": "order-processing"}, headers=auth
        )
        yield first, second, auth, created.json()["id"]


def _edits_reach_listeners(database_url: str, instances: int) -> None:
    with _on_instances(database_url, instances) as (first, second, auth, design):
        lane = httpx.get(f"{first}/api/designs/{design}/elements", headers=auth).json()[0]["lane"]
        heard: queue.Queue[tuple[str, dict]] = queue.Queue()
        ready, stop = threading.Event(), threading.Event()
        listening = httpx.Client(base_url=second, headers=auth, timeout=httpx.Timeout(5, read=None))
        listener = threading.Thread(
            target=_listen, args=(listening, design, heard, ready, stop), daemon=True
        )
        listener.start()
        assert ready.wait(10)
        time.sleep(0.3)  # the other instance's LISTEN connection is up by now
        revisions = []
        for n in range(5):
            started = time.monotonic()
            saved = httpx.post(
                f"{first}/api/designs/{design}/elements",
                json={"lane": lane, "kind": "events", "data": {"name": f"E{n}"}},
                headers=auth,
            )
            assert saved.status_code == 201, saved.text
            message = _next(heard, "change", timeout=1.0)
            assert time.monotonic() - started < 1.0
            assert message["revision"] == saved.json()["revision"]
            revisions.append(message["revision"])
        assert revisions == sorted(revisions)
        stop.set()
        listening.close()


@contextmanager
def _same(base: str) -> Iterator[str]:
    yield base


def test_revoking_a_link_ends_its_open_streams_at_once(database_url: str):
    _revoked_link_lets_go(database_url, instances=1)


def test_revoking_a_link_ends_its_streams_on_another_instance_at_once(postgres_url: str):
    _revoked_link_lets_go(postgres_url, instances=2)


def _revoked_link_lets_go(database_url: str, instances: int) -> None:
    with _on_instances(database_url, instances) as (first, second, auth, design):
        owner = httpx.Client(base_url=first, headers=auth)
        made = owner.post(f"/api/designs/{design}/links", json={"role": "viewer"})
        assert made.status_code == 201, made.text
        link_id, url = made.json()["id"], made.json()["url"]
        token = url.rsplit("/", 1)[1]
        viewer = httpx.Client(base_url=second, timeout=httpx.Timeout(5, read=None))
        joined = viewer.get(f"/join/{token}")
        csrf = joined.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        landed = viewer.post(f"/join/{token}", data={"name": "Stakeholder", "csrf_token": csrf})
        assert landed.status_code in {200, 303}, landed.text
        assert viewer.get(f"/designs/{design}/storm.yaml").status_code == 200

        heard: queue.Queue[tuple[str, dict]] = queue.Queue()
        ready, stop = threading.Event(), threading.Event()
        listener = threading.Thread(
            target=_listen, args=(viewer, design, heard, ready, stop), daemon=True
        )
        listener.start()
        assert ready.wait(10)
        time.sleep(0.3)
        started = time.monotonic()
        revoked = owner.delete(f"/api/designs/{design}/links/{link_id}")
        assert revoked.status_code == 204, revoked.text
        _next(heard, "revoked", timeout=1.0)
        assert _next(heard, "closed", timeout=1.0) == {}
        assert time.monotonic() - started < 1.0
        stop.set()
        assert viewer.get(f"/designs/{design}/storm.yaml").status_code == 403
        viewer.close()
        owner.close()
