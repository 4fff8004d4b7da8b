"""The Workflows tab's dry runs: run on click, cached, replayable on the state machine."""

import json
import re
from html import unescape

from fastapi.testclient import TestClient

from app.proofs.workflows import RunReport
from app.services import dry_runs


def _panel(client: TestClient, design: str) -> str:
    return client.get(f"/designs/{design}/previews/workflows").text


def test_the_tab_offers_scenarios_and_runs_nothing(client, starter_design, monkeypatch):
    def no_run(*_args):
        raise AssertionError("the tab itself must not run a workflow")

    monkeypatch.setattr(dry_runs, "simulate", no_run)
    tab = _panel(client, starter_design)
    assert "Dry run: " in tab
    assert f'hx-get="/designs/{starter_design}/workflows/FulfilOrder/dry-run"' in tab
    assert '<option value="happy path">happy path</option>' in tab
    assert '<option value="Charge payment fails">' in tab


def test_a_run_lists_its_states_and_steps_through_the_diagram(client, starter_design):
    answer = client.get(
        f"/designs/{starter_design}/workflows/FulfilOrder/dry-run",
        params={"scenario": "Reserve stock fails"},
    )
    assert answer.status_code == 200
    states = re.findall(r'<li data-step="\d+">([^<]+)</li>', answer.text)
    assert states[0] == "Reserve stock" and len(states) >= 2
    steps = json.loads(unescape(re.search(r'data-steps="([^"]*)"', answer.text).group(1)))
    assert len(steps) == len(states) and all(re.fullmatch(r"n\d+", s) for s in steps)
    for node_id in steps:
        assert f"<title>{node_id}</title>" in answer.text
    assert "Reserve stock 3×" in answer.text
    assert "<strong>Error:</strong>" in answer.text
    assert "<?xml" not in answer.text


def test_runs_are_cached_by_content_and_scenario(client, starter_design, monkeypatch):
    calls = []
    report = RunReport(
        "FulfilOrder", "happy path", "all goes well", "SUCCEEDED", ("Reserve stock",), {}, {"a": 1}
    )

    def fake(valid, workflow, scenario):
        calls.append((workflow, scenario))
        return [report]

    monkeypatch.setattr(dry_runs, "simulate", fake)
    monkeypatch.setattr(dry_runs, "_RUNS", dry_runs.OrderedDict())
    url = f"/designs/{starter_design}/workflows/FulfilOrder/dry-run"
    first = client.get(url, params={"scenario": "happy path"}).text
    client.get(url, params={"scenario": "happy path"})
    client.get(url, params={"scenario": "Charge payment fails"})
    assert calls == [("FulfilOrder", "happy path"), ("FulfilOrder", "Charge payment fails")]
    assert "Retries:</strong> none" in first and '"a": 1' in first


def test_an_unknown_workflow_or_scenario_says_so(client, starter_design):
    base = f"/designs/{starter_design}/workflows"
    answer = client.get(f"{base}/NoSuch/dry-run", params={"scenario": "happy path"})
    assert answer.status_code == 200 and "no workflow &#39;NoSuch&#39;" in answer.text
    answer = client.get(f"{base}/FulfilOrder/dry-run", params={"scenario": "<b>x</b>"})
    assert "no scenario &#39;&lt;b&gt;x&lt;/b&gt;&#39;" in answer.text
