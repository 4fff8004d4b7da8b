"""The cost tab in the studio: the estimate, its projections and savings, and the what-if
control recomputing it under other assumptions."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.generators.cost.what_if import parse_what_if, what_if_estimate
from app.model import load_design


def valid_of(app: FastAPI, design_id: str):
    return load_design(app.state.studio.document(design_id).text)


def test_the_cost_tab_shows_the_estimate_and_the_control(
    client: TestClient, starter_design: str
) -> None:
    tab = client.get(f"/designs/{starter_design}/previews/cost")
    assert tab.status_code == 200
    assert 'id="projections"' in tab.text and "Ways to spend less" in tab.text
    assert 'hx-get="/designs/' + starter_design + '/what-if"' in tab.text
    assert 'name="memory.PlaceOrder"' in tab.text, "memory per function"


def test_the_control_answers_with_the_same_figures_as_the_cost_model(
    app: FastAPI, client: TestClient, starter_design: str
) -> None:
    query = {"traffic": "2", "architecture": "arm64", "memory.PlaceOrder": "256", "memory_mb": ""}
    expected = what_if_estimate(
        valid_of(app, starter_design),
        parse_what_if({"traffic": 2, "architecture": "arm64", "memory": {"PlaceOrder": 256}}),
    ).to_json()
    answer = client.get(f"/api/designs/{starter_design}/what-if", params=query)
    assert answer.status_code == 200
    assert answer.json() == expected
    assert expected["total"] > expected["base_total"]
    shown = client.get(f"/designs/{starter_design}/what-if", params=query)
    assert f'data-what-if-total="{expected["total"]}"' in shown.text
    assert f"against ${expected['base_total']:,.2f}" in shown.text


def test_arm64_saves_and_the_difference_is_shown_per_service(
    client: TestClient, starter_design: str
) -> None:
    found = client.get(
        f"/api/designs/{starter_design}/what-if", params={"architecture": "x86_64"}
    ).json()
    saving = client.get(
        f"/api/designs/{starter_design}/what-if", params={"architecture": "arm64"}
    ).json()
    assert saving["total"] <= found["total"]
    shown = client.get(f"/designs/{starter_design}/what-if", params={"architecture": "x86_64"})
    assert 'id="what-if-services"' in shown.text and "Lambda" in shown.text


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ({"traffic": "lots"}, "traffic"),
        ({"traffic": "5000"}, "traffic"),
        ({"memory_mb": "64"}, "memory_mb"),
        ({"memory.PlaceOrder": "99999"}, "memory.PlaceOrder"),
        ({"architecture": "sparc"}, "architecture"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_wrong_value_is_named(client: TestClient, starter_design: str, query, where) -> None:
    shown = client.get(f"/designs/{starter_design}/what-if", params=query)
    assert shown.status_code == 422
    assert f"<code>{where}</code>" in shown.text
    api = client.get(f"/api/designs/{starter_design}/what-if", params=query)
    assert api.status_code == 422
    assert where in api.text
