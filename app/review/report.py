"""A review's outcome and its forms: text for the CLI, JSON and Markdown for the export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.generators.output import Artifact
from app.review.engine import SEVERITIES, Finding


@dataclass(frozen=True)
class AcceptedFinding:
    """A finding the team accepted for this design, with the reason it recorded."""

    finding: Finding
    reason: str


@dataclass(frozen=True)
class NotRun:
    """A rule that did not run because something it needs is not available yet."""

    rule: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class RuleExplanation:
    """What a rule that found something checks, why it matters and how to fix it."""

    id: str
    title: str
    severity: str
    topic: str
    why: str
    fix: str
    links: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "severity": self.severity,
            "topic": self.topic,
            "why": self.why,
            "fix": self.fix,
            "links": list(self.links),
        }


@dataclass(frozen=True)
class ReviewReport:
    """Open findings (sorted: errors first, then by path), accepted ones, rules that waited."""

    findings: tuple[Finding, ...]
    accepted: tuple[AcceptedFinding, ...] = ()
    not_run: tuple[NotRun, ...] = ()
    stale_acceptances: tuple[tuple[str, str], ...] = ()
    """Accepted (rule, element) pairs that no finding matches any more."""
    explanations: tuple[RuleExplanation, ...] = ()
    """The rules behind the findings (open or accepted), by id."""

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        """Whether error-level findings remain open (the CLI then exits 3)."""
        return self.count("error") > 0

    def of_element(self, element_id: str) -> list[Finding]:
        """Open findings about one element (to show next to it on the board)."""
        return [f for f in self.findings if f.element == element_id]

    def summary(self) -> str:
        parts = [
            f"{self.count(s)} {s}{'' if s == 'info' or self.count(s) == 1 else 's'}"
            for s in SEVERITIES
        ]
        parts.append(f"{len(self.accepted)} accepted")
        if self.not_run:
            parts.append(f"{len(self.not_run)} rule{'' if len(self.not_run) == 1 else 's'} not run")
        return ", ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {
            "summary": {s: self.count(s) for s in SEVERITIES} | {"accepted": len(self.accepted)},
            "findings": [f.to_json() for f in self.findings],
            "accepted": [a.finding.to_json() | {"reason": a.reason} for a in self.accepted],
            "not_run": [{"rule": n.rule, "needs": list(n.needs)} for n in self.not_run],
            "stale_acceptances": [{"rule": r, "element": e} for r, e in self.stale_acceptances],
            "rules": {x.id: x.to_json() for x in self.explanations},
        }


def format_review(report: ReviewReport) -> str:
    """The report as plain text, one finding a line, for ``stormdraft review FILE``."""
    lines = [
        f"{f.severity:7} {f.rule}  {f.path or '(design)'}: {f.message}" for f in report.findings
    ]
    lines += [
        f"accepted {a.finding.rule}  {a.finding.path or '(design)'}: {a.finding.message}"
        f" — accepted: {a.reason}"
        for a in report.accepted
    ]
    lines += [f"not run {n.rule}: needs {', '.join(n.needs)}" for n in report.not_run]
    lines += [
        f"stale   accepted finding {rule} on {element} no longer occurs"
        for rule, element in report.stale_acceptances
    ]
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(report: ReviewReport) -> str:
    """The report as a Markdown page for the exported docs."""
    out = ["# Design review", "", report.summary(), ""]
    for severity in SEVERITIES:
        found = [f for f in report.findings if f.severity == severity]
        if not found:
            continue
        out += [f"## {severity.capitalize()}", "", "| rule | where | finding |", "|---|---|---|"]
        out += [f"| `{f.rule}` | {_md(f.path)} | {_md(f.message)} |" for f in found]
        out.append("")
    if report.accepted:
        out += ["## Accepted", "", "| rule | where | finding | reason |", "|---|---|---|---|"]
        out += [
            f"| `{a.finding.rule}` | {_md(a.finding.path)} | {_md(a.finding.message)} "
            f"| {_md(a.reason)} |"
            for a in report.accepted
        ]
        out.append("")
    if report.explanations:
        out += ["## What the rules mean", ""]
        for x in report.explanations:
            links = ", ".join(f"<{link}>" for link in x.links)
            out += [f"### `{x.id}` — {x.title}", "", x.why, "", f"**Fix:** {x.fix}", ""]
            out += [f"See {links}", ""] if links else []
    if report.not_run:
        out += ["## Not run yet", ""]
        out += [f"- `{n.rule}`: needs {', '.join(n.needs)}" for n in report.not_run]
        out.append("")
    return "\n".join(out)


def report_files(report: ReviewReport) -> Iterator[Artifact]:
    """``review/findings.json`` and ``review/findings.md``."""
    yield Artifact.json("review/findings.json", "review", report.to_json())
    yield Artifact.text("review/findings.md", "review", markdown(report))
