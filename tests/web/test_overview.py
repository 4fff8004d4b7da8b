"""The review view: what a stakeholder reads at /designs/{id}/overview, for each role."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from app.services.previews import preview
from app.services.review import design_review
from tests.accounts import COOKIE, signed_in_cookie

ROOT = Path(__file__).resolve().parents[2]
PATH = "/designs/{design_id}/overview"


class _Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, and headings' text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[str] = []
        self.sections: list[str] = []
        """The text of each h2, in order."""
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in {"h1", "h2", "h3"}:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "h3"} and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            if tag == "h2":
                self.sections.append(self.headings[-1])
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _text(html: str) -> str:
    """The page's visible words, spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", html.replace("<wbr>", ""))
    words = " ".join(without_tags.replace("&amp;", "&").replace("&#39;", "'").split())
    return re.sub(r" ([:;,.])", r"\1", words)


def _starter_text() -> str:
    return (ROOT / "catalog" / "starters" / "order-processing.storm.yaml").read_text("utf-8")


def _document(client: TestClient, design_id: str) -> tuple[str, str]:
    """The digest and text the studio holds for a design."""
    studio = client.app.state.studio  # type: ignore[attr-defined]
    document = studio.document(design_id)
    return document.digest, document.text


def test_the_owner_reads_every_section_with_a_summary_on_top(client, starter_design):
    response = client.get(f"/designs/{starter_design}/overview")
    assert response.status_code == 200
    page = _parsed(response.text)
    assert "Order processing" in page.headings
    sections = [
        "At a glance",
        "Diagrams",
        "Table plan",
        "Workflows",
        "API",
        "Cost",
        "Review findings",
        "Open questions",
        "Comments",
    ]
    assert page.sections == sections, "every section, in reading order"
    text = _text(response.text)
    # The summary's figures are the generated estimate's and the review's.
    digest, storm = _document(client, starter_design)
    cost = json.loads(
        next(
            a.content
            for a in preview(digest, storm, "cost").artifacts
            if a.path == "cost/cost.json"
        )
    )
    assert f"${cost['total_usd']:,.2f} a month" in text
    doubled = next(p for p in cost["projections"] if p["traffic"] == 2)
    assert f"${doubled['total_usd']:,.2f} at 2×" in text
    report = design_review(digest, storm)
    assert report is not None
    glance = _text(response.text.split('id="glance-findings">', 1)[1].split("</div>", 1)[0])
    assert glance == (
        f"Review findings Errors {report.count('error')} "
        f"Warnings {report.count('warning')} Note {report.count('info')}"
    )
    assert "4 bounded contexts" in text and "7 API routes" in text
    assert "Reservations expire during approval" in text  # the starter's open hotspot
    assert "About Stock reservation · in Ordering" in text
    # Only people who can change the design are offered the board.
    assert page.find("a", href=f"/designs/{starter_design}")


def test_diagrams_and_workflow_pictures_are_the_studios_and_load(client, starter_design):
    page = _parsed(client.get(f"/designs/{starter_design}/overview").text)
    images = [a["src"] for a in page.find("img") if a["src"].startswith("/designs/")]
    drawn = [
        re.search(rf"/designs/{starter_design}/diagrams/([a-z-]+)\.svg", src) for src in images
    ]
    assert [m.group(1) for m in drawn if m] == ["context-map", "event-flow", "entities"]
    contexts = [
        re.search(r"/artifacts/diagrams/contexts/(\w+)\.event-flow\.svg", s) for s in images
    ]
    assert [m.group(1) for m in contexts if m] == ["Ordering", "Inventory", "Payments", "Shipping"]
    assert any("/artifacts/diagrams/workflows/FulfilOrder.svg" in src for src in images)
    for src in images:
        shown = client.get(src)
        assert shown.status_code == 200, src
        assert shown.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in shown.content
    for image in page.find("img"):
        if image["src"].startswith("/designs/"):
            assert image.get("alt"), "every picture says what it shows"


def test_table_plan_api_and_cost_read_from_the_generated_files(client, starter_design):
    response = client.get(f"/designs/{starter_design}/overview")
    text = _text(response.text)
    digest, storm = _document(client, starter_design)
    plan = json.loads(preview(digest, storm, "table").artifacts[2].content)
    assert f"one DynamoDB table, {plan['table']['name']}" in text
    for pattern in plan["patterns"]:
        assert f"{pattern['name']} {pattern['explanation']}" in text
    # Data read along with another entity's is used by that access pattern too.
    assert "Order line table ORDER#{orderId} ORDERLINE#{lineId} Order with lines" in text
    # The proof runs on demand, from the Table plan tab's own fragment.
    proof = _parsed(response.text).find("div", id="table-proof")[0]
    assert proof["hx-get"].startswith(f"/designs/{starter_design}/table-proof")
    routes = _parsed(response.text).find("tr")
    listed = {r["data-route"] for r in routes if "data-route" in r}
    openapi = client.get(f"/designs/{starter_design}/openapi.json").json()
    expected = {f"{m.upper()} {p}" for p, ops in openapi["paths"].items() for m in ops}
    assert listed == expected
    assert "POST /webhooks/carrier Webhook from Parcel carrier Anyone (no sign-in)" in text
    assert "GET /orders/awaiting-approval Orders awaiting approval order-manager" in text
    assert _parsed(response.text).find("a", href=f"/designs/{starter_design}/api-docs")
    assert "Standard workflow with 20 states" in text
    assert "Ways to spend less" in text and "As expected" in text


def test_findings_are_told_once_per_rule_with_every_place(client, starter_design):
    response = client.get(f"/designs/{starter_design}/overview")
    page = _parsed(response.text)
    rules = [a["data-rule"] for a in page.find("div") if "data-rule" in a]
    assert rules.count("event-without-consumer") == 1
    section = response.text.split('data-rule="event-without-consumer">', 1)[1].split("</div>", 1)[0]
    places = _text(section)
    for event in ("Order confirmed", "Order rejected", "Order shipped"):
        assert f"{event}: no policy reacts to '{event}'" in places
    assert "Why it matters." in places and "How to fix." in places


def test_a_viewer_link_lands_here_and_is_not_offered_the_board(viewer, starter_design):
    assert viewer.headers["X-Landed"] == f"/designs/{starter_design}/overview"
    response = viewer.get(f"/designs/{starter_design}/overview")
    assert response.status_code == 200
    page = _parsed(response.text)
    assert "Order processing" in page.headings
    assert not page.find("a", href=f"/designs/{starter_design}")
    assert "Open the board" not in response.text
    # What the page shows, a viewer may load.
    for image in page.find("img"):
        if image["src"].startswith("/designs/"):
            assert viewer.get(image["src"]).status_code == 200
    assert viewer.get(f"/designs/{starter_design}/table-proof").status_code == 200
    assert viewer.get(f"/designs/{starter_design}/api-docs").status_code == 200


def test_an_editor_link_is_offered_the_board(editor, starter_design):
    page = _parsed(editor.get(f"/designs/{starter_design}/overview").text)
    assert page.find("a", href=f"/designs/{starter_design}")


def test_nobody_else_sees_the_page(app, anonymous, starter_design):
    signed_out = anonymous.get(f"/designs/{starter_design}/overview", follow_redirects=False)
    assert signed_out.status_code in {302, 303, 307}
    assert signed_out.headers["location"].startswith("/signin")
    _user, cookie = signed_in_cookie(app.state.engine, "other@example.com", "Other")
    with TestClient(app, raise_server_exceptions=False, cookies={COOKIE: cookie}) as other:
        assert other.get(f"/designs/{starter_design}/overview").status_code == 404
    nothing = anonymous.get("/designs/dsg-nothing-here/overview", follow_redirects=False)
    assert nothing.status_code in {302, 303, 307}


def test_comments_load_live_and_may_be_about_any_element(client, starter_design):
    page = _parsed(client.get(f"/designs/{starter_design}/overview").text)
    [threads] = [a for a in page.find("div") if a.get("id") == "comment-threads-design"]
    assert threads["hx-get"] == f"/designs/{starter_design}/comments"
    assert threads["hx-trigger"] == "load, sse:comments"
    [live] = [a for a in page.find("div") if a.get("sse-connect")]
    assert live["hx-ext"] == "sse"
    assert live["sse-connect"] == f"/designs/{starter_design}/events?watch=0"
    options = [a.get("value") for a in page.find("option")]
    assert options[0] == "" and len(options) > 10, "the design as a whole, then every element"


def test_the_page_runs_no_inline_script(client, starter_design):
    html = client.get(f"/designs/{starter_design}/overview").text
    page = _parsed(html)
    assert all(a.get("src") for a in page.find("script")), "scripts only from files"
    handlers = [k for _tag, attrs in page.tags for k in attrs if k.startswith(("on", "hx-on"))]
    assert handlers == []


def test_it_prints_without_controls_and_a_section_a_page(client, starter_design):
    page = _parsed(client.get(f"/designs/{starter_design}/overview").text)
    # The starter's diagrams are wide and flat: that section prints across; its workflow is tall.
    [diagrams] = page.find("section", id="diagrams")
    [workflows] = page.find("section", id="workflows")
    assert "overview-section--landscape" in diagrams["class"].split()
    assert "overview-section--landscape" not in workflows["class"].split()
    assert page.find("link", rel="stylesheet", href="/static/overview.css")
    css = client.get("/static/overview.css").text
    printed = css.split("@media print", 1)[1]
    assert "break-before: page" in printed
    assert ".site-header" in printed and "display: none" in printed
    assert re.search(r"\.overview-figure img \{[^}]*max-width: 100%", printed)
    assert re.search(r"\.overview-section--landscape \{ page: landscape; \}", printed)


def test_a_design_with_problems_says_what_to_fix(client, owner):
    broken = _starter_text().replace("event: Order placed", "event: Order never placed", 1)
    assert broken != _starter_text()
    design = client.app.state.studio.create(broken, "test", owner=owner.id).id  # type: ignore[attr-defined]
    response = client.get(f"/designs/{design}/overview")
    assert response.status_code == 200
    page = _parsed(response.text)
    assert any(h.startswith("The design has 1 problem") for h in page.headings)
    assert "Order never placed" in _text(response.text)
    assert not page.find("img", alt="Event flow diagram of Order processing")
    assert "Open questions" in page.headings and "Comments" in page.headings


def test_resolved_hotspots_leave_the_open_questions(client, owner):
    text = _starter_text()
    resolved = re.sub(
        r"(- name: Reservations expire during approval\n)",
        r"\1        status: resolved\n",
        text,
        count=1,
    )
    assert "status: resolved" in resolved
    design = client.app.state.studio.create(resolved, "test", owner=owner.id).id  # type: ignore[attr-defined]
    response = client.get(f"/designs/{design}/overview")
    assert response.status_code == 200, response.text
    text_shown = _text(response.text)
    assert "No open questions: 1 hotspot is resolved." in text_shown
    assert "Reservations expire during approval" not in text_shown
