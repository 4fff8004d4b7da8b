"""Four well-known workflow shapes, asserting the structure a Step Functions expert would write.

Saga with compensation, human approval with a timeout, Map over order lines with a failing item,
Parallel fan-out / fan-in: which states retry, where catches go, the order of compensations.
"""

from __future__ import annotations

from tests.generators.workflows.factories import (
    catch_targets,
    chain,
    machine,
    retried_errors,
    states,
)

LAMBDA_TRANSIENT = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]


# --- saga with compensation -------------------------------------------------------------------


def test_saga_compensates_completed_steps_newest_first_then_fails_with_the_cause() -> None:
    asl = machine("saga-trip", "BookTrip").asl
    every = states(asl)
    # Charging fails after the car, hotel and flight were reserved: undo them, newest first.
    entry = catch_targets(every["Charge card"])["States.ALL"]
    assert chain(asl, entry) == [
        "Undo Reserve car",
        "Undo Reserve hotel",
        "Undo Reserve flight",
        "Book trip failed",
    ]
    failed = every["Book trip failed"]
    assert failed["Type"] == "Fail"
    assert failed["Error"] == "BookTripFailed"
    assert failed["CausePath"] == "$.error.Cause"
    # Every catch keeps the state and records the error in one place.
    for state in every.values():
        for catch in state.get("Catch", []):
            assert catch["ResultPath"] in ("$.error", "$.compensationError")


def test_saga_chains_share_their_tails_and_the_first_step_fails_directly() -> None:
    asl = machine("saga-trip", "BookTrip").asl
    every = states(asl)
    assert catch_targets(every["Reserve flight"]) == {"States.ALL": "Book trip failed"}
    assert catch_targets(every["Reserve hotel"]) == {"States.ALL": "Undo Reserve flight"}
    assert catch_targets(every["Reserve car"]) == {"States.ALL": "Undo Reserve hotel"}
    # Confirming fails after the charge: refund first, then release the bookings.
    assert chain(asl, catch_targets(every["Confirm trip"])["States.ALL"])[:2] == [
        "Undo Charge card",
        "Undo Reserve car",
    ]
    assert sum(1 for name in every if name.startswith("Undo ")) == 4


def test_saga_tasks_retry_transient_errors_with_backoff_and_full_jitter() -> None:
    every = states(machine("saga-trip", "BookTrip").asl)
    flight = every["Reserve flight"]["Retry"]
    assert flight == [
        {
            "ErrorEquals": LAMBDA_TRANSIENT,
            "IntervalSeconds": 2,
            "MaxAttempts": 3,
            "BackoffRate": 2.0,
            "MaxDelaySeconds": 60,
            "JitterStrategy": "FULL",
        }
    ]
    car = every["Reserve car"]["Retry"][0]
    assert (car["MaxAttempts"], car["IntervalSeconds"], car["MaxDelaySeconds"]) == (5, 1, 20)
    assert "Retry" not in every["Charge card"], "retry: false turns retries off"


def test_compensations_retry_harder_and_never_compensate_themselves() -> None:
    every = states(machine("saga-trip", "BookTrip").asl)
    undo = every["Undo Reserve hotel"]
    assert undo["Parameters"] == {"FunctionName": "${CancelHotelFunctionArn}", "Payload.$": "$"}
    assert undo["ResultPath"] is None, "a compensation keeps the state and the error intact"
    assert undo["Retry"][0]["MaxAttempts"] == 5
    assert "States.TaskFailed" in retried_errors(undo)
    assert catch_targets(undo) == {"States.ALL": "Book trip compensation failed"}
    assert every["Book trip compensation failed"]["CausePath"] == "$.compensationError.Cause"


def test_a_task_invokes_its_function_with_its_payload_and_keeps_the_state() -> None:
    flight = states(machine("saga-trip", "BookTrip").asl)["Reserve flight"]
    assert flight["Resource"] == "arn:aws:states:::lambda:invoke"
    assert flight["Parameters"] == {
        "FunctionName": "${ReserveFlightFunctionArn}",
        "Payload": {"tripId.$": "$.tripId"},
    }
    assert flight["ResultSelector"] == {"Payload.$": "$.Payload"}
    assert flight["ResultPath"] == "$.reserveFlight"


# --- human approval with a timeout -------------------------------------------------------------


def test_approval_waits_for_a_task_token_with_timeout_and_heartbeat() -> None:
    built = machine("approval-expense", "ApproveExpense")
    approval = states(built.asl)["Manager approval"]
    assert approval["Resource"] == "arn:aws:states:::sns:publish.waitForTaskToken"
    assert approval["Parameters"]["TopicArn"] == "${ManagerApprovalTopicArn}"
    assert approval["Parameters"]["Message"]["taskToken.$"] == "$$.Task.Token"
    assert (approval["TimeoutSeconds"], approval["HeartbeatSeconds"]) == (86400, 3600)
    assert "Retry" not in approval, "a person's decision is never retried"
    assert catch_targets(approval) == {
        "Approval.Rejected": "Notify rejection",
        "States.Timeout": "Escalate expense",
        "States.HeartbeatTimeout": "Escalate expense",
    }
    assert chain(built.asl, "Notify rejection") == ["Notify rejection", "Rejected"]
    assert built.kind.type == "STANDARD"
    assert "person" in built.kind.reason and "task-token" in built.kind.reason


def test_approval_notifies_only_its_approvers_topic() -> None:
    built = machine("approval-expense", "ApproveExpense")
    policy = built.needs.iam_json()["Statement"]
    publish = next(s for s in policy if s["Action"] == ["sns:Publish"])
    assert publish["Resource"] == ["${ManagerApprovalTopicArn}"]


def test_a_task_with_a_timeout_also_retries_timeouts() -> None:
    pay = states(machine("approval-expense", "ApproveExpense").asl)["Pay expense"]
    assert pay["TimeoutSeconds"] == 30
    assert retried_errors(pay) == [*LAMBDA_TRANSIENT, "States.Timeout"]


# --- Map over order lines ----------------------------------------------------------------------


def test_map_over_order_lines_runs_inline_with_its_concurrency_and_catches_as_a_whole() -> None:
    every = states(machine("map-order-lines", "PickOrder").asl)
    lines = every["Pick every line"]
    assert lines["Type"] == "Map"
    assert lines["ItemsPath"] == "$.order.lines"
    assert lines["MaxConcurrency"] == 5
    assert lines["ItemProcessor"]["ProcessorConfig"] == {"Mode": "INLINE"}
    assert lines["ItemProcessor"]["StartAt"] == "Reserve line"
    assert "Retry" not in lines, "a retry would rerun every line; the lines retry themselves"
    assert catch_targets(lines) == {"States.ALL": "Cancel order"}
    reserve = every["Reserve line"]
    assert retried_errors(reserve) == ["Stock.Busy", *LAMBDA_TRANSIENT]
    assert reserve["Retry"][0]["MaxAttempts"] == 2


def test_a_large_item_set_goes_to_a_distributed_map_with_express_children() -> None:
    built = machine("map-order-lines", "ReindexCatalog")
    products = built.asl["States"]["Reindex every product"]
    assert products["ItemProcessor"]["ProcessorConfig"] == {
        "Mode": "DISTRIBUTED",
        "ExecutionType": "EXPRESS",
    }
    assert products["ToleratedFailurePercentage"] == 2
    assert products["Label"] == "ReindexEveryProduct"
    assert built.kind.type == "STANDARD" and "distributed map" in built.kind.reason
    actions = {a for s in built.needs.iam_json()["Statement"] for a in s["Action"]}
    assert {"states:StartExecution", "dynamodb:UpdateItem", "lambda:InvokeFunction"} <= actions


# --- Parallel fan-out / fan-in -----------------------------------------------------------------


def test_fan_out_runs_each_check_in_its_own_branch_and_joins_before_deciding() -> None:
    built = machine("fan-out-enrich", "EnrichCustomer")
    run = built.asl["States"]["Run checks"]
    assert run["Type"] == "Parallel"
    assert [b["StartAt"] for b in run["Branches"]] == [
        "Check credit",
        "Check fraud",
        "Verify address",
    ]
    assert all(len(b["States"]) == 1 for b in run["Branches"])
    assert run["ResultPath"] == "$.runChecks"
    assert run["Next"] == "All clear?"
    assert catch_targets(run) == {"States.ALL": "Refer to underwriter"}
    assert "Retry" not in run
    for branch in run["Branches"]:
        (task,) = branch["States"].values()
        assert task["End"] is True and task["Retry"][0]["JitterStrategy"] == "FULL"


def test_fan_in_decision_reads_branch_results_with_guarded_jsonpath_rules() -> None:
    decide = machine("fan-out-enrich", "EnrichCustomer").asl["States"]["All clear?"]
    score = "$.runChecks[0].checkCredit.Payload.score"
    flagged = "$.runChecks[1].checkFraud.Payload.flagged"
    assert decide["Choices"] == [
        {
            "And": [
                {
                    "And": [
                        {"Variable": score, "IsPresent": True},
                        {"Variable": score, "NumericGreaterThanEquals": 600},
                    ]
                },
                {
                    "Not": {
                        "And": [
                            {"Variable": flagged, "IsPresent": True},
                            {"Variable": flagged, "BooleanEquals": True},
                        ]
                    }
                },
            ],
            "Next": "Announce enriched",
        }
    ]
    assert decide["Default"] == "Refer to underwriter"


def test_short_high_volume_work_runs_express_and_says_why() -> None:
    built = machine("fan-out-enrich", "EnrichCustomer")
    assert built.kind.type == "EXPRESS"
    assert "2,000,000 times a month" in built.kind.reason
    assert "idempotent" in built.kind.reason


def test_events_are_put_on_the_bus_directly() -> None:
    announce = machine("fan-out-enrich", "EnrichCustomer").asl["States"]["Announce enriched"]
    assert announce["Resource"] == "arn:aws:states:::events:putEvents"
    (entry,) = announce["Parameters"]["Entries"]
    assert entry == {
        "EventBusName": "${EventBusName}",
        "Source": "Customers",
        "DetailType": "CustomerEnriched",
        "Detail": {"customerId.$": "$.customerId"},
    }
