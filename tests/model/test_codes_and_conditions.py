"""Code names derived from display names, and the condition language of workflows."""

from __future__ import annotations

import pytest

from app.model.codes import CodeNameError, derive_code, kebab, snake
from app.model.expressions import (
    And,
    Compare,
    ConditionError,
    Exists,
    Not,
    Or,
    Path,
    Truthy,
    condition_paths,
    parse_condition,
)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Place order", "PlaceOrder"),
        ("placeOrder", "PlaceOrder"),
        ("order-line item", "OrderLineItem"),
        ("Bestellung prüfen", "BestellungPrufen"),
        ("Commande passée", "CommandePassee"),
        ("注文", "ZhuWen"),
        ("Заказ оформлен", "ZakazOformlen"),
        ("  spaced   out  ", "SpacedOut"),
        ("<script>alert(1)</script>", "ScriptAlert1Script"),
    ],
)
def test_code_names_are_ascii_pascal_case(name: str, code: str) -> None:
    assert derive_code(name) == code


@pytest.mark.parametrize("name", ["!!!", "—", "2FA check", "x" * 65])
def test_underivable_code_names_ask_for_an_explicit_code(name: str) -> None:
    with pytest.raises(CodeNameError, match="set .*'code' explicitly"):
        derive_code(name)


def test_case_forms() -> None:
    assert snake("PlaceOrder") == "place_order"
    assert snake("HTTPRequestLog") == "http_request_log"
    assert kebab("OrderLine2Item") == "order-line2-item"


def test_conditions_parse_with_precedence() -> None:
    cond = parse_condition('total > 100 and status == "APPROVED" or not exists(note)')
    assert cond == Or(
        (
            And((Compare(Path("total"), ">", 100), Compare(Path("status"), "==", "APPROVED"))),
            Not(Exists(Path("note"))),
        )
    )
    assert parse_condition("flag") == Truthy(Path("flag"))
    assert parse_condition("a.b[2] >= c.d") == Compare(Path("a.b[2]"), ">=", Path("c.d"))
    assert parse_condition(r'x == "say \"hi\""') == Compare(Path("x"), "==", 'say "hi"')


def test_condition_literals_and_paths() -> None:
    cond = parse_condition("(score <= 0.75) and kind != null and ok == true")
    assert condition_paths(cond) == ["score", "kind", "ok"]
    assert parse_condition("n == -3") == Compare(Path("n"), "==", -3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("total >", "needs a value"),
        ("total > true", "cannot compare"),
        ("(a and b", "missing ')'"),
        ("a b", "unexpected 'b'"),
        ("a = 1", "unexpected"),
        ("exists x", "exists(field)"),
    ],
)
def test_unreadable_conditions_say_why(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_condition(text)
