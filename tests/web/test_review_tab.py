"""The Review tab: findings by severity linking to their stickies, markers, accepting one."""

import re

from fastapi.testclient import TestClient


def _review(client: TestClient, design: str) -> str:
    response = client.get(f"/designs/{design}/previews/review")
    assert response.status_code == 200
    return response.text


def _first_warning(page: str) -> tuple[str, str]:
    group = page.split('id="review-warning"', 1)[1].split("review-group--info", 1)[0]
    found = re.search(r'data-finding="([^"]+)" data-element="([^"]+)"', group)
    assert found, "the starter has no warning"
    return found.group(1), found.group(2)


def test_findings_are_grouped_by_severity_with_counts(client, starter_design):
    page = _review(client, starter_design)
    order = [page.index(f'id="review-{s}"') for s in ("error", "warning", "info", "accepted")]
    assert order == sorted(order)
    assert re.search(r"warning</span> \d+ findings?", page)
    assert "0 accepted" in page


def test_a_finding_links_to_its_sticky_with_href_beside_hx_get(client, starter_design):
    page = _review(client, starter_design)
    _rule, element = _first_warning(page)
    url = f"/designs/{starter_design}/elements/{element}"
    link = f'href="{url}" hx-get="{url}"'
    assert link in page
    assert f'data-select="{element}"' in page


def test_stickies_with_findings_carry_a_marker_and_list_them(client, starter_design):
    rule, element = _first_warning(_review(client, starter_design))
    board = client.get(f"/designs/{starter_design}").text
    sticky = board.split(f'id="s-{element}"', 1)[1].split("</li>", 1)[0]
    assert 'data-review-mark="warning"' in sticky
    inspector = client.get(f"/designs/{starter_design}/elements/{element}").text
    assert "Review findings" in inspector and f"<code>{rule}</code>" in inspector


def test_accepting_needs_a_reason_and_the_csrf_token(client, htmx, starter_design):
    rule, element = _first_warning(_review(client, starter_design))
    url = f"/designs/{starter_design}/review/accept"
    form = {"rule": rule, "element": element, "reason": "  "}
    assert client.post(url, data=form, headers={"HX-Request": "true"}).status_code == 403
    refused = client.post(url, data=form, headers=htmx)
    assert refused.status_code == 422
    assert "a reason is required" in refused.text


def test_an_accepted_finding_stays_visible_with_its_reason(client, htmx, starter_design):
    rule, element = _first_warning(_review(client, starter_design))
    form = {"rule": rule, "element": element, "reason": "Consumers arrive next quarter"}
    answer = client.post(f"/designs/{starter_design}/review/accept", data=form, headers=htmx)
    assert answer.status_code == 200
    assert answer.headers["X-Design-Revision"] == "2"
    accepted = answer.text.split('id="review-accepted"', 1)[1]
    assert f'data-finding="{rule}" data-element="{element}"' in accepted
    assert "Accepted: Consumers arrive next quarter" in accepted
    storm = client.get(f"/designs/{starter_design}/storm.yaml").text
    assert f"rule: {rule}" in storm and "reason: Consumers arrive next quarter" in storm
    history = client.get(f"/designs/{starter_design}/history").text
    assert f"Accepted {rule}" in history
    again = client.post(f"/designs/{starter_design}/review/accept", data=form, headers=htmx)
    assert again.status_code == 409


def test_a_finding_about_the_design_itself_can_be_accepted():
    import pytest

    from app.services.edits import EditRefused
    from app.services.review import accept_finding

    data = {"name": "Shop", "contexts": [], "accepted_findings": []}
    outcome = accept_finding(data, "rest-api-without-rest-features", "dsg-shop1", " HTTP API ")
    assert outcome.data["accepted_findings"] == [
        {"rule": "rest-api-without-rest-features", "element": "dsg-shop1", "reason": "HTTP API"}
    ]
    assert data["accepted_findings"] == []
    with pytest.raises(EditRefused) as gone:
        accept_finding(data, "open-hotspot", "hot-nothere", "why")
    assert gone.value.status == 404
