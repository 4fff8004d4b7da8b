"""Validation of a design's meaning, and the traffic flow along the model."""

from __future__ import annotations

from typing import Any

import pytest

from app.model import DesignError, ValidDesign, load_design, parse_design, validate
from app.model.flow import AmplifyingCycle, propagate
from app.model.schedules import HOURS_PER_MONTH, runs_per_month
from app.model.stormfile import dump_yaml
from app.model.traffic import SECONDS_PER_MONTH, expected_attempts
from app.model.workflow import Retry, step_kind

DAYS_PER_MONTH = HOURS_PER_MONTH / 24

# --- small factories ----------------------------------------------------------------------------


def design(*contexts: dict[str, Any], **top: Any) -> dict[str, Any]:
    """Storm data with the given contexts (the first is named Ordering unless named)."""
    return {"name": "Test", **top, "contexts": list(contexts)}


def context(name: str = "Ordering", **elements: list[Any]) -> dict[str, Any]:
    return {"name": name, **elements}


def command(name: str, *emits: Any, per_month: float | None = None, **more: Any) -> dict:
    data: dict[str, Any] = {"name": name, **more}
    if emits:
        data["emits"] = list(emits)
    if per_month is not None:
        data.setdefault("workload", {})["requests_per_month"] = per_month
    return data


def event(name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, **more}


def policy(name: str, on: str, **target: str) -> dict[str, Any]:
    return {"name": name, "event": on, **target}


def workflow(name: str, *steps: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": name, "steps": list(steps), **more}


def task(name: str, command_name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "task": command_name, **more}


def succeed(name: str = "Done") -> dict[str, Any]:
    return {"name": name, "succeed": {}}


def order(**more: Any) -> dict[str, Any]:
    """The Order entity, with the attributes access patterns in these tests use."""
    attributes = {"orderId": "string", "customerId": "string", "status": "enum(OPEN, PAID)"}
    return {"name": "Order", "attributes": {**attributes, "tags": "list<string>"}, **more}


def valid(data: dict[str, Any]) -> ValidDesign:
    """Load through the storm file, as a user's design would be."""
    return load_design(dump_yaml(data))


def problems(data: dict[str, Any]) -> list[str]:
    """Every problem of an invalid design, as 'path: message'."""
    with pytest.raises(DesignError) as caught:
        valid(data)
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def monthly(result: ValidDesign) -> dict[str, float]:
    """Monthly volume by 'kind.Code' (steps: 'steps.Workflow.Step')."""
    traffic = result.traffic.to_json(result)
    return {
        f"{kind}.{code}": item["per_month"]  # type: ignore[index]
        for kind, items in traffic.items()
        for code, item in items.items()  # type: ignore[attr-defined]
    }


def invocations(result: ValidDesign, workflow_code: str, step_code: str) -> float:
    item = result.traffic.to_json(result)["steps"][f"{workflow_code}.{step_code}"]  # type: ignore[index]
    return item["invocations_per_month"]  # type: ignore[no-any-return]


# --- references ---------------------------------------------------------------------------------


def test_a_reference_may_use_the_name_the_code_or_the_id() -> None:
    data = design(
        context(
            commands=[command("Reserve stock", id="cmd-reserve01"), command("Ship", code="ShipIt")],
            events=[event("Order placed")],
            policies=[
                policy("By name", "Order placed", command="Reserve stock"),
                policy("By code", "OrderPlaced", command="ShipIt"),
                policy("By id", "Order placed", command="cmd-reserve01"),
            ],
        )
    )
    result = valid(data)
    policies = {e.element.name: e for e in result.of_kind("policies")}
    assert result.target(policies["By name"].element, "command").element.name == "Reserve stock"
    assert result.target(policies["By code"].element, "command").element.name == "Ship"
    assert result.target(policies["By code"].element, "event").element.name == "Order placed"
    assert result.target(policies["By id"].element, "command").element.name == "Reserve stock"


def test_references_resolve_across_contexts() -> None:
    data = design(
        context("Ordering", commands=[command("Place", "OrderPlaced")]),
        context(
            "Shipping",
            events=[event("OrderPlaced")],
            commands=[command("Ship")],
            policies=[policy("Ship when placed", "OrderPlaced", command="Ship")],
        ),
    )
    result = valid(data)
    [place] = [e for e in result.of_kind("commands") if e.element.name == "Place"]
    assert [e.context.name for e in result.targets(place.element, "emits")] == ["Shipping"]


def test_every_problem_is_reported_at_once() -> None:
    data = design(
        context(
            commands=[command("Place", "Placd", aggregate="Ordr", actors=["Nobody"])],
            events=[event("Placed")],
        )
    )
    assert problems(data) == [
        "contexts.Ordering.commands.Place.actors[0]: unknown actor 'Nobody'",
        "contexts.Ordering.commands.Place.aggregate: unknown aggregate 'Ordr'",
        "contexts.Ordering.commands.Place.emits[0].event: unknown event 'Placd'"
        " — did you mean 'Placed'?",
    ]


def test_reference_to_the_wrong_kind_names_the_kind_expected() -> None:
    data = design(
        context(commands=[command("Place", "Ship")], workflows=[]),
    )
    data["contexts"][0]["commands"].append(command("Ship"))
    assert problems(data) == [
        "contexts.Ordering.commands.Place.emits[0].event: unknown event 'Ship'"
    ]


def test_a_hotspot_may_be_about_any_element() -> None:
    data = design(
        context(
            commands=[command("Place")],
            hotspots=[
                {"name": "Who pays?", "about": "Place"},
                {"name": "Scope", "about": "Ordering"},
            ],
        )
    )
    result = valid(data)
    about = [result.target(h.element, "about").kind for h in result.of_kind("hotspots")]
    assert about == ["commands", "contexts"]


# --- identity -----------------------------------------------------------------------------------


def test_code_names_clash_regardless_of_case() -> None:
    data = design(context(commands=[command("Place order"), command("placeorder")]))
    [problem] = problems(data)
    assert "the code name 'Placeorder' is already used by the command at" in problem


def test_the_same_code_name_may_serve_two_kinds() -> None:
    data = design(context(commands=[command("Order")], aggregates=[order()]))
    valid(data)


def test_steps_of_different_workflows_may_share_names() -> None:
    data = design(
        context(
            commands=[command("Reserve")],
            workflows=[
                workflow("A", task("Reserve", "Reserve"), succeed()),
                workflow("B", task("Reserve", "Reserve"), succeed()),
            ],
        )
    )
    valid(data)


def test_an_explicit_id_used_twice_is_refused() -> None:
    data = design(context(commands=[command("A", id="cmd-same01"), command("B", id="cmd-same01")]))
    assert problems(data) == [
        "contexts.Ordering.commands.B.id: the id 'cmd-same01' is also used by "
        "contexts.Ordering.commands.A"
    ]


def test_ids_are_stable_from_one_load_to_the_next() -> None:
    data = design(context(commands=[command("Place")], events=[event("Placed")]))
    first, second = valid(data), valid(data)
    assert list(first.entries) == list(second.entries)
    assert all(len(i) > 4 for i in first.entries)


def test_a_name_in_any_script_gets_an_ascii_code() -> None:
    data = design(context(commands=[command("注文を確定"), command("Bestellung prüfen")]))
    result = valid(data)
    codes = [result.code(e.element) for e in result.of_kind("commands")]
    assert codes[1] == "BestellungPrufen"
    assert all(code.isascii() and code.isalnum() for code in codes)


# --- routes and settings ------------------------------------------------------------------------


def test_a_route_parameter_from_the_input_is_fine() -> None:
    data = design(
        context(
            commands=[
                command("Cancel", route="DELETE /orders/{orderId}", input={"orderId": "string"})
            ]
        )
    )
    valid(data)


def test_routes_of_the_same_shape_clash_across_kinds() -> None:
    data = design(
        context(
            read_models=[{"name": "Order", "route": "GET /orders/{orderId}"}],
            workflows=[workflow("Fetch", succeed(), route="GET /orders/{id}")],
        )
    )
    [problem] = problems(data)
    assert problem.startswith("contexts.Ordering.workflows.Fetch.route: the route ")
    assert "also served by contexts.Ordering.read_models.Order" in problem


def test_the_same_path_with_another_method_is_another_route() -> None:
    data = design(
        context(
            commands=[
                command("Place", route="POST /orders"),
                command("Replace", route="PUT /orders"),
            ],
            read_models=[{"name": "Orders", "route": "GET /orders"}],
        )
    )
    valid(data)


def test_a_webhook_route_clashes_with_a_command_route() -> None:
    data = design(
        context(
            commands=[command("Pay", route="POST /payments")],
            external_systems=[{"name": "Stripe", "webhook": {"route": "POST /payments"}}],
        )
    )
    [problem] = problems(data)
    assert problem.startswith("contexts.Ordering.external_systems.Stripe.webhook.route:")


def test_api_keys_are_fine_on_a_rest_api() -> None:
    valid(design(settings={"api": {"type": "rest", "auth": "api-key"}}))


def test_layout_and_accepted_findings_must_name_existing_elements() -> None:
    data = design(
        context(commands=[command("Place", id="cmd-place01")]),
        layout={"positions": {"cmd-place01": {"x": 1}, "cmd-gone0001": {"x": 2}}},
        accepted_findings=[{"rule": "r", "element": "cmd-gone0002", "reason": "because"}],
    )
    assert problems(data) == [
        "layout.positions.cmd-gone0001: no element has this id",
        "accepted_findings[0].element: no element has this id",
    ]


# --- element rules ------------------------------------------------------------------------------


def test_a_read_model_cannot_use_a_write_pattern() -> None:
    data = design(
        context(
            aggregates=[order()],
            access_patterns=[{"name": "Save order", "entity": "Order", "action": "put"}],
            read_models=[{"name": "Orders", "access_patterns": ["Save order"]}],
        )
    )
    assert problems(data) == [
        "contexts.Ordering.read_models.Orders.access_patterns[0]: "
        "'Save order' is a write; a read model only reads"
    ]


def test_access_pattern_attributes_must_exist_on_the_entity() -> None:
    data = design(
        context(
            aggregates=[order()],
            access_patterns=[
                {"name": "By customer", "entity": "Order", "by": ["customerID"], "sort": "date"},
                {"name": "Tagged", "entity": "Order", "filters": {"tags": "x"}},
            ],
        )
    )
    assert problems(data) == [
        "contexts.Ordering.access_patterns.By customer.by[0]: "
        "'Order' has no attribute 'customerID' — did you mean 'customerId'?",
        "contexts.Ordering.access_patterns.By customer.sort: 'Order' has no attribute 'date'",
        "contexts.Ordering.access_patterns.Tagged.filters.tags: "
        "a constant filter needs a scalar attribute",
    ]


def test_an_access_pattern_includes_only_related_entities() -> None:
    line = {"name": "Line", "attributes": {"lineId": "string"}}
    invoice = {"name": "Invoice", "attributes": {"invoiceId": "string"}}
    data = design(
        context(
            aggregates=[order(relationships=[{"entity": "Line"}]), line, invoice],
            access_patterns=[
                {
                    "name": "Order with lines",
                    "entity": "Order",
                    "by": ["orderId"],
                    "include": ["Line"],
                },
                {"name": "Order with invoices", "entity": "Order", "include": ["Invoice"]},
            ],
        )
    )
    assert problems(data) == [
        "contexts.Ordering.access_patterns.Order with invoices.include[0]: "
        "'Invoice' is not related to 'Order'; add a relationship to include it"
    ]


def test_an_explicit_identifier_and_a_numeric_ttl_are_fine() -> None:
    cart = {
        "name": "Cart",
        "identifier": "id",
        "attributes": {"id": "string", "expires": "integer"},
        "ttl": "expires",
    }
    valid(design(context(aggregates=[cart])))


def test_a_ttl_must_be_an_attribute() -> None:
    cart = {"name": "Cart", "attributes": {"cartId": "string"}, "ttl": "expires"}
    assert problems(design(context(aggregates=[cart]))) == [
        "contexts.Ordering.aggregates.Cart.ttl: the TTL attribute 'expires' is not an attribute"
    ]


def test_a_service_step_needs_a_target_of_the_right_kind() -> None:
    data = design(
        context(
            commands=[command("Place")],
            workflows=[
                workflow(
                    "Save",
                    {"name": "Put", "service": "dynamodb:putItem"},
                    {"name": "Emit", "service": "events:putEvents", "target": "Place"},
                    {"name": "Notify", "service": "sns:publish"},
                )
            ],
        )
    )
    assert problems(data) == [
        "contexts.Ordering.workflows.Save.steps.Put.target: "
        "dynamodb:putItem needs a 'target' (aggregate)",
        "contexts.Ordering.workflows.Save.steps.Emit.target: unknown event 'Place'",
    ]


def test_an_approval_heartbeat_must_be_shorter_than_its_timeout() -> None:
    approval = {"approver": "Manager", "timeout_s": 60, "heartbeat_s": 60}
    data = design(
        context(
            actors=[{"name": "Manager"}],
            workflows=[workflow("Refund", {"name": "Ok?", "approval": approval})],
        )
    )
    assert problems(data) == [
        "contexts.Ordering.workflows.Refund.steps.Ok?.approval.heartbeat_s: "
        "the heartbeat must be shorter than the timeout"
    ]


def test_a_p99_below_the_average_duration_is_refused() -> None:
    data = design(
        context(commands=[command("Place", workload={"duration_ms": 200, "p99_ms": 100})])
    )
    assert problems(data) == [
        "contexts.Ordering.commands.Place.workload.p99_ms: "
        "the p99 duration cannot be below the average duration"
    ]


def test_a_function_cannot_call_itself() -> None:
    data = design(
        context(commands=[command("Place")], calls=[{"caller": "Place", "callee": "Place"}])
    )
    assert problems(data) == ["contexts.Ordering.calls[0].callee: a function cannot call itself"]


def test_bucket_notifications_have_no_batches() -> None:
    source = {"name": "Uploads", "kind": "bucket", "consumer": "Import", "batch_size": 50}
    data = design(context(commands=[command("Import")], sources=[source]))
    assert problems(data) == [
        "contexts.Ordering.sources.Uploads.batch_size: "
        "bucket notifications arrive one object at a time; remove batch_size"
    ]


def test_validate_works_on_a_design_built_in_code() -> None:
    """Without the file, paths come from the design's own dump and carry no line."""
    built = parse_design(design(context(commands=[command("Place", "Nothing")])))
    with pytest.raises(DesignError) as caught:
        validate(built)
    [problem] = caught.value.problems
    assert problem.path == "contexts.Ordering.commands.Place.emits[0].event"
    assert problem.line is None


def test_validation_is_repeatable() -> None:
    """validate() does not change the design: a second run gives the same answer."""
    built = parse_design(
        design(context(commands=[command("Place", "Placed")], events=[event("Placed")]))
    )
    before = built.model_copy(deep=True)
    first, second = validate(built), validate(built)
    assert built == before
    assert first.entries.keys() == second.entries.keys()
    assert first.codes == second.codes


# --- the traffic flow ---------------------------------------------------------------------------


def test_a_command_yields_its_events_and_each_policy_consumes_them_all() -> None:
    data = design(
        context(
            commands=[
                command("Place", "Placed", per_month=3e6),
                command("Reserve"),
                command("Notify"),
            ],
            events=[event("Placed")],
            policies=[
                policy("Reserve when placed", "Placed", command="Reserve"),
                policy("Notify when placed", "Placed", command="Notify"),
            ],
        )
    )
    flow = monthly(valid(data))
    assert flow["commands.Place"] == 3e6
    assert flow["events.Placed"] == 3e6
    assert flow["policies.ReserveWhenPlaced"] == flow["policies.NotifyWhenPlaced"] == 3e6
    assert flow["commands.Reserve"] == flow["commands.Notify"] == 3e6


def test_conditional_events_carry_their_probability() -> None:
    data = design(
        context(
            commands=[
                command("Place", "Placed", {"event": "Big", "probability": 0.05}, per_month=3e6)
            ],
            events=[event("Placed"), event("Big")],
        )
    )
    flow = monthly(valid(data))
    assert flow["events.Big"] == pytest.approx(150_000)


def test_traffic_from_several_sources_adds_up() -> None:
    data = design(
        context(
            commands=[
                command("Place", "Placed", per_month=1000),
                command("Reserve", per_month=500),
            ],
            events=[event("Placed")],
            policies=[policy("Reserve when placed", "Placed", command="Reserve")],
        )
    )
    assert monthly(valid(data))["commands.Reserve"] == 1500


def test_traffic_flows_along_a_chain_across_contexts() -> None:
    data = design(
        context(
            "Ordering",
            commands=[command("Place", "Placed", per_month=1000)],
            events=[event("Placed")],
        ),
        context(
            "Billing",
            commands=[command("Charge", {"event": "Charged", "probability": 0.9})],
            events=[event("Charged")],
            policies=[policy("Charge when placed", "Placed", command="Charge")],
        ),
        context(
            "Shipping",
            commands=[command("Ship")],
            policies=[policy("Ship when charged", "Charged", command="Ship")],
        ),
    )
    assert monthly(valid(data))["commands.Ship"] == pytest.approx(900)


def test_peaks_use_each_entry_points_peak_factor() -> None:
    data = design(
        context(
            commands=[
                command(
                    "Place", "Placed", workload={"requests_per_month": 2.592e6, "peak_factor": 10}
                )
            ],
            events=[event("Placed")],
        )
    )
    result = valid(data)
    peak = result.traffic.to_json(result)["events"]["Placed"]["peak_per_second"]  # type: ignore[index]
    assert peak == pytest.approx(2.592e6 * 10 / SECONDS_PER_MONTH, rel=1e-6)


def test_read_models_drive_their_access_patterns_unless_a_pattern_says_otherwise() -> None:
    data = design(
        context(
            aggregates=[order()],
            access_patterns=[
                {"name": "By customer", "entity": "Order", "by": ["customerId"]},
                {
                    "name": "By status",
                    "entity": "Order",
                    "by": ["status"],
                    "requests_per_month": 42,
                },
            ],
            read_models=[
                {
                    "name": "Orders",
                    "access_patterns": ["By customer", "By status"],
                    "workload": {"requests_per_month": 1e6},
                }
            ],
        )
    )
    flow = monthly(valid(data))
    assert flow["access_patterns.ByCustomer"] == 1e6
    assert flow["access_patterns.ByStatus"] == 42


def test_stream_sources_invoke_their_consumer_once_per_batch() -> None:
    data = design(
        context(
            commands=[command("Import"), command("Resize")],
            sources=[
                {
                    "name": "Clicks",
                    "kind": "kinesis",
                    "consumer": "Import",
                    "batch_size": 100,
                    "workload": {"requests_per_month": 1e6},
                },
                {
                    "name": "Photos",
                    "kind": "bucket",
                    "consumer": "Resize",
                    "workload": {"requests_per_month": 5000},
                },
            ],
        )
    )
    flow = monthly(valid(data))
    assert flow["commands.Import"] == pytest.approx(10_000)
    assert flow["commands.Resize"] == 5000


def test_webhooks_and_direct_calls_carry_traffic() -> None:
    data = design(
        context(
            commands=[command("Record"), command("Lookup")],
            events=[event("Paid")],
            external_systems=[
                {
                    "name": "Stripe",
                    "workload": {"requests_per_month": 800},
                    "webhook": {
                        "route": "POST /hooks/stripe",
                        "emits": ["Paid"],
                        "command": "Record",
                    },
                }
            ],
            calls=[{"caller": "Record", "callee": "Lookup", "calls_per_invocation": 2.5}],
        )
    )
    flow = monthly(valid(data))
    assert flow["events.Paid"] == 800
    assert flow["commands.Record"] == 800
    assert flow["commands.Lookup"] == 2000


# --- schedules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "runs"),
    [
        ("rate(5 minutes)", HOURS_PER_MONTH * 12),
        ("rate(1 minute)", HOURS_PER_MONTH * 60),
        ("rate(1 hour)", HOURS_PER_MONTH),
        ("rate(2 hours)", HOURS_PER_MONTH / 2),
        ("rate(1 day)", DAYS_PER_MONTH),
        ("cron(0 2 * * ? *)", DAYS_PER_MONTH),
        ("cron(0/15 * * * ? *)", 4 * 24 * DAYS_PER_MONTH),
        ("cron(0 9 ? * MON-FRI *)", 5 * DAYS_PER_MONTH / 7),
        ("cron(0 8,12,18 ? * SAT,SUN *)", 3 * 2 * DAYS_PER_MONTH / 7),
        ("cron(0 0 1 * ? *)", 1),
        ("cron(0 0 1 1 ? *)", 1 / 12),
        ("cron(0 0 L * ? *)", 1),
        ("cron(0 10 ? * 2#1 *)", 1),
        ("at(2026-01-31T09:00:00)", 1),
    ],
)
def test_schedule_runs_per_month(expression: str, runs: float) -> None:
    assert runs_per_month(expression) == pytest.approx(runs)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("cron(0 2 * * * *)", "exactly one of day-of-month and day-of-week must be '?'"),
        ("cron(0 2 * * ?)", "a cron expression has six fields"),
        ("cron(61 * * * ? *)", "'61' is not a valid value of the minutes field (0-59)"),
        ("cron(0 5-2 * * ? *)", "runs backwards"),
        ("cron(0/0 * * * ? *)", "bad step '0'"),
        ("rate(0 minutes)", "a rate must be at least 1"),
        ("rate(2 weeks)", "unknown schedule"),
        ("every day", "unknown schedule"),
    ],
)
def test_unreadable_schedules_are_refused(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        runs_per_month(expression)


def test_a_schedule_feeds_its_command_each_run() -> None:
    data = design(
        context(
            commands=[command("Close day", "Day closed"), command("Sweep")],
            events=[event("Day closed")],
            schedules=[
                {"name": "Nightly", "expression": "cron(0 2 * * ? *)", "command": "Close day"},
                {
                    "name": "Often",
                    "expression": "rate(5 minutes)",
                    "command": "Sweep",
                    "workload": {"requests_per_month": 10},
                },
            ],
        )
    )
    flow = monthly(valid(data))
    assert flow["schedules.Nightly"] == pytest.approx(DAYS_PER_MONTH, abs=1e-3)
    assert flow["events.DayClosed"] == pytest.approx(DAYS_PER_MONTH, abs=1e-3)
    assert flow["commands.Sweep"] == 10, "an explicit volume overrides the expression"


# --- workflows ----------------------------------------------------------------------------------


def started(*steps: dict[str, Any], per_month: float = 1000, **more: Any) -> dict[str, Any]:
    """A design whose workflow W starts per_month times a month, with commands A–E to run."""
    return design(
        context(
            actors=[{"name": "Manager"}],
            commands=[command(c) for c in "ABCDE"],
            workflows=[workflow("W", *steps, workload={"requests_per_month": per_month}, **more)],
        )
    )


def test_a_workflow_runs_its_steps_in_order() -> None:
    flow = monthly(valid(started(task("One", "A"), task("Two", "B"), succeed())))
    assert flow["workflows.W"] == flow["steps.W.One"] == flow["steps.W.Two"] == 1000
    assert flow["steps.W.Done"] == 1000


def test_a_policy_starts_a_workflow_per_event() -> None:
    data = design(
        context(
            commands=[command("Place", "Placed", per_month=700), command("A")],
            events=[event("Placed")],
            policies=[policy("Fulfil", "Placed", workflow="W")],
            workflows=[workflow("W", task("One", "A"))],
        )
    )
    flow = monthly(valid(data))
    assert flow["workflows.W"] == flow["steps.W.One"] == flow["commands.A"] == 700


def test_choice_branches_split_by_their_probabilities() -> None:
    choice = {
        "name": "Size?",
        "choice": [
            {"when": "total > 1000", "next": "Big", "probability": 0.3},
            {"when": "total > 100", "next": "Medium"},
        ],
        "default": "Small",
    }
    flow = monthly(
        valid(
            started(
                choice,
                task("Big", "A", next="Done"),
                task("Medium", "B", next="Done"),
                task("Small", "C", next="Done"),
                succeed(),
            )
        )
    )
    assert flow["steps.W.Big"] == pytest.approx(300)
    # what the given probabilities leave is shared by the branches without one and the default
    assert flow["steps.W.Medium"] == pytest.approx(350)
    assert flow["steps.W.Small"] == pytest.approx(350)
    assert flow["steps.W.Done"] == pytest.approx(1000)


def test_a_choice_whose_probabilities_exceed_one_is_refused() -> None:
    choice = {
        "name": "Size?",
        "choice": [
            {"when": "total > 1000", "next": "Done", "probability": 0.8},
            {"when": "total > 100", "next": "Done", "probability": 0.3},
        ],
    }
    assert problems(started(choice, succeed())) == [
        "contexts.Ordering.workflows.W.steps.Size?.choice: "
        "the branch probabilities add up to 1.1, more than 1"
    ]


def test_map_steps_multiply_by_their_items_and_parallel_branches_each_run() -> None:
    each = {
        "name": "Each line",
        "map": {"items": "$.lines", "items_per_execution": 12, "steps": [task("Ship line", "A")]},
    }
    both = {
        "name": "Both",
        "parallel": [{"steps": [task("Charge", "B")]}, {"steps": [task("Reserve", "C")]}],
    }
    flow = monthly(valid(started(each, both, succeed())))
    assert flow["steps.W.ShipLine"] == flow["commands.A"] == pytest.approx(12_000)
    assert flow["steps.W.Charge"] == flow["steps.W.Reserve"] == pytest.approx(1000)
    assert flow["steps.W.Done"] == pytest.approx(1000)


@pytest.mark.parametrize(
    ("retry", "failure_rate", "attempts", "still_fails"),
    [
        (None, 0.0, 1.0, 0.0),
        (Retry(max_attempts=3), 0.1, 1.111, 0.0001),
        (Retry(max_attempts=1), 0.5, 1.5, 0.25),
        (None, 0.2, 1.0, 0.2),
        (Retry(max_attempts=2), 1.0, 3.0, 1.0),
    ],
)
def test_expected_attempts(
    retry: Retry | None, failure_rate: float, attempts: float, still_fails: float
) -> None:
    assert expected_attempts(retry, failure_rate) == pytest.approx((attempts, still_fails))


def test_retries_multiply_invocations_and_only_final_failures_are_caught() -> None:
    flaky = task("Charge", "A", failure_rate=0.1, on_error=[{"next": "Refund"}])
    once = task("Notify", "B", failure_rate=0.2, retry=False, next="Done")
    result = valid(
        started(
            flaky,
            once,
            {"name": "Refund", "task": "C", "next": "Done"},
            succeed(),
        )
    )
    flow = monthly(result)
    # default retry: three more attempts after the first
    assert invocations(result, "W", "Charge") == pytest.approx(1000 * 1.111)
    assert flow["commands.A"] == pytest.approx(1000 * 1.111)
    assert flow["steps.W.Refund"] == pytest.approx(1000 * 0.1**4)
    assert flow["steps.W.Notify"] == pytest.approx(1000 * (1 - 0.1**4))
    assert invocations(result, "W", "Notify") == pytest.approx(flow["steps.W.Notify"])
    assert flow["steps.W.Done"] == pytest.approx(
        flow["steps.W.Notify"] * 0.8 + flow["steps.W.Refund"]
    )


def test_an_uncaught_failure_runs_the_compensations_of_the_steps_before() -> None:
    result = valid(
        started(
            task("Reserve", "A", compensate="D"),
            task("Charge", "B", failure_rate=0.5, retry=False, compensate="E"),
            task("Ship", "C", failure_rate=0.1, retry=False),
        )
    )
    flow = monthly(result)
    assert flow["commands.D"] == pytest.approx(1000 * 0.5 + 500 * 0.1)
    assert flow["commands.E"] == pytest.approx(500 * 0.1)


def test_an_approval_rejection_goes_to_its_on_reject_step() -> None:
    approval = {
        "name": "Approve",
        "approval": {"approver": "Manager", "rejection_rate": 0.25, "on_reject": "Rejected"},
    }
    flow = monthly(
        valid(
            started(
                approval,
                task("Go", "A", next="Done"),
                task("Rejected", "B", next="Done"),
                succeed(),
            )
        )
    )
    assert flow["steps.W.Go"] == pytest.approx(750)
    assert flow["steps.W.Rejected"] == pytest.approx(250)
    assert flow["steps.W.Done"] == pytest.approx(1000)


def test_a_damped_loop_in_a_workflow_is_accepted() -> None:
    retry_loop = {
        "name": "Ready?",
        "choice": [{"when": "ready", "next": "Done", "probability": 0.75}],
        "default": "Wait",
    }
    wait = {"name": "Wait", "wait": {"seconds": 60}, "next": "Ready?"}
    flow = monthly(valid(started(retry_loop, wait, succeed())))
    # visits of the check: 1000 / (1 - 0.25)
    assert flow["steps.W.Ready"] == pytest.approx(1000 / 0.75)
    assert flow["steps.W.Wait"] == pytest.approx(1000 / 0.75 * 0.25)
    assert flow["steps.W.Done"] == pytest.approx(1000)


# --- cycles -------------------------------------------------------------------------------------


def test_a_damped_cycle_between_commands_is_accepted() -> None:
    data = design(
        context(
            commands=[command("Try", {"event": "Failed", "probability": 0.5}, per_month=1000)],
            events=[event("Failed")],
            policies=[policy("Try again", "Failed", command="Try")],
        )
    )
    flow = monthly(valid(data))
    assert flow["commands.Try"] == pytest.approx(2000)
    assert flow["events.Failed"] == pytest.approx(1000)


def test_a_cycle_that_keeps_all_its_traffic_is_refused() -> None:
    data = design(
        context(
            commands=[command("Place", "Placed", per_month=1000)],
            events=[event("Placed")],
            policies=[policy("Again", "Placed", command="Place")],
        )
    )
    [problem] = problems(data)
    assert problem == (
        "contexts.Ordering.commands.Place: the cycle Place → Placed → Again → Place feeds itself "
        "(gain 1.00); give one of its emits a probability below 1 so that traffic dies out"
    )


def test_a_cycle_that_amplifies_is_refused_even_with_probabilities_below_one() -> None:
    data = design(
        context(
            commands=[
                command(
                    "Split",
                    {"event": "Left", "probability": 0.6},
                    {"event": "Right", "probability": 0.6},
                )
            ],
            events=[event("Left"), event("Right")],
            policies=[
                policy("Again left", "Left", command="Split"),
                policy("Again right", "Right", command="Split"),
            ],
        )
    )
    [problem] = problems(data)
    assert "the cycle Split → " in problem and "feeds itself" in problem


def test_a_cycle_without_traffic_is_still_refused() -> None:
    """An amplifying cycle is a design error even before anyone enters a volume."""
    data = design(
        context(
            commands=[command("Place", "Placed")],
            events=[event("Placed")],
            policies=[policy("Again", "Placed", command="Place")],
        )
    )
    assert "feeds itself" in problems(data)[0]


def test_propagate_sums_inflows_along_a_graph() -> None:
    edges = {"a": [("b", 1.0), ("c", 0.5)], "b": [("d", 2.0)], "c": [("d", 1.0)]}
    totals = propagate(["a", "b", "c", "d"], {"a": 10.0, "c": 1.0}, edges)
    assert totals == {"a": 10.0, "b": 10.0, "c": 6.0, "d": 26.0}


def test_propagate_solves_damped_cycles_exactly() -> None:
    edges = {"a": [("b", 1.0)], "b": [("a", 0.9), ("c", 0.1)]}
    totals = propagate(["a", "b", "c"], {"a": 1.0}, edges)
    assert totals["a"] == pytest.approx(10.0, rel=1e-6)
    assert totals["c"] == pytest.approx(1.0, rel=1e-6)


def test_propagate_names_an_amplifying_cycle() -> None:
    edges = {"a": [("b", 1.0)], "b": [("c", 1.5)], "c": [("a", 1.0)], "x": [("a", 1.0)]}
    with pytest.raises(AmplifyingCycle) as caught:
        propagate(["x", "a", "b", "c"], {"x": 1.0}, edges)
    cycle = caught.value
    assert set(cycle.nodes) == {"a", "b", "c"} and cycle.nodes[0] == cycle.nodes[-1]


def test_the_gain_of_an_amplifying_periodic_cycle_is_reported() -> None:
    """Round the loop the traffic grows 1.5 times, 1.5 ** (1/3) per step: the gain reported
    is at least 1 and at most that spectral radius."""
    edges = {"a": [("b", 1.0)], "b": [("c", 1.5)], "c": [("a", 1.0)], "x": [("a", 1.0)]}
    with pytest.raises(AmplifyingCycle) as caught:
        propagate(["x", "a", "b", "c"], {"x": 1.0}, edges)
    assert 1.0 <= caught.value.gain <= 1.5 ** (1 / 3) + 1e-9


def test_a_damped_periodic_cycle_propagates() -> None:
    edges = {"a": [("b", 0.5)], "b": [("c", 1.0)], "c": [("a", 1.0)]}
    totals = propagate(["a", "b", "c"], {"a": 1.0}, edges)
    assert totals["a"] == pytest.approx(2.0, rel=1e-6)


# --- the benchmark design -----------------------------------------------------------------------


def test_the_large_benchmark_design_is_valid_realistic_and_deterministic() -> None:
    from bench.large_design import make_large_design

    text = make_large_design(seed=7)
    assert make_large_design(seed=7) == text
    assert make_large_design(seed=8) != text
    result = load_design(text)
    counts = {kind: len(result.of_kind(kind)) for kind in result.by_kind}
    assert counts["contexts"] == 12
    assert counts["commands"] == 150 and counts["events"] == 200 and counts["policies"] == 150
    assert counts["aggregates"] == 60 and counts["access_patterns"] == 120
    assert counts["workflows"] == 20 and counts["read_models"] > 0
    assert counts["schedules"] > 0 and counts["sources"] > 0
    states = {w.id: 0 for w in result.of_kind("workflows")}
    for step in result.of_kind("steps"):
        states[step.workflow.id or ""] += 1  # type: ignore[union-attr]
    assert 35 <= max(states.values()) <= 50
    kinds = {step_kind(s.element) for s in result.of_kind("steps")}  # type: ignore[arg-type]
    assert {"task", "choice", "parallel", "map", "approval", "wait", "fail"} <= kinds
    assert any(getattr(s.element, "compensate", None) for s in result.of_kind("steps"))
    assert sum(result.traffic.monthly.values()) > 0
