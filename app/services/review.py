"""The design review in the studio: a design's findings (cached by content hash), the markers
they put on stickies, and accepting a finding with a reason as an edit of the design."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
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
    valid = validated(digest, text)
    report = None
    if not isinstance(valid, DesignError):
        try:
            report = review(valid)
        except GENERATOR_FAILURES as exc:  # a rule's provider cannot plan this design yet
            logger.warning("the review failed", exc_info=exc)
    with _LOCK:
        _REPORTS[digest] = report
        while len(_REPORTS) > 16:
            _REPORTS.popitem(last=False)
    return report


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
