"""The Export tab in a real browser: the SAM repository builds with its progress shown, then
downloads."""

import re
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_the_repository_builds_and_downloads(
    page: Page, live_server: str, artifacts: Path, tmp_path: Path
):
    open_starter(page, live_server)
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Export").click()
    page.get_by_role("button", name="Build the repository").click()
    download_link = page.get_by_role("link", name="Download the SAM repository (.zip)")
    expect(download_link).to_be_visible(timeout=60_000)
    expect(page.locator("#repository-build")).to_contain_text(re.compile(r"Ready: \d+ files"))
    page.screenshot(path=artifacts / "export-tab.png")
    with page.expect_download() as download:
        download_link.click()
    saved = tmp_path / "repository.zip"
    download.value.save_as(saved)
    assert "export/template.yaml" in zipfile.ZipFile(saved).namelist()
