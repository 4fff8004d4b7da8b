"""The design review in the studio: a design's findings (cached by content hash), the markers
they put on stickies, and accepting a finding with a reason as an edit of the design.

Reviewing a big design takes longer than an edit should, so the board asks with
``review_of``: one background worker reviews the newest content of each design (content
superseded while it waited is skipped), an edit's answer takes the latest review at hand, and
``announce`` is called when a finished review moves a sticky's marker, so boards refresh them.
The review itself runs in a process of its own: a long review in the studio's process would
hold Python's lock that every request needs, and slow the edits made meanwhile."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from app.model import DesignError
from app.review import ReviewReport, review
from app.review.engine import SEVERITIES, Finding
from app.services.edits import Data, EditRefused, Outcome, find
from app.services.previews import GENERATOR_FAILURES, validated

logger = logging.getLogger(__name__)

REASON_LIMIT = 2000
_REPORTS: OrderedDict[str, ReviewReport | None] = OrderedDict()
_LOCK = threading.Lock()
_WORKER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="review")
QUIET_S = 0.3
"""A review starts once the design has had no new content for this long..."""
LONGEST_S = 5.0
"""...or this long after it was asked for, or at once when someone waits for it."""
_ASKED: dict[str, float] = {}
_URGENT: set[str] = set()
_WANTED: dict[str, tuple[str, str, Callable[[str], None] | None]] = {}
"""Per design: the newest content to review, and whom to tell when its markers moved."""
_LATEST: OrderedDict[str, ReviewReport | None] = OrderedDict()
"""Per design: the newest review finished."""
_DONE: dict[str, threading.Event] = {}


@dataclass(frozen=True)
class SeverityGroup:
    """The open findings of one severity, for the Review tab."""

    severity: str
    findings: tuple[Finding, ...]


def design_review(digest: str, text: str) -> ReviewReport | None:
    """The review of a storm file's content, or None while the design has problems."""
    with _LOCK:
        if digest in _REPORTS:
            _REPORTS.move_to_end(digest)
            return _REPORTS[digest]
    report = _reviewed_apart(digest, text)
    with _LOCK:
        _REPORTS[digest] = report
        while len(_REPORTS) > 16:
            _REPORTS.popitem(last=False)
    return report


def reviewed(digest: str, text: str) -> ReviewReport | None:
    """Review a storm file's content (the work itself; the reviewer process runs it)."""
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return None
    try:
        return review(valid)
    except GENERATOR_FAILURES as exc:  # a rule's provider cannot plan this design yet
        logger.warning("the review failed", exc_info=exc)
        return None


_REVIEWER: ProcessPoolExecutor | None = None
_REVIEWER_USERS = 0
_REVIEWER_LOCK = threading.Lock()


def start_reviewer() -> None:
    """Start the reviewer process now rather than at the first review (it takes a second).
    Starts and stops pair up: the process serves however many studios this process runs."""
    global _REVIEWER_USERS
    with _REVIEWER_LOCK:
        _REVIEWER_USERS += 1
    _reviewer().submit(int)


def stop_reviewer() -> None:
    """The last stop ends the reviewer process, once its review in hand is done."""
    global _REVIEWER, _REVIEWER_USERS
    with _REVIEWER_LOCK:
        _REVIEWER_USERS = max(0, _REVIEWER_USERS - 1)
        if _REVIEWER_USERS:
            return
        reviewer, _REVIEWER = _REVIEWER, None
    if reviewer is not None:
        reviewer.shutdown(cancel_futures=True)


def _reviewer() -> ProcessPoolExecutor:
    global _REVIEWER
    with _REVIEWER_LOCK:
        if _REVIEWER is None:
            # Spawned, not forked: the studio's process has threads and open connections.
            context = multiprocessing.get_context("spawn")
            _REVIEWER = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_start_reviewing,
                initargs=(os.getpid(),),
            )
        return _REVIEWER


REVIEWER_NICENESS = 10
"""How much the reviewer process gives way to the studio's: a review is background work, and
on a busy machine the edits in flight come first."""


def _start_reviewing(parent: int) -> None:
    """In the reviewer process: give way to the studio's process, and end when it has gone,
    however it went (a killed studio cannot ask its reviewer to stop)."""
    os.nice(REVIEWER_NICENESS)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _reviewed_apart(digest: str, text: str) -> ReviewReport | None:
    """`reviewed` in the reviewer process; here when that process cannot be had."""
    global _REVIEWER
    try:
        return _reviewer().submit(reviewed, digest, text).result()
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        logger.warning("the reviewer process failed; reviewing in this one", exc_info=exc)
        with _REVIEWER_LOCK:
            _REVIEWER = None  # the next review starts a new one
        return reviewed(digest, text)


def review_of(
    design_id: str,
    digest: str,
    text: str,
    *,
    wait_s: float = 0.0,
    announce: Callable[[str], None] | None = None,
) -> ReviewReport | None:
    """The review of this content when it is done within ``wait_s``; else the design's latest
    review while the worker reviews this content (and calls ``announce(design_id)`` if its
    markers differ from that latest one's)."""
    with _LOCK:
        if digest in _REPORTS:
            _REPORTS.move_to_end(digest)
            return _REPORTS[digest]
        superseded = _WANTED.get(design_id)
        idle = superseded is None
        _WANTED[design_id] = (digest, text, announce)
        if superseded is None or superseded[0] != digest:
            _ASKED[design_id] = time.monotonic()
        if wait_s > 0:
            _URGENT.add(design_id)
        done = _DONE.setdefault(digest, threading.Event())
        skipped = _DONE.pop(superseded[0], None) if superseded and superseded[0] != digest else None
    if skipped is not None:
        skipped.set()  # whoever waits for that content takes the latest review instead
    if idle:
        _WORKER.submit(_review_newest, design_id)
    if wait_s > 0 and done.wait(wait_s):
        with _LOCK:
            if digest in _REPORTS:
                return _REPORTS[digest]
    with _LOCK:
        return _LATEST.get(design_id)


def _review_newest(design_id: str) -> None:
    """Review the design's newest wanted content until nothing newer is waiting; while edits
    keep coming, wait for a pause (reviews then take less of the CPU edits need)."""
    while True:
        _await_pause(design_id)
        with _LOCK:
            digest, text, announce = _WANTED[design_id]
            _URGENT.discard(design_id)
            before = _LATEST.get(design_id)
        report = design_review(digest, text)
        with _LOCK:
            _LATEST[design_id] = report
            _LATEST.move_to_end(design_id)
            while len(_LATEST) > 64:
                _LATEST.popitem(last=False)
            event = _DONE.pop(digest, None)
            finished = _WANTED[design_id][0] == digest
            if finished:
                del _WANTED[design_id]
                _ASKED.pop(design_id, None)
        if event is not None:
            event.set()
        if finished:
            if announce is not None and markers(report) != markers(before):
                try:
                    announce(design_id)
                except Exception as exc:  # noqa: BLE001 - a lost announcement must not stop reviews
                    logger.warning("could not announce a review", exc_info=exc)
            return


def _await_pause(design_id: str) -> None:
    started = time.monotonic()
    while True:
        with _LOCK:
            urgent = design_id in _URGENT
            quiet = time.monotonic() - _ASKED.get(design_id, 0.0)
        waited = time.monotonic() - started
        if urgent or quiet >= QUIET_S or waited >= LONGEST_S:
            return
        time.sleep(min(QUIET_S - quiet, LONGEST_S - waited, 0.05))


def by_severity(report: ReviewReport) -> list[SeverityGroup]:
    """Open findings grouped error, warning, info (every group, even an empty one)."""
    return [
        SeverityGroup(s, tuple(f for f in report.findings if f.severity == s)) for s in SEVERITIES
    ]


def markers(report: ReviewReport | None) -> dict[str, str]:
    """The most severe open finding of each element, by element id."""
    worst: dict[str, str] = {}
    for finding in report.findings if report else ():
        known = worst.get(finding.element)
        if known is None or SEVERITIES.index(finding.severity) < SEVERITIES.index(known):
            worst[finding.element] = finding.severity
    return worst


def accept_finding(data: Data, rule: str, element_id: str, reason: str) -> Outcome:
    """Append {rule, element, reason} to the design's accepted findings."""
    reason = reason.strip()
    if not reason:
        raise EditRefused("Say why the team accepts this finding: a reason is required.")
    if len(reason) > REASON_LIMIT:
        raise EditRefused(f"Keep the reason under {REASON_LIMIT} characters.")
    if not rule or len(rule) > 100:
        raise EditRefused("That finding has no rule.")
    if element_id.startswith("dsg-") and data.get("id") in (None, element_id):
        element: Data = {"name": "the design"}  # a finding about the design as a whole
    else:
        _place, element = find(data, element_id)
    accepted = list(data.get("accepted_findings") or [])
    if any(a.get("rule") == rule and a.get("element") == element_id for a in accepted):
        raise EditRefused("That finding is already accepted.", status=409)
    accepted.append({"rule": rule, "element": element_id, "reason": reason})
    name = element.get("name") or element_id
    return Outcome({**data, "accepted_findings": accepted}, None, f"Accepted {rule} on {name}")
