"""The elements of an event-storming design and what each becomes on AWS."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field, field_validator, model_validator

from app.model.base import Element, Name, Ref, Route, StrictModel, Workload
from app.model.types import FieldName, Fields
from app.model.workflow import Workflow


class Emit(StrictModel):
    """An event a command emits: ``probability`` < 1 for conditional events, ``count`` > 1 when
    one invocation emits several (a batch consumer emitting one per record)."""

    event: Ref
    probability: float = Field(default=1.0, gt=0, le=1)
    count: float = Field(default=1.0, gt=0, le=100_000)

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"event": data} if isinstance(data, str) else data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        return {
            "anyOf": [{"type": "string", "description": "the event emitted"}, handler(core_schema)]
        }


class Actor(Element):
    """A person or role; becomes an authorisation scope on the routes it may call."""


class Command(Element):
    """An intention (``PlaceOrder``); becomes a function, and with a route an API operation."""

    actors: list[Ref] = Field(default_factory=list)
    route: Route | None = None
    aggregate: Ref | None = None
    input: Fields = Field(default_factory=dict)
    emits: list[Emit] = Field(default_factory=list)
    access_patterns: list[Ref] = Field(default_factory=list)
    workload: Workload = Field(default_factory=Workload)


class Event(Element):
    """A domain event (``OrderPlaced``); becomes an EventBridge event with a JSON Schema."""

    version: int = Field(default=1, ge=1, le=1000)
    fields: Fields = Field(default_factory=dict)
    size_kb: float = Field(default=1.0, gt=0, le=1024)


class Relationship(StrictModel):
    """A link from an entity to another: one-to-many (children) or many-to-many."""

    entity: Ref
    kind: Literal["one-to-many", "many-to-many"] = "one-to-many"


class Aggregate(Element):
    """An aggregate or entity; becomes items in the single table."""

    identifier: FieldName | list[FieldName] | None = Field(
        default=None,
        description="identifying attribute (or attributes, for a composite identity); "
        "default <code>Id in camelCase",
    )
    attributes: Fields = Field(default_factory=dict)
    relationships: list[Relationship] = Field(default_factory=list)
    ttl: FieldName | None = Field(default=None, description="attribute holding the expiry time")
    item_size_kb: float = Field(default=1.0, gt=0, le=400)
    item_count: int = Field(default=10_000, ge=0, le=10**13)
    growth_per_month: int = Field(default=0, ge=0, le=10**12)


class Policy(Element):
    """Whenever an event happens, issue a command or start a workflow."""

    event: Ref
    command: Ref | None = None
    workflow: Ref | None = None
    delivery: Literal["queue", "direct"] = "queue"
    batch_size: int = Field(default=10, ge=1, le=10_000)
    workload: Workload = Field(default_factory=Workload)

    @model_validator(mode="after")
    def _one_target(self) -> Policy:
        if (self.command is None) == (self.workflow is None):
            raise ValueError("a policy needs exactly one of 'command' or 'workflow'")
        return self


class ReadModel(Element):
    """A query (``OrdersOfCustomer``); becomes a GET route served by access patterns."""

    actors: list[Ref] = Field(default_factory=list)
    route: Route | None = None
    fields: Fields = Field(default_factory=dict)
    access_patterns: list[Ref] = Field(default_factory=list)
    workload: Workload = Field(default_factory=Workload)

    @field_validator("route")
    @classmethod
    def _get_only(cls, route: str | None) -> str | None:
        if route is not None and not route.startswith("GET "):
            raise ValueError("a read model's route must be a GET route")
        return route


class AccessPattern(Element):
    """One way the application reads or writes the table; planned to one operation.

    A read of several items by a list of identifiers ("products by ids") sets ``batch`` to the
    most values one call asks for. A write that links two entities of a many-to-many
    relationship ("add student to course") names the other entity in ``include``, and may keep
    a ``counter`` of that entity in step.
    """

    entity: Ref
    action: Literal["read", "put", "update", "delete"] = "read"
    include: list[Ref] = Field(
        default_factory=list,
        description="reads: child or linked entities returned too; writes: the one "
        "many-to-many related entity whose link the write adds, changes or removes",
    )
    by: list[FieldName] = Field(default_factory=list, description="equality attributes")
    filters: dict[FieldName, str | int | float | bool] = Field(
        default_factory=dict, description="constant filters, e.g. status: OPEN"
    )
    exists: list[FieldName] = Field(default_factory=list)
    sort: FieldName | None = None
    order: Literal["asc", "desc"] = "asc"
    range: Literal["eq", "lt", "le", "gt", "ge", "between", "begins_with"] | None = None
    many: bool | None = Field(default=None, description="default: unless 'by' names the identifier")
    consistency: Literal["eventual", "strong"] = "eventual"
    condition: Literal["create-only", "version"] | None = None
    batch: int | None = Field(
        default=None,
        ge=2,
        le=100,
        description="reads several items by a list of 'by' values, at most this many per call "
        "(e.g. products by ids): one BatchGetItem, or one Query per value",
    )
    counter: FieldName | None = Field(
        default=None,
        description="link writes: an integer attribute of the included entity counting its "
        "links, changed in the same transaction",
    )
    requests_per_month: float | None = Field(default=None, ge=0, le=1e13)

    @model_validator(mode="after")
    def _shape(self) -> AccessPattern:
        reading = self.action == "read"
        if not reading and (self.filters or self.exists or self.sort):
            raise ValueError("filters, exists and sort only apply to reads")
        if not reading and len(self.include) > 1:
            raise ValueError("a write links to one other entity: include names at most one")
        if reading and self.condition is not None:
            raise ValueError("a condition only applies to writes")
        if self.range is not None and self.sort is None:
            raise ValueError("a range condition needs a 'sort' attribute")
        if self.batch is not None:
            if not reading:
                raise ValueError("batch only applies to reads")
            if not self.by:
                raise ValueError("a batch read needs 'by': the attributes whose values it lists")
        if self.counter is not None and (reading or not self.include):
            raise ValueError("a counter only applies to a write that links an included entity")
        return self


class Webhook(StrictModel):
    """An inbound webhook endpoint that verifies signatures and routes to the bus."""

    route: Route
    signature: Literal["hmac-sha256", "hmac-sha1", "none"] = "hmac-sha256"
    emits: list[Emit] = Field(default_factory=list)
    command: Ref | None = None


class ExternalSystem(Element):
    """A system outside the design: sends webhooks or events in, is called out to."""

    webhook: Webhook | None = None
    emits: list[Emit] = Field(default_factory=list, description="events it puts on the bus")
    called_by: list[Ref] = Field(default_factory=list)
    workload: Workload = Field(default_factory=Workload)


class DirectCall(Element):
    """One function calling another synchronously (review flags it)."""

    caller: Ref
    callee: Ref
    calls_per_invocation: float = Field(default=1.0, gt=0, le=10_000)

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("name"):
            data = {**data, "name": f"{data.get('caller')} calls {data.get('callee')}"}
        return data


class Schedule(Element):
    """A schedule (``rate(5 minutes)``, ``cron(0 2 * * ? *)``) that runs a command or workflow."""

    expression: str
    timezone: str = "UTC"
    command: Ref | None = None
    workflow: Ref | None = None
    workload: Workload = Field(default_factory=Workload)

    @model_validator(mode="after")
    def _one_target(self) -> Schedule:
        if (self.command is None) == (self.workflow is None):
            raise ValueError("a schedule needs exactly one of 'command' or 'workflow'")
        return self

    @field_validator("expression")
    @classmethod
    def _readable(cls, text: str) -> str:
        from app.model.schedules import runs_per_month

        runs_per_month(text)
        return text


class Source(Element):
    """Work that arrives in batches or on arrival: uploads, table streams, Kinesis streams."""

    kind: Literal["bucket", "table-stream", "kinesis"]
    consumer: Ref
    batch_size: int = Field(default=10, ge=1, le=10_000)
    batch_window_s: int = Field(default=0, ge=0, le=300)
    prefix: str = ""
    suffix: str = ""
    workload: Workload = Field(default_factory=Workload)


class Hotspot(Element):
    """An open question or problem, shown to reviewers; export warns while any are open."""

    about: Ref | None = None
    status: Literal["open", "resolved"] = "open"


class Context(Element):
    """A bounded context: a lane on the board, a cluster in diagrams, an event source."""

    actors: list[Actor] = Field(default_factory=list)
    commands: list[Command] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    aggregates: list[Aggregate] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    read_models: list[ReadModel] = Field(default_factory=list)
    access_patterns: list[AccessPattern] = Field(default_factory=list)
    external_systems: list[ExternalSystem] = Field(default_factory=list)
    calls: list[DirectCall] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    workflows: list[Workflow] = Field(default_factory=list)
    hotspots: list[Hotspot] = Field(default_factory=list)


ElementKind = Literal[
    "actors",
    "commands",
    "events",
    "aggregates",
    "policies",
    "read_models",
    "access_patterns",
    "external_systems",
    "calls",
    "schedules",
    "sources",
    "workflows",
    "hotspots",
]
"""The key an element kind is listed under in a context."""

KINDS: dict[str, type[Element]] = {
    "actors": Actor,
    "commands": Command,
    "events": Event,
    "aggregates": Aggregate,
    "policies": Policy,
    "read_models": ReadModel,
    "access_patterns": AccessPattern,
    "external_systems": ExternalSystem,
    "calls": DirectCall,
    "schedules": Schedule,
    "sources": Source,
    "workflows": Workflow,
    "hotspots": Hotspot,
}
"""Element kinds by the key they are listed under in a context, in board order."""
assert tuple(KINDS) == get_args(ElementKind)

ID_PREFIX: dict[str, str] = {
    "contexts": "ctx",
    "actors": "act",
    "commands": "cmd",
    "events": "evt",
    "aggregates": "agg",
    "policies": "pol",
    "read_models": "qry",
    "access_patterns": "ap",
    "external_systems": "ext",
    "calls": "call",
    "schedules": "sch",
    "sources": "src",
    "workflows": "wf",
    "hotspots": "hot",
    "steps": "st",
}

SINGULAR: dict[str, str] = {
    "contexts": "context",
    "actors": "actor",
    "commands": "command",
    "events": "event",
    "aggregates": "aggregate",
    "policies": "policy",
    "read_models": "read model",
    "access_patterns": "access pattern",
    "external_systems": "external system",
    "calls": "direct call",
    "schedules": "schedule",
    "sources": "source",
    "workflows": "workflow",
    "hotspots": "hotspot",
    "steps": "step",
}


class ApiSettings(StrictModel):
    type: Literal["http", "rest"] = "http"
    auth: Literal["jwt", "api-key", "none"] = "jwt"


class DesignSettings(StrictModel):
    region: str = Field(default="us-east-1", pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
    runtime: Literal["python3.11", "python3.12", "python3.13"] = "python3.12"
    architecture: Literal["arm64", "x86_64"] = "arm64"
    api: ApiSettings = Field(default_factory=ApiSettings)


class Position(StrictModel):
    x: float = Field(ge=-1e6, le=1e6)
    y: float = Field(default=0, ge=-1e6, le=1e6)


class Layout(StrictModel):
    """Board layout: where each sticky sits (by element id) along the timeline."""

    positions: dict[str, Position] = Field(default_factory=dict)


class AcceptedFinding(StrictModel):
    """A review finding the team accepted, with the reason, so review stops raising it."""

    rule: str = Field(min_length=1, max_length=100)
    element: str = Field(min_length=1, max_length=100, description="element id")
    reason: str = Field(min_length=1, max_length=2000)


class Design(StrictModel):
    """A whole design: settings, bounded contexts with their elements, layout, accepted findings."""

    format: int = Field(default=1, description="storm file format version")
    id: str | None = Field(default=None, pattern=r"^dsg-[A-Za-z0-9_-]{4,40}$")
    name: Name
    description: str = ""
    settings: DesignSettings = Field(default_factory=DesignSettings)
    contexts: list[Context] = Field(default_factory=list)
    layout: Layout = Field(default_factory=Layout)
    accepted_findings: list[AcceptedFinding] = Field(default_factory=list)


__all__ = [
    "KINDS",
    "AcceptedFinding",
    "AccessPattern",
    "Actor",
    "Aggregate",
    "Command",
    "Context",
    "Design",
    "DirectCall",
    "Emit",
    "Event",
    "ExternalSystem",
    "Hotspot",
    "Name",
    "Policy",
    "ReadModel",
    "Relationship",
    "Schedule",
    "Source",
    "Webhook",
    "Workflow",
]
