"""The review view: one design told for stakeholders, from the artifacts the studio generates.

Everything here is read from what the preview tabs already make (and cache by content hash):
the table plan, the workflow index, the OpenAPI document, the cost estimate and the review, so
the page says exactly what an export would contain. Only the shape changes: short, named rows a
reader without the storm file can follow.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from app.generators.cost.prices import has_prices, price_list
from app.model import DesignError, ValidDesign
from app.review import ReviewReport
from app.review.engine import SEVERITIES
from app.services.api_docs import openapi_json
from app.services.documents import StormDocument
from app.services.previews import GENERATOR_FAILURES, Preview, preview, validated
from app.services.review import design_review

logger = logging.getLogger(__name__)

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
MAIN_DIAGRAMS = ("context-map", "event-flow", "entities")
"""The whole-design diagrams, big picture first (the studio draws them by these names)."""

# The sizes a stakeholder recognises, in the order the summary lists them.
COUNTED = (
    ("contexts", "bounded context", "bounded contexts"),
    ("commands", "command", "commands"),
    ("events", "event", "events"),
    ("aggregates", "entity", "entities"),
    ("policies", "policy", "policies"),
    ("read_models", "query", "queries"),
    ("workflows", "workflow", "workflows"),
    ("access_patterns", "access pattern", "access patterns"),
)


@dataclass(frozen=True)
class Count:
    """How many of one kind the design has, with the word for it."""

    kind: str
    number: int
    label: str


@dataclass(frozen=True)
class ContextView:
    """A bounded context: what it is for, and the file of its own event-flow diagram."""

    code: str
    name: str
    description: str
    diagram: str | None


@dataclass(frozen=True)
class Unavailable:
    """Why a section has nothing to show (the design has problems, or a generator failed)."""

    message: str


@dataclass(frozen=True)
class ServiceCost:
    title: str
    usd: float
    share: float
    """Of the monthly total, 0–1."""


@dataclass(frozen=True)
class Projection:
    traffic: float
    total: float


@dataclass(frozen=True)
class Saving:
    title: str
    detail: str
    usd: float


@dataclass(frozen=True)
class CostView:
    """The monthly estimate: total, per service, at more traffic, and what would save money."""

    currency: str
    region: str
    region_name: str
    prices_as_of: str
    total: float
    total_without_free_tier: float
    budget_threshold: float
    services: tuple[ServiceCost, ...]
    projections: tuple[Projection, ...]
    savings: tuple[Saving, ...]


@dataclass(frozen=True)
class KeyRow:
    """Where one entity's items are kept: in the table or an index, under which keys."""

    entity: str
    where: str
    partition: str
    sort: str
    serves: str


@dataclass(frozen=True)
class PatternRow:
    """One access pattern and, in words, how the table answers it."""

    name: str
    operation: str
    explanation: str


@dataclass(frozen=True)
class TableView:
    name: str
    on_demand: bool
    index_count: int
    keys: tuple[KeyRow, ...]
    patterns: tuple[PatternRow, ...]
    warnings: tuple[str, ...]
    unserved: tuple[str, ...]


@dataclass(frozen=True)
class WorkflowView:
    name: str
    code: str
    type: str
    states: int
    reason: str
    diagram: str | None
    """The generated file path of its state-machine diagram (SVG), when there is one."""


@dataclass(frozen=True)
class RouteView:
    method: str
    path: str
    summary: str
    callers: tuple[str, ...]
    """The actor scopes allowed to call it; empty for a public route (a webhook)."""


@dataclass(frozen=True)
class Case:
    """One place a rule found something: the element, and what is wrong there."""

    about: str
    message: str


@dataclass(frozen=True)
class FindingView:
    """One rule's open findings: what it checks, why it matters, how to fix, and where."""

    severity: str
    rule: str
    title: str
    why: str
    fix: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class FindingGroup:
    severity: str
    findings: tuple[FindingView, ...]

    @property
    def count(self) -> int:
        return sum(len(f.cases) for f in self.findings)


@dataclass(frozen=True)
class AcceptedView:
    title: str
    about: str
    reason: str


@dataclass(frozen=True)
class HotspotView:
    name: str
    description: str
    about: str
    context: str


@dataclass(frozen=True)
class Overview:
    """Everything the review view shows of one design's content."""

    name: str
    description: str
    problems: tuple[str, ...]
    """The design's problems; when there are any, the generated sections are unavailable."""
    counts: tuple[Count, ...] = ()
    contexts: tuple[ContextView, ...] = ()
    cost: CostView | Unavailable = Unavailable("")
    table: TableView | Unavailable = Unavailable("")
    workflows: tuple[WorkflowView, ...] | Unavailable = ()
    routes: tuple[RouteView, ...] | Unavailable = ()
    findings: tuple[FindingGroup, ...] | Unavailable = ()
    accepted: tuple[AcceptedView, ...] = ()
    open_hotspots: tuple[HotspotView, ...] = ()
    resolved_hotspots: int = 0
    landscape: frozenset[str] = frozenset()
    """The sections ("diagrams", "workflows") whose pictures print larger on landscape pages."""

    @property
    def valid(self) -> bool:
        return not self.problems

    def finding_count(self, severity: str) -> int:
        if isinstance(self.findings, Unavailable):
            return 0
        return sum(g.count for g in self.findings if g.severity == severity)


_OVERVIEWS: OrderedDict[str, Overview] = OrderedDict()
_LOCK = threading.Lock()


def design_overview(document: StormDocument) -> Overview:
    """The review view of a design's current content (cached by content hash)."""
    digest = document.digest
    with _LOCK:
        if digest in _OVERVIEWS:
            _OVERVIEWS.move_to_end(digest)
            return _OVERVIEWS[digest]
    found = _build(digest, document.text, document.data)
    with _LOCK:
        _OVERVIEWS[digest] = found
        while len(_OVERVIEWS) > 16:
            _OVERVIEWS.popitem(last=False)
    return found


def _build(digest: str, text: str, data: dict[str, Any]) -> Overview:
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return Overview(
            name=str(data.get("name") or "Untitled design"),
            description=str(data.get("description") or ""),
            problems=tuple(
                f"{p.path}: {p.message}" if p.path else p.message for p in valid.problems
            ),
        )
    design = valid.design
    open_spots, resolved = hotspots(valid)
    report = design_review(digest, text)
    contexts = context_views(valid, preview(digest, text, "diagrams"))
    workflows = workflow_views(
        preview(digest, text, "workflows"), preview(digest, text, "diagrams")
    )
    pictures = {
        "diagrams": [f"diagrams/{name}.svg" for name in MAIN_DIAGRAMS]
        + [c.diagram for c in contexts if c.diagram and len(contexts) > 1],
        "workflows": [
            w.diagram for w in (workflows if isinstance(workflows, tuple) else ()) if w.diagram
        ],
    }
    wide = wide_diagrams(preview(digest, text, "diagrams"))
    return Overview(
        name=design.name,
        description=design.description,
        problems=(),
        counts=counts(valid),
        contexts=contexts,
        cost=cost_view(preview(digest, text, "cost")),
        table=table_view(preview(digest, text, "table")),
        workflows=workflows,
        routes=route_views(digest, text),
        findings=finding_groups(valid, report),
        accepted=accepted_views(valid, report),
        open_hotspots=open_spots,
        resolved_hotspots=resolved,
        landscape=frozenset(
            section
            for section, paths in pictures.items()
            if paths and 2 * sum(path in wide for path in paths) > len(paths)
        ),
    )


def counts(valid: ValidDesign) -> tuple[Count, ...]:
    """How many contexts, commands, events… the design has (kinds it has none of left out)."""
    found = []
    for kind, one, many in COUNTED:
        number = len(valid.design.contexts) if kind == "contexts" else len(valid.of_kind(kind))
        if number:
            found.append(Count(kind, number, one if number == 1 else many))
    return tuple(found)


def context_views(valid: ValidDesign, diagrams: Preview) -> tuple[ContextView, ...]:
    """Each bounded context, in file order, with its event-flow diagram's file when drawn."""
    drawn = {a.path for a in diagrams.artifacts}
    views = []
    for entry in valid.of_kind("contexts"):
        code = valid.code(entry.element)
        path = f"diagrams/contexts/{code}.event-flow.svg"
        views.append(
            ContextView(code, entry.element.name, entry.element.description, _if(path, drawn))
        )
    return tuple(views)


def _if(path: str, drawn: set[str]) -> str | None:
    return path if path in drawn else None


# What an A4 page holds of a drawing, in points, across and down (12–14 mm margins, a caption
# above): a diagram turns the page when that shows it at least a quarter larger.
PORTRAIT_PT = (520.0, 700.0)
LANDSCAPE_PT = (774.0, 480.0)
SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)pt"[^>]*?\sheight="([\d.]+)pt"')


def wide_diagrams(diagrams: Preview) -> frozenset[str]:
    """The diagram files that print larger across a landscape page than on a portrait one."""
    wide = set()
    for artifact in diagrams.artifacts:
        found = SVG_SIZE.search(artifact.content[:4000]) if artifact.path.endswith(".svg") else None
        if found:
            size = (float(found.group(1)), float(found.group(2)))
            if _scale(size, LANDSCAPE_PT) > 1.25 * _scale(size, PORTRAIT_PT):
                wide.add(artifact.path)
    return frozenset(wide)


def _scale(size: tuple[float, float], page: tuple[float, float]) -> float:
    """How large a drawing prints on a page: shrunk to fit, never blown up."""
    return min(1.0, page[0] / size[0], page[1] / size[1])


def element_name(valid: ValidDesign, element_id: str) -> str:
    """An element's display name, or "the design" for a finding about the whole."""
    try:
        return valid.entry(element_id).element.name
    except KeyError:
        return "the design"


def hotspots(valid: ValidDesign) -> tuple[tuple[HotspotView, ...], int]:
    """The open hotspots (what each is about, in which context) and how many are resolved."""
    open_spots = []
    resolved = 0
    for entry in valid.of_kind("hotspots"):
        spot = entry.element
        if getattr(spot, "status", "open") != "open":
            resolved += 1
            continue
        about = valid.target(spot, "about")
        open_spots.append(
            HotspotView(
                spot.name,
                spot.description,
                about.element.name if about else "",
                entry.context.name if entry.context else "",
            )
        )
    return tuple(open_spots), resolved


def finding_groups(
    valid: ValidDesign, report: ReviewReport | None
) -> tuple[FindingGroup, ...] | Unavailable:
    """Open findings by severity (every severity, even an empty one), one entry per rule with
    the places it found something, so a rule's explanation is read once."""
    if report is None:
        return Unavailable("The review could not run on this design yet.")
    explained = {e.id: e for e in report.explanations}
    groups = []
    for severity in SEVERITIES:
        cases: dict[str, list[Case]] = {}
        for f in report.findings:
            if f.severity == severity:
                cases.setdefault(f.rule, []).append(Case(element_name(valid, f.element), f.message))
        views = []
        for rule_id, found in cases.items():
            rule = explained.get(rule_id)
            title, why, fix = (rule.title, rule.why, rule.fix) if rule else (rule_id, "", "")
            views.append(FindingView(severity, rule_id, title, why, fix, tuple(found)))
        groups.append(FindingGroup(severity, tuple(views)))
    return tuple(groups)


def accepted_views(valid: ValidDesign, report: ReviewReport | None) -> tuple[AcceptedView, ...]:
    """Findings the team accepted, with the reason it recorded."""
    if report is None:
        return ()
    explained = {e.id: e.title for e in report.explanations}
    return tuple(
        AcceptedView(
            explained.get(a.finding.rule, a.finding.rule),
            element_name(valid, a.finding.element),
            a.reason,
        )
        for a in report.accepted
    )


def _file(found: Preview, path: str) -> Any:
    artifact = next((a for a in found.artifacts if a.path == path), None)
    return None if artifact is None else json.loads(artifact.content)


def _unavailable(found: Preview) -> Unavailable | None:
    return Unavailable(found.message) if found.status != "ready" else None


def cost_view(found: Preview) -> CostView | Unavailable:
    """The monthly estimate from the generated cost/cost.json."""
    missing = _unavailable(found)
    if missing:
        return missing
    data = _file(found, "cost/cost.json")
    if data is None or "error" in data:
        region = data.get("region", "") if data else ""
        return Unavailable(
            f"No estimate: there are no prices for the region {region} yet."
            if region
            else "The cost estimate is not generated yet."
        )
    total = float(data["total_usd"])
    region = str(data["region"])
    prices = price_list(region) if has_prices(region) else None
    titles = {k: s.title for k, s in prices.services.items()} if prices else {}
    services = tuple(
        ServiceCost(titles.get(name, name), usd, usd / total if total > 0 else 0.0)
        for name, usd in sorted(data["by_service"].items(), key=lambda kv: (-kv[1], kv[0]))
        if usd >= 0.005
    )
    return CostView(
        currency=str(data["currency"]),
        region=region,
        region_name=prices.name if prices else region,
        prices_as_of=str(data["prices_as_of"]),
        total=total,
        total_without_free_tier=float(data["total_without_free_tier_usd"]),
        budget_threshold=float(data["budget_alert_threshold_usd"]),
        services=services,
        projections=tuple(
            Projection(float(p["traffic"]), float(p["total_usd"])) for p in data["projections"]
        ),
        savings=tuple(
            Saving(r["title"], r["detail"], float(r["monthly_saving_usd"]))
            for r in data["recommendations"]
        ),
    )


def table_view(found: Preview) -> TableView | Unavailable:
    """The single table from the generated table/table-plan.json."""
    missing = _unavailable(found)
    if missing:
        return missing
    plan = _file(found, "table/table-plan.json")
    if plan is None:
        return Unavailable("The table plan is not generated yet.")
    names = {p["pattern"]: p["name"] for p in plan["patterns"]}
    keys = []
    for entity in plan["entities"]:
        for where, key in sorted(entity["keys"].items(), key=lambda kv: (kv[0] != "table", kv[0])):
            served = [names.get(code, code) for code in _served(plan, entity["entity"], where)]
            keys.append(
                KeyRow(
                    entity["name"],
                    "table" if where == "table" else f"index {where}",
                    key["partition"],
                    key.get("sort") or "",
                    ", ".join(served),
                )
            )
    return TableView(
        name=plan["table"]["name"],
        on_demand=plan["table"].get("billing_mode") == "PAY_PER_REQUEST",
        index_count=int(plan.get("gsi_count", 0)) + int(plan.get("lsi_count", 0)),
        keys=tuple(keys),
        patterns=tuple(
            PatternRow(p["name"], p["operation"], p["explanation"]) for p in plan["patterns"]
        ),
        warnings=tuple(str(w) for w in plan.get("warnings", ())),
        unserved=tuple(str(u) for u in plan.get("unserved", ())),
    )


def _served(plan: dict[str, Any], entity: str, where: str) -> list[str]:
    """The access patterns that read or write `entity` (or read it along with their own
    entity) through the table or one index."""
    return [
        p["pattern"]
        for p in plan["patterns"]
        if entity in (p["entity"], *p.get("include", ())) and p.get("index", "table") == where
    ]


def workflow_views(found: Preview, diagrams: Preview) -> tuple[WorkflowView, ...] | Unavailable:
    """Each workflow from the generated workflows/index.json, with its diagram's file."""
    if found.status == "missing" and not found.artifacts and "nothing to generate" in found.message:
        return ()
    missing = _unavailable(found)
    if missing:
        return missing
    index = _file(found, "workflows/index.json") or {"workflows": []}
    drawn = {a.path for a in diagrams.artifacts}
    return tuple(
        WorkflowView(
            w["name"],
            w["code"],
            "Standard" if w["type"] == "STANDARD" else "Express",
            int(w["states"]),
            w["reason"],
            _if(f"diagrams/workflows/{w['code']}.svg", drawn),
        )
        for w in index["workflows"]
    )


def route_views(digest: str, text: str) -> tuple[RouteView, ...] | Unavailable:
    """Each API route of the design's OpenAPI document, with who may call it."""
    try:
        found = openapi_json(digest, text)
    except GENERATOR_FAILURES as exc:
        logger.warning("the OpenAPI document failed", exc_info=exc)
        return Unavailable(f"The API is not generated yet ({type(exc).__name__}).")
    if found is None:
        return Unavailable("The API is not generated yet.")
    routes = []
    for path, operations in sorted(json.loads(found).get("paths", {}).items()):
        for method in HTTP_METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            needs = operation.get("security", [])
            scopes = sorted({scope for need in needs for got in need.values() for scope in got})
            routes.append(
                RouteView(method.upper(), path, operation.get("summary", ""), tuple(scopes))
            )
    return tuple(routes)
