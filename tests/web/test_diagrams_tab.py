"""The Diagrams tab: each diagram pannable and zoomable, downloadable four ways, with views."""

import re

from fastapi.testclient import TestClient

from app.web import diagrams


def test_the_tab_offers_each_diagram_with_tools_downloads_and_views(
    client: TestClient, starter_design
):
    tab = client.get(f"/designs/{starter_design}/previews/diagrams")
    assert tab.status_code == 200
    for name in diagrams.DIAGRAMS:
        figure = tab.text.split(f'data-diagram="{name}"', 1)[1].split("</figure>", 1)[0]
        for fmt in ("svg", "png", "dot", "mmd"):
            assert re.search(
                rf'href="/designs/{starter_design}/diagrams/{name}\.{fmt}\?v=\w+"', figure
            )
        assert 'data-zoom="in"' in figure and 'data-zoom="reset"' in figure
        assert 'class="diagram__viewport" tabindex="0"' in figure
    assert re.search(r'<option value="context:[\w-]+">Bounded context: Ordering</option>', tab.text)
    assert re.search(r'<option value="event:[\w-]+">Follow event: Order placed</option>', tab.text)


def test_choosing_a_view_draws_only_that_part(client: TestClient, starter_design):
    tab = client.get(f"/designs/{starter_design}/previews/diagrams").text
    view = re.search(r'<option value="(event:[\w-]+)">Follow event: Order placed', tab).group(1)
    chosen = client.get(f"/designs/{starter_design}/previews/diagrams", params={"view": view})
    assert f'<option value="{view}" selected>' in chosen.text
    assert f"event-flow.svg?view={view.replace(':', '%3A')}&amp;v=" in chosen.text
    whole = client.get(f"/designs/{starter_design}/diagrams/event-flow.svg")
    part = client.get(f"/designs/{starter_design}/diagrams/event-flow.svg", params={"view": view})
    assert part.status_code == 200 and part.content != whole.content
    assert len(part.content) < len(whole.content)


def test_each_format_has_its_type_and_is_a_download(client: TestClient, starter_design):
    expected = {
        "svg": ("image/svg+xml", b"<svg"),
        "png": ("image/png", b"\x89PNG"),
        "dot": ("text/vnd.graphviz; charset=utf-8", b"digraph"),
        "mmd": ("text/plain; charset=utf-8", b"flowchart"),
    }
    for fmt, (media_type, starts) in expected.items():
        answer = client.get(f"/designs/{starter_design}/diagrams/context-map.{fmt}")
        assert answer.status_code == 200, fmt
        assert answer.headers["content-type"] == media_type
        assert answer.headers["content-disposition"] == f'attachment; filename="context-map.{fmt}"'
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert starts in answer.content[:400], fmt


def test_the_svg_cannot_run_script(client: TestClient, starter_design):
    answer = client.get(f"/designs/{starter_design}/diagrams/entities.svg")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "default-src 'none'" in policy


def test_names_and_views_are_looked_up_never_used_as_paths(client: TestClient, starter_design):
    base = f"/designs/{starter_design}/diagrams"
    assert client.get(f"{base}/..%2F..%2Fetc%2Fpasswd.svg").status_code == 404
    assert client.get(f"{base}/workflows.svg").status_code == 404
    assert client.get(f"{base}/event-flow.exe").status_code == 404
    assert client.get(f"{base}/event-flow.svg", params={"view": "event:NoSuch"}).status_code == 404
    assert client.get(f"{base}/entities.svg", params={"view": "context:x"}).status_code == 404
    unknown = client.get(f"/designs/{starter_design}/previews/diagrams", params={"view": "bad"})
    assert '<option value="all" selected>' in unknown.text
