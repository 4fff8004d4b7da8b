"""The Table plan tab: each access pattern's operation and its proof, run only when asked."""

import re

from fastapi.testclient import TestClient

from app.proofs.table import PatternProof, ProofReport
from app.services import table_proof as proofs


def test_the_tab_asks_for_the_proof_lazily(client: TestClient, starter_design, monkeypatch):
    def no_proof(*_args):
        raise AssertionError("the tab itself must not run the proof")

    monkeypatch.setattr(proofs, "prove_table", no_proof)
    tab = client.get(f"/designs/{starter_design}/previews/table").text
    assert re.search(
        rf'hx-get="/designs/{starter_design}/table-proof\?v=\w+" hx-trigger="revealed"', tab
    )
    assert "Prove on an emulated table" in tab


def test_each_pattern_shows_its_operation_and_proof(client: TestClient, starter_design):
    answer = client.get(f"/designs/{starter_design}/table-proof")
    assert answer.status_code == 200
    row = answer.text.split('data-pattern="OrderWithLines"', 1)[1].split("</tr>", 1)[0]
    assert "Order with lines" in row and "<code>Query</code>" in row
    assert re.search(r"proven</span> on \d+ items?", row)
    assert re.search(r"(\d+) of \1 access patterns proven on \d+ sample items\.", answer.text)


def test_a_failing_pattern_says_why_and_proofs_are_cached(
    client: TestClient, starter_design, monkeypatch
):
    calls = []
    report = ProofReport(
        "Shop",
        12,
        [
            PatternProof("A", "Find by colour", False, 0, "not served: no index", ""),
            PatternProof("B", "Orders of customer", True, 3, "", "Query"),
        ],
    )

    def fake(valid):
        calls.append(valid)
        return report

    monkeypatch.setattr(proofs, "prove_table", fake)
    monkeypatch.setattr(proofs, "_PROOFS", proofs.OrderedDict())
    first = client.get(f"/designs/{starter_design}/table-proof").text
    client.get(f"/designs/{starter_design}/table-proof")
    assert len(calls) == 1
    assert "1 of 2 access patterns proven on 12 sample items; <strong>1 failed</strong>" in first
    failed = first.split('data-pattern="A"', 1)[1].split("</tr>", 1)[0]
    assert "<code>—</code>" in failed and "failed</span> not served: no index" in failed
    assert "proven</span> on 3 items" in first


def test_the_table_plan_tab_shows_keys_operations_and_sample_items(client, starter_design):
    tab = client.get(f"/designs/{starter_design}/previews/table")
    assert tab.status_code == 200
    assert "Where each kind of data is kept" in tab.text
    assert "How each access pattern is answered" in tab.text
    assert "Orders by customer" in tab.text
    assert "Sample items, as stored" in tab.text
    # Stored items carry the planned keys, shown as data (escaped), not markup.
    assert "&#34;PK&#34;: &#34;" in tab.text and "&#34;entity&#34;: &#34;Order&#34;" in tab.text
