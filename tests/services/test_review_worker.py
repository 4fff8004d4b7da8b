"""The board's review worker: edits never wait for a review; a finished review that moves a
marker is announced, one that moves none is not; superseded content is skipped; the review
itself runs in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from app.services import edits, review
from app.services.live import Hub
from app.services.review import markers, review_of
from app.services.studio import Studio
from app.store.db import Engine


@pytest.fixture
def studio(engine: Engine) -> Studio:
    return Studio(engine, Hub(str(engine.url.render_as_string(hide_password=False))))


class Announcements:
    def __init__(self) -> None:
        self.designs: list[str] = []
        self.heard = threading.Event()

    def __call__(self, design_id: str) -> None:
        self.designs.append(design_id)
        self.heard.set()


def reviewed(studio: Studio, design_id: str, announce=None, wait_s: float = 0.0):
    document = studio.document(design_id)
    found = review_of(design_id, document.digest, document.text, wait_s=wait_s, announce=announce)
    return document, found


def add_event(studio: Studio, design_id: str, name: str) -> None:
    lane = studio.document(design_id).data["contexts"][0]["id"]
    studio.apply(
        design_id, lambda data: edits.add_element(data, lane, "events", {"name": name}), "T"
    )


def test_a_review_that_moves_a_marker_is_announced_and_then_at_hand(studio: Studio) -> None:
    design = studio.create_from_starter("order-processing", "Reviewed", "T").id
    _document, first = reviewed(studio, design, wait_s=30)
    assert first is not None

    add_event(studio, design, "Nobody listens")  # an event without a consumer: a new marker
    told = Announcements()
    document, at_hand = reviewed(studio, design, told)
    assert told.heard.wait(30), "the finished review was not announced"
    assert told.designs == [design]
    _same, fresh = reviewed(studio, design)
    new = next(
        e["id"] for e in document.data["contexts"][0]["events"] if e["name"] == "Nobody listens"
    )
    assert new in markers(fresh) and (at_hand is first or new not in markers(at_hand))


def test_a_review_that_moves_no_marker_is_not_announced(studio: Studio) -> None:
    design = studio.create_from_starter("order-processing", "Quiet", "T").id
    reviewed(studio, design, wait_s=30)
    lane = studio.document(design).data["contexts"][0]
    studio.apply(
        design,
        lambda data: edits.update_element(data, lane["id"], {"description": "Calmer words."}),
        "T",
    )
    told = Announcements()
    _document, _report = reviewed(studio, design, told)
    _same, fresh = reviewed(studio, design, wait_s=30)
    assert fresh is not None
    assert not told.heard.wait(0.5)


def test_only_the_newest_content_is_waited_for(studio: Studio) -> None:
    design = studio.create_from_starter("order-processing", "Busy", "T").id
    reviewed(studio, design, wait_s=30)
    for n in range(3):
        add_event(studio, design, f"Unheard {n}")
    document, found = reviewed(studio, design, wait_s=30)
    names = {e["id"]: e["name"] for c in document.data["contexts"] for e in c.get("events", [])}
    marked = {names.get(element) for element in markers(found)}
    assert {"Unheard 0", "Unheard 1", "Unheard 2"} <= marked


def test_the_review_runs_in_its_own_process_and_gives_the_same_findings(studio: Studio) -> None:
    design = studio.create_from_starter("order-processing", "Apart", "T").id
    add_event(studio, design, "Nobody listens either")
    document = studio.document(design)
    apart = review.design_review(document.digest, document.text)
    assert apart == review.reviewed(document.digest, document.text)
    assert review._reviewer().submit(os.getpid).result() != os.getpid()


def test_the_reviewer_process_gives_way_to_the_studio() -> None:
    here = os.nice(0)
    assert review._reviewer().submit(os.nice, 0).result() == min(
        19, here + review.REVIEWER_NICENESS
    )


def test_when_the_reviewer_process_is_lost_the_review_is_done_here(
    studio: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def submit(self, *_args: object) -> Future[object]:
            raise BrokenProcessPool("the reviewer died")

    design = studio.create_from_starter("webhook-processor", "Lost", "T").id
    document = studio.document(design)
    monkeypatch.setattr(review, "_REVIEWER", Broken())
    monkeypatch.setattr(review, "_REPORTS", OrderedDict())  # not reviewed before
    report = review.design_review(document.digest, document.text)
    assert report == review.reviewed(document.digest, document.text) and report is not None
    assert review._REVIEWER is None, "the next review starts a new reviewer process"


def test_the_reviewer_process_ends_when_the_studio_process_is_killed(tmp_path) -> None:
    script = (
        "import os, sys\n"
        "from app.services import review\n"
        "print(review._reviewer().submit(os.getpid).result(), flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    studio_process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    reviewer = int(studio_process.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(reviewer):
        time.sleep(0.2)
    assert not _alive(reviewer), "the reviewer outlived the studio"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_starts_and_stops_pair_up_so_the_last_stop_ends_the_reviewer() -> None:
    running = review._reviewer()
    review.start_reviewer()
    review.stop_reviewer()
    assert review._reviewer() is running, "the test session still uses it"
