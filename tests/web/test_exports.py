"""The Export tab: the deployable SAM repository built in the background, its progress shown,
then downloaded; an editor's or the owner's export is kept as a version, a viewer's is not."""

from __future__ import annotations

import io
import re
import time
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.services.versions import Versions


def built(browser: TestClient, design: str) -> str:
    """Ask for the build until its fragment stops asking again; the last fragment."""
    deadline = time.monotonic() + 120
    while True:
        fragment = browser.get(f"/designs/{design}/repository")
        assert fragment.status_code == 200, fragment.text
        if "hx-trigger" not in fragment.text:
            return fragment.text
        assert "<progress" in fragment.text and "files so far" in fragment.text
        assert time.monotonic() < deadline, "the build did not finish"
        time.sleep(0.2)


def test_the_repository_builds_with_progress_then_downloads(
    app: FastAPI, client: TestClient, starter_design: str
) -> None:
    tab = client.get(f"/designs/{starter_design}/previews/export")
    assert "Build the repository" in tab.text
    first = client.get(f"/designs/{starter_design}/repository")
    assert "Building" in first.text or "Ready" in first.text
    done = built(client, starter_design)
    files = int(re.search(r"Ready: (\d+) files", done).group(1))
    link = re.search(r'href="(/designs/[^"]+/repository\.zip\?v=\w+)"', done).group(1)
    answer = client.get(link)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="sam-repository.zip"'
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert len(names) == files
    assert "export/template.yaml" in names and "export/samconfig.toml" in names
    assert all(n.startswith("export/") for n in names)
    [kept] = Versions(app.state.studio).list_versions(starter_design)
    assert kept.created_by == "Owner"


def test_a_viewer_downloads_without_keeping_a_version(
    app: FastAPI, viewer: TestClient, starter_design: str
) -> None:
    built(viewer, starter_design)
    assert viewer.get(f"/designs/{starter_design}/repository.zip").status_code == 200
    assert viewer.get(f"/designs/{starter_design}/export.zip").status_code == 200
    assert Versions(app.state.studio).list_versions(starter_design) == []


def test_a_design_with_problems_is_not_exported(
    client: TestClient, htmx: dict[str, str], starter_design: str
) -> None:
    lane = client.get(f"/api/designs/{starter_design}/elements").json()[0]["lane"]
    made = client.post(
        f"/api/designs/{starter_design}/elements",
        json={
            "lane": lane,
            "kind": "policies",
            "data": {"name": "Broken", "event": "Nothing happened", "command": "Nobody"},
        },
    )
    assert made.status_code == 201, made.text
    refused = client.get(f"/designs/{starter_design}/repository", headers=htmx)
    assert refused.status_code == 409 and "Fix the design" in refused.text
