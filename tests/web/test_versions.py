"""Versions in the studio: save, list, the automatic version at export, restore (undoable), the
diff of two versions (the same text `stormdraft diff` prints), and who may do what."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import cli
from app.services import edits
from app.services.documents import Data
from app.services.edits import Outcome
from app.services.versions import Versions
from tests.accounts import joined

# -- helpers ----------------------------------------------------------------------------------


def find_id(data: Data, name: str) -> str:
    """The id of the element called `name` (first match, any kind)."""
    for context in data["contexts"]:
        if context["name"] == name:
            return str(context["id"])
        for items in context.values():
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict) and item.get("name") == name:
                        return str(item["id"])
    raise AssertionError(f"no element called {name}")


def change(app: FastAPI, design_id: str, edit: Callable[[Data], Outcome]) -> None:
    app.state.studio.apply(design_id, edit, "Owner")


def workshop_edits(app: FastAPI, design_id: str) -> None:
    """An event added, a read model removed and a command's route changed."""
    data = app.state.studio.document(design_id).data
    lane = find_id(data, "Ordering")
    change(app, design_id, lambda d: edits.add_element(d, lane, "events", {"name": "Parcel lost"}))
    details = find_id(data, "Order details")
    change(app, design_id, lambda d: edits.delete_element(d, details))
    place = find_id(data, "Place order")
    change(app, design_id, lambda d: edits.update_element(d, place, {"route": "POST /v2/orders"}))


def save(client: TestClient, design_id: str, htmx: dict[str, str], name: str = "") -> int:
    response = client.post(
        f"/designs/{design_id}/versions", data={"name": name}, headers=htmx, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    found = re.search(r"saved=(\d+)$", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def storm_text(app: FastAPI, design_id: str) -> str:
    return str(app.state.studio.document(design_id).text)


def version_text(app: FastAPI, design_id: str, number: int) -> str:
    return Versions(app.state.studio).snapshot(design_id, number).text


def pre_text(page: str) -> str:
    found = re.search(r'<pre id="diff-text">(.*?)</pre>', page, re.DOTALL)
    assert found, "the diff page has no text view"
    return html.unescape(found.group(1))


# -- save and list ----------------------------------------------------------------------------


def test_a_saved_version_is_listed_with_its_name_revision_and_author(
    client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    number = save(client, starter_design, htmx, "  Before the   workshop ")
    assert number == 1
    page = client.get(f"/designs/{starter_design}/versions?saved=1")
    assert page.status_code == 200
    assert "Saved version 1 “Before the workshop”." in page.text
    row = re.search(r'<tr id="version-1">(.*?)</tr>', page.text, re.DOTALL)
    assert row, page.text
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    revision = client.get(f"/api/designs/{starter_design}").json()["revision"]
    assert cells[:4] == ["1", "Before the workshop", str(revision), "Owner"]


def test_versions_are_numbered_and_listed_newest_first_and_unnamed_ones_say_their_revision(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "First")
    app.state.studio.rename(starter_design, "Order processing v2", "Owner")
    assert save(client, starter_design, htmx) == 2
    revision = app.state.studio.document(starter_design).revision
    listed = client.get(f"/api/designs/{starter_design}/versions").json()
    assert [(v["number"], v["name"]) for v in listed] == [(2, f"Revision {revision}"), (1, "First")]
    page = client.get(f"/designs/{starter_design}/versions").text
    assert page.index('id="version-2"') < page.index('id="version-1"')


def test_a_version_storm_file_can_be_downloaded(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "Kept")
    kept = storm_text(app, starter_design)
    app.state.studio.rename(starter_design, "Renamed", "Owner")
    response = client.get(f"/designs/{starter_design}/versions/1/storm.yaml")
    assert response.status_code == 200
    assert response.text == kept
    assert response.headers["content-type"].startswith("application/yaml")
    assert 'filename="version-1.storm.yaml"' in response.headers["content-disposition"]
    assert client.get(f"/designs/{starter_design}/versions/2/storm.yaml").status_code == 404


def test_a_version_name_with_control_characters_is_refused(
    client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    response = client.post(
        f"/designs/{starter_design}/versions", data={"name": "a\x1b[31m"}, headers=htmx
    )
    assert response.status_code == 422
    assert client.get(f"/api/designs/{starter_design}/versions").json() == []


def test_saving_needs_the_csrf_token(client: TestClient, starter_design: str) -> None:
    response = client.post(f"/designs/{starter_design}/versions", data={"name": "x"})
    assert response.status_code == 403
    assert client.get(f"/api/designs/{starter_design}/versions").json() == []


def test_the_list_fragment_answers_htmx(
    client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "Kept")
    response = client.get(
        f"/designs/{starter_design}/versions",
        headers={"HX-Request": "true", "HX-Target": "version-list"},
    )
    assert response.text.lstrip().startswith('<div id="version-list"')
    assert "Kept" in response.text
    assert "<html" not in response.text


# -- the automatic version at export ----------------------------------------------------------


def test_each_export_keeps_a_version_of_what_it_exported(
    app: FastAPI, client: TestClient, starter_design: str
) -> None:
    exported = client.get(f"/designs/{starter_design}/export.zip")
    assert exported.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    revision = app.state.studio.document(starter_design).revision
    listed = client.get(f"/api/designs/{starter_design}/versions").json()
    assert [(v["name"], v["revision"]) for v in listed] == [
        (f"Exported at revision {revision}", revision)
    ]
    assert version_text(app, starter_design, 1) == storm_text(app, starter_design)

    # Exporting the same revision again adds no copy; after a change, it does.
    assert client.get(f"/designs/{starter_design}/export.zip").status_code == 200
    assert len(client.get(f"/api/designs/{starter_design}/versions").json()) == 1
    app.state.studio.rename(starter_design, "Order processing v2", "Owner")
    assert client.get(f"/designs/{starter_design}/export.zip").status_code == 200
    listed = client.get(f"/api/designs/{starter_design}/versions").json()
    assert [v["name"] for v in listed] == [
        f"Exported at revision {revision + 1}",
        f"Exported at revision {revision}",
    ]


def test_a_refused_export_keeps_no_version(
    app: FastAPI, client: TestClient, starter_design: str
) -> None:
    data = app.state.studio.document(starter_design).data
    lane = find_id(data, "Ordering")
    broken = {"name": "Ship it", "emits": ["Nowhere"]}
    change(app, starter_design, lambda d: edits.add_element(d, lane, "commands", broken))
    assert client.get(f"/designs/{starter_design}/export.zip").status_code == 409
    assert client.get(f"/api/designs/{starter_design}/versions").json() == []


# -- restore ----------------------------------------------------------------------------------


def test_restore_brings_the_design_back_and_restoring_the_version_before_undoes_it(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "Before the workshop")
    saved_text = version_text(app, starter_design, 1)
    workshop_edits(app, starter_design)
    app.state.studio.rename(starter_design, "After the workshop", "Owner")
    after_workshop = storm_text(app, starter_design)
    revision = app.state.studio.document(starter_design).revision

    response = client.post(
        f"/designs/{starter_design}/versions/1/restore", headers=htmx, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("/versions?restored=1&before=2")
    assert storm_text(app, starter_design) == saved_text
    design = client.get(f"/api/designs/{starter_design}").json()
    assert (design["name"], design["revision"]) == ("Order processing", revision + 1)
    latest = client.get(f"/api/designs/{starter_design}/changes?limit=1").json()[0]
    assert latest["summary"] == "Restored version 1 “Before the workshop”"
    assert latest["actor"] == "Owner"
    page = client.get(response.headers["location"]).text
    assert "Restored version 1 “Before the workshop”. To undo, restore version 2." in page
    assert "Before restoring version 1" in page
    assert version_text(app, starter_design, 2) == after_workshop

    # Undo: restore the version kept just before.
    client.post(f"/designs/{starter_design}/versions/2/restore", headers=htmx)
    assert storm_text(app, starter_design) == after_workshop
    assert client.get(f"/api/designs/{starter_design}").json()["name"] == "After the workshop"
    # The design then was already kept (version 1), so no third copy is made.
    assert len(client.get(f"/api/designs/{starter_design}/versions").json()) == 2


def test_restore_is_announced_live(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    heard: list[tuple[str, dict[str, object]]] = []
    hub = app.state.hub
    original = hub.announce_locally

    def listen(design_id: str, message: dict[str, object]) -> None:
        heard.append((design_id, message))
        original(design_id, message)

    hub.announce_locally = listen
    save(client, starter_design, htmx, "Kept")
    app.state.studio.rename(starter_design, "Renamed", "Owner")
    heard.clear()
    client.post(f"/designs/{starter_design}/versions/1/restore", headers=htmx)
    assert [(d, m["type"], m["summary"]) for d, m in heard] == [
        (starter_design, "change", "Restored version 1 “Kept”")
    ]


def test_restoring_the_design_as_it_is_changes_nothing(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "Now")
    revision = app.state.studio.document(starter_design).revision
    response = client.post(f"/designs/{starter_design}/versions/1/restore", headers=htmx)
    assert response.status_code == 409
    assert "nothing to restore" in response.text
    assert app.state.studio.document(starter_design).revision == revision


def test_an_unknown_version_is_not_found(
    client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    assert (
        client.post(f"/designs/{starter_design}/versions/7/restore", headers=htmx).status_code
        == 404
    )
    assert client.get(f"/designs/{starter_design}/versions/diff?a=7").status_code == 404
    assert client.get(f"/designs/{starter_design}/versions/diff?a=one").status_code == 404
    assert client.get(f"/designs/{starter_design}/versions/diff").status_code == 404


# -- the diff ---------------------------------------------------------------------------------


@pytest.fixture
def compared(app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]) -> str:
    """A design with version 1 saved before the workshop edits; its id."""
    save(client, starter_design, htmx, "Before the workshop")
    workshop_edits(app, starter_design)
    return starter_design


def test_the_diff_page_names_elements_added_removed_and_changed(
    client: TestClient, compared: str
) -> None:
    page = client.get(f"/designs/{compared}/versions/diff?a=1&b=current")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "From version 1 “Before the workshop” to the current design" in text
    assert "1 added, 1 removed, 1 changed" in text
    assert re.search(r'data-action="added">.*added the event Parcel lost', text)
    assert re.search(r'data-action="removed">.*removed the read model Order details', text)
    assert re.search(
        r'data-action="changed">.*the route of Place order changed from POST /orders to '
        r"POST /v2/orders",
        text,
    )


def test_the_diff_page_has_the_artifact_sections(client: TestClient, compared: str) -> None:
    text = html.unescape(client.get(f"/designs/{compared}/versions/diff?a=1").text)
    sections = re.findall(r'data-artifact="([a-z]+)"', text)
    assert sections == ["openapi", "table", "workflows", "template", "cost"]
    assert "added the operation POST /v2/orders (placeOrder)" in text
    assert "removed the operation GET /orders/{orderId}" in text
    assert "added the resource ParcelLostSchema (AWS::EventSchemas::Schema)" in text
    assert "removed the resource OrderDetailsFunction (AWS::Serverless::Function)" in text
    assert "the resource PlaceOrderFunction changed: Events" in text
    assert re.search(r"the monthly cost went from \$[\d,.]+ to \$[\d,.]+", text)


def test_the_studio_prints_the_same_diff_as_the_cli(
    app: FastAPI,
    client: TestClient,
    compared: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = tmp_path / "old.storm.yaml"
    new = tmp_path / "new.storm.yaml"
    old.write_text(version_text(app, compared, 1))
    new.write_text(storm_text(app, compared))
    assert cli.main(["diff", str(old), str(new)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Changes to Order processing\n1 added, 1 removed, 1 changed\n")

    page = client.get(f"/designs/{compared}/versions/diff?a=1&b=current")
    assert pre_text(page.text) == printed
    download = client.get(f"/designs/{compared}/versions/diff?a=1&b=current&format=txt")
    assert download.text == printed
    assert 'filename="diff-1-current.txt"' in download.headers["content-disposition"]

    assert cli.main(["diff", str(old), str(new), "--markdown"]) == 0
    markdown = client.get(f"/designs/{compared}/versions/diff?a=1&b=current&format=md")
    assert markdown.text == capsys.readouterr().out


def test_two_versions_compare_either_way(
    app: FastAPI, client: TestClient, compared: str, htmx: dict[str, str]
) -> None:
    save(client, compared, htmx, "After the workshop")
    forward = client.get(f"/designs/{compared}/versions/diff?a=1&b=2&format=json").json()
    backward = client.get(f"/designs/{compared}/versions/diff?a=2&b=1&format=json").json()
    assert forward["diff"]["summary"]["added"] == backward["diff"]["summary"]["removed"] == 1
    assert [c["text"] for c in backward["diff"]["changes"] if c["action"] == "added"] == [
        "added the read model Order details"
    ]
    same = client.get(f"/designs/{compared}/versions/diff?a=2&b=current").text
    assert "No changes to the design." in same


def test_a_version_with_problems_is_explained_not_compared(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    data = app.state.studio.document(starter_design).data
    lane = find_id(data, "Ordering")
    broken = {"name": "Ship it", "emits": ["Nowhere"]}
    change(app, starter_design, lambda d: edits.add_element(d, lane, "commands", broken))
    save(client, starter_design, htmx, "Half-done")
    page = client.get(f"/designs/{starter_design}/versions/diff?a=1&b=current")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Version 1 “Half-done” has 1 problem:" in text
    revision = app.state.studio.document(starter_design).revision
    assert f"The current design (revision {revision}) has 1 problem:" in text
    assert "unknown event 'Nowhere'" in text
    assert 'id="diff-text"' not in text


def test_user_text_in_a_diff_stays_inert(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "<script>alert(1)</script>")
    data = app.state.studio.document(starter_design).data
    lane = find_id(data, "Ordering")
    hostile = {"name": "<img src=x onerror=alert(1)>"}
    change(app, starter_design, lambda d: edits.add_element(d, lane, "events", hostile))
    page = client.get(f"/designs/{starter_design}/versions/diff?a=1").text
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    listing = client.get(f"/designs/{starter_design}/versions").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


# -- who may do what --------------------------------------------------------------------------


def test_a_viewer_sees_versions_and_diffs_but_cannot_save_or_restore(
    app: FastAPI, client: TestClient, viewer: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    save(client, starter_design, htmx, "Kept")
    app.state.studio.rename(starter_design, "Renamed", "Owner")
    text = storm_text(app, starter_design)

    page = viewer.get(f"/designs/{starter_design}/versions")
    assert page.status_code == 200
    assert "Kept" in page.text
    assert "Save version" not in page.text and "/restore" not in page.text
    assert viewer.get(f"/designs/{starter_design}/versions/diff?a=1").status_code == 200

    assert viewer.post(f"/designs/{starter_design}/versions", data={"name": "x"}).status_code == 403
    restore = viewer.post(f"/designs/{starter_design}/versions/1/restore")
    assert restore.status_code == 403
    assert storm_text(app, starter_design) == text
    assert len(client.get(f"/api/designs/{starter_design}/versions").json()) == 1


def test_an_editor_link_may_save_and_restore(
    app: FastAPI, client: TestClient, starter_design: str, htmx: dict[str, str]
) -> None:
    with joined(app, starter_design, "editor", "Ana") as editor:
        assert (
            editor.post(f"/designs/{starter_design}/versions", data={"name": "Ana's"}).status_code
            == 200
        )
        app.state.studio.rename(starter_design, "Renamed", "Owner")
        assert editor.post(f"/designs/{starter_design}/versions/1/restore").status_code == 200
    listed = client.get(f"/api/designs/{starter_design}/versions").json()
    assert [(v["name"], v["created_by"]) for v in listed][-1] == ("Ana's", "Ana")
    latest = client.get(f"/api/designs/{starter_design}/changes?limit=1").json()[0]
    assert (latest["summary"], latest["actor"]) == ("Restored version 1 “Ana's”", "Ana")


def test_nobody_signed_in_is_sent_to_sign_in(anonymous: TestClient, starter_design: str) -> None:
    response = anonymous.get(f"/designs/{starter_design}/versions", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=")
    assert anonymous.get(f"/api/designs/{starter_design}/versions").status_code == 401


# -- the JSON API -----------------------------------------------------------------------------


def test_the_api_saves_lists_compares_and_restores(
    app: FastAPI, client: TestClient, starter_design: str
) -> None:
    base = f"/api/designs/{starter_design}/versions"
    made = client.post(base, json={"name": "From CI"})
    assert made.status_code == 201
    assert made.json()["number"] == 1 and made.json()["name"] == "From CI"
    workshop_edits(app, starter_design)
    diff = client.get(f"{base}/diff?a=1&b=current").json()
    assert diff["old"]["version"] == 1 and diff["new"]["version"] is None
    assert diff["diff"]["summary"]["added"] == 1
    assert [a["artifact"] for a in diff["diff"]["artifacts"]] == [
        "openapi",
        "table",
        "workflows",
        "template",
        "cost",
    ]
    restored = client.post(f"{base}/1/restore", json={})
    assert restored.status_code == 200
    body = restored.json()
    assert body["restored"]["number"] == 1
    assert body["before"]["name"] == "Before restoring version 1"
    assert body["summary"] == "Restored version 1 “From CI”"
    assert storm_text(app, starter_design) == version_text(app, starter_design, 1)
    assert client.post(f"{base}/9/restore", json={}).status_code == 404
