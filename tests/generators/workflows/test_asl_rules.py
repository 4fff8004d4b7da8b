"""State names, conditions, located design errors, our own checks, the state graph, determinism."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from app.generators.workflows import check_state_machine, state_graph, state_machines
from app.generators.workflows.conditions import choice_rule
from app.generators.workflows.names import MAX_STATE_NAME, StateNames, safe_state_name
from app.model import DesignError, load_design
from app.proofs.asl_validator import validate_definitions
from tests.generators.workflows.factories import (
    DESIGNS,
    HERE,
    STARTERS,
    design_text,
    load,
    machine,
    states,
)

# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Reserve stock", "Reserve stock"),
        ('<script>alert("x")</script>', "script alert( x ) script"),
        ("${AWS::AccountId} $.States[0]", "AWS AccountId .States 0"),
        ("注文を確認する", "注文を確認する"),
        ("a\u202eb\u200bc\td", "a b c d"),
        ("Big?", "Big?"),
        ("$$$", ""),
    ],
)
def test_safe_state_names_keep_words_and_drop_syntax(name: str, safe: str) -> None:
    assert safe_state_name(name) == safe


def test_state_names_are_unique_short_and_stable() -> None:
    names = StateNames()
    long = "x" * 200
    claimed = [names.claim(n, "Fallback") for n in ("Pay", "pay", "$$$", long, long)]
    assert claimed[:3] == ["Pay", "pay (2)", "Fallback"]
    assert [len(n) for n in claimed[3:]] == [MAX_STATE_NAME, MAX_STATE_NAME]
    assert claimed[4].endswith(" (2)")


def test_hostile_names_give_valid_asl_with_inert_state_names() -> None:
    built = machine("hostile-names", "Flow0")
    every = states(built.asl)
    assert all(len(n) <= MAX_STATE_NAME for n in every)
    assert all(not set(n) & set('"$<>{}[]\\\u202e\u200b\t') for n in every)
    assert "注文を確認する" in every
    assert check_state_machine(built.asl) == []
    verdict = validate_definitions({"hostile": built.asl})["hostile"]
    assert verdict.valid, verdict.messages
    # Hostile text stays data: it is in Fail causes and comments, escaped by the serializer.
    text = json.dumps(built.asl)
    assert json.loads(text) == built.asl


# --- conditions --------------------------------------------------------------------------------


def test_conditions_become_guarded_jsonpath_rules() -> None:
    assert choice_rule('status == "PAID"') == {
        "And": [
            {"Variable": "$.status", "IsPresent": True},
            {"Variable": "$.status", "StringEquals": "PAID"},
        ]
    }
    assert choice_rule("exists(order.coupon)") == {"Variable": "$.order.coupon", "IsPresent": True}
    assert choice_rule("total != 0") == {
        "Not": {
            "And": [
                {"Variable": "$.total", "IsPresent": True},
                {"Variable": "$.total", "NumericEquals": 0},
            ]
        }
    }
    assert choice_rule("a > 1 or b")["Or"][1]["And"][1] == {
        "Variable": "$.b",
        "BooleanEquals": True,
    }
    assert choice_rule("note == null")["And"][1] == {"Variable": "$.note", "IsNull": True}


def test_path_to_path_comparisons_use_the_input_field_types() -> None:
    from app.model.types import FieldType

    fields = {"due": FieldType(type="datetime"), "name": FieldType(type="string")}
    assert choice_rule("due < paidAt", fields)["And"][1] == {
        "Variable": "$.due",
        "TimestampLessThanPath": "$.paidAt",
    }
    assert choice_rule("name == other", fields)["And"][1]["StringEqualsPath"] == "$.other"
    assert choice_rule("x >= y")["And"][1]["NumericGreaterThanEqualsPath"] == "$.y"


# --- design errors -----------------------------------------------------------------------------

APPROVAL_IN_EXPRESS = """\
      - name: Quick check
        type: express
        steps:
          - name: Ask
            approval: {approver: Clerk}
          - name: Done
            succeed: {}
"""

CHOICE_WITHOUT_WAY_ON = """\
      - name: Route
        steps:
          - name: Pay
            task: Pay
          - name: Which way?
            choice:
              - when: total > 10
                next: Pay
                probability: 0.5
"""

INLINE_TOLERANCE = """\
      - name: Sweep
        steps:
          - name: Each
            map:
              items: things
              mode: inline
              tolerated_failure_percentage: 5
              steps:
                - name: Pay
                  task: Pay
"""

RESULT_OVERWRITES_INPUT = """\
      - name: Settle
        input: {pay: string}
        steps:
          - name: Pay
            task: Pay
"""


@pytest.mark.parametrize(
    ("workflow", "path", "words"),
    [
        (APPROVAL_IN_EXPRESS, "contexts.Shop.workflows.Quick check.type", "cannot be Express"),
        (
            CHOICE_WITHOUT_WAY_ON,
            "contexts.Shop.workflows.Route.steps.Which way?.default",
            "add 'default'",
        ),
        (
            INLINE_TOLERANCE,
            "contexts.Shop.workflows.Sweep.steps.Each.map.tolerated_failure_percentage",
            "distributed",
        ),
        (
            RESULT_OVERWRITES_INPUT,
            "contexts.Shop.workflows.Settle.steps.Pay.name",
            "overwrite an input field",
        ),
    ],
)
def test_what_asl_cannot_express_is_a_located_design_error(
    workflow: str, path: str, words: str
) -> None:
    valid = load_design(design_text(workflow, ["Pay"]))
    with pytest.raises(DesignError) as caught:
        state_machines(valid)
    problems = caught.value.problems
    assert {p.path for p in problems} == {path}
    assert any(words in p.message for p in problems)


# --- our own checks ----------------------------------------------------------------------------


def test_own_checks_find_broken_state_machines() -> None:
    broken = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": "x",
                "Next": "Nowhere",
                "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}, {"ErrorEquals": []}],
                "Catch": [{"ErrorEquals": ["States.ALL", "X"], "Next": "A"}],
            },
            "B": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "A"}],
            },
            "C": {"Type": "Pass", "End": True, "Next": "A"},
        },
    }
    found = "\n".join(check_state_machine(broken))
    for words in (
        "A: next goes to 'Nowhere'",
        "Retry[0].BackoffRate",
        "Retry[0]: a States.ALL retrier must come last",
        "Retry[1].ErrorEquals",
        "Catch[0].ErrorEquals: States.ALL must stand alone",
        "B: a choice needs a Default",
        "C: needs exactly one of Next or End",
        "States.B: not reachable",
        "States.C: not reachable",
    ):
        assert words in found
    assert check_state_machine(
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
    ) == ["States: no state ends the execution"]


# --- graph -------------------------------------------------------------------------------------


def test_state_graph_has_every_kind_of_edge_for_diagrams() -> None:
    nodes, edges = state_graph(machine("saga-trip", "BookTrip").asl)
    by_name = {n.name: n for n in nodes}
    assert by_name["Reserve flight"].start and by_name["Trip booked"].end
    assert by_name["Undo Reserve car"].compensation
    kinds = {(e.source, e.target): e.kind for e in edges}
    assert kinds[("Reserve flight", "Reserve hotel")] == "next"
    assert kinds[("Reserve flight", "Reserve flight")] == "retry-loop"
    assert kinds[("Charge card", "Undo Reserve car")] == "catch"
    assert kinds[("Undo Reserve car", "Undo Reserve hotel")] == "compensation"
    assert ("Charge card", "Charge card") not in kinds, "retry: false draws no retry loop"
    _, fan_edges = state_graph(machine("fan-out-enrich", "EnrichCustomer").asl)
    assert {e.kind for e in fan_edges} >= {"branch", "choice", "default", "catch", "next"}


# --- determinism -------------------------------------------------------------------------------


def test_output_is_the_same_under_another_hash_seed() -> None:
    script = textwrap.dedent(
        """
        import glob, hashlib, sys
        from app.model import load_design
        from app.generators.workflows import workflow_files
        digest = hashlib.sha256()
        for path in sorted(glob.glob(sys.argv[1] + "/*.storm.yaml")):
            for artifact in workflow_files(load_design(open(path, encoding="utf-8").read())):
                digest.update(artifact.path.encode() + artifact.content)
        print(digest.hexdigest())
        """
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script, str(DESIGNS)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=HERE.parents[2],
        ).stdout
        for seed in ("1", "4242")
    }
    assert len(runs) == 1


def test_the_same_design_gives_the_same_bytes() -> None:
    from app.generators.workflows import workflow_files

    path = DESIGNS / "saga-trip.storm.yaml"
    first = [(a.path, a.sha256) for a in workflow_files(load(path))]
    assert first == [(a.path, a.sha256) for a in workflow_files(load(path))]


def test_a_type_set_in_the_design_wins_and_the_reason_says_what_would_be_chosen() -> None:
    quick = """\
      - name: Quick
        type: express
        steps:
          - name: Pay
            task: Pay
"""
    (built,) = state_machines(load_design(design_text(quick, ["Pay"])))
    assert built.kind.type == "EXPRESS"
    assert built.kind.reason.startswith(
        "Express, as the design sets (type: express); left alone, it would be: Standard: it is "
        "short enough for Express"
    )
    starter = next(iter(state_machines(load(STARTERS / "order-processing.storm.yaml"))))
    assert "(type: standard); it would be chosen anyway: Standard: it waits for a person" in (
        starter.kind.reason
    )


def test_free_text_cannot_pose_as_a_definition_substitution() -> None:
    built = machine("hostile-names", "Flow0")
    placeholders = set(built.needs.substitutions)
    text = json.dumps(built.asl, ensure_ascii=False)
    assert set(re.findall(r"\$\{([^}]*)\}", text)) <= placeholders
    assert "$ {Cause}" in states(built.asl)["quoted end"]["Cause"]


SERVICES = """\
      - name: Keep
        input: {orderId: string, total: number}
        steps:
          - name: Read order
            service: dynamodb:getItem
            target: Order
          - name: Save order
            service: dynamodb:putItem
            target: Order
            input: {orderId: orderId, total: total, paid: paid}
          - name: Mark order
            service: dynamodb:updateItem
            target: Order
          - name: Queue it
            service: sqs:sendMessage
            input: {orderId: orderId}
          - name: Tell them
            service: sns:publish
          - name: Announce
            service: events:putEvents
            target: Order kept
          - name: Call pay
            service: lambda:invoke
            target: Pay
"""
ORDER = """\
    aggregates:
      - name: Order
        attributes: {orderId: string, total: number, paid: boolean}
    events:
      - name: Order kept
"""


def test_direct_service_calls_use_their_integrations_and_least_privilege() -> None:
    (built,) = state_machines(load_design(design_text(SERVICES, ["Pay"], ORDER)))
    every = built.asl["States"]
    resources = [every[n]["Resource"] for n in ("Read order", "Queue it", "Tell them", "Call pay")]
    assert resources == [
        "arn:aws:states:::dynamodb:getItem",
        "arn:aws:states:::sqs:sendMessage",
        "arn:aws:states:::sns:publish",
        "arn:aws:states:::lambda:invoke",
    ]
    key = {"S.$": "States.Format('ORDER#{}', $.orderId)"}
    assert every["Read order"]["Parameters"] == {
        "TableName": "${TableName}",
        "Key": {"PK": key, "SK": key},
    }
    item = every["Save order"]["Parameters"]["Item"]
    assert item["total"] == {"N.$": "States.Format('{}', $.total)"}
    assert item["paid"] == {"BOOL.$": "$.paid"}
    assert every["Mark order"]["Parameters"]["UpdateExpression"] == "SET #updatedBy = :updatedBy"
    assert every["Queue it"]["Parameters"] == {
        "QueueUrl": "${KeepQueueItQueueUrl}",
        "MessageBody": {"orderId.$": "$.orderId"},
    }
    assert "DynamoDB.ThrottlingException" in every["Save order"]["Retry"][0]["ErrorEquals"]
    policy = {tuple(s["Action"]): s["Resource"] for s in built.needs.iam_json()["Statement"]}
    assert policy[("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")] == [
        "${TableArn}"
    ]
    assert policy[("sqs:SendMessage",)] == ["${KeepQueueItQueueArn}"]
    assert policy[("events:PutEvents",)] == ["${EventBusArn}"]
    assert built.needs.substitutions["KeepQueueItQueueUrl"] == {
        "resource": "queue",
        "attribute": "QueueUrl",
        "element": "KeepQueueIt",
    }
    assert check_state_machine(built.asl) == []
    assert validate_definitions({"services": built.asl})["services"].valid
