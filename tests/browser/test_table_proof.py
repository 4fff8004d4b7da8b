"""The Table plan tab in a real browser: the proof of each access pattern arrives on its own."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_the_table_plan_tab_proves_its_patterns(page: Page, live_server: str, artifacts: Path):
    open_starter(page, live_server)
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Table plan").click()
    expect(page.locator("#proof-summary")).to_contain_text("access patterns proven", timeout=30_000)
    expect(page.locator(".proof__row--passed").first).to_contain_text("proven on")
    page.screenshot(path=artifacts / "table-proof.png")
