"""A workflow dry run in a real browser: run a scenario, then step through its states."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_a_dry_run_replays_on_the_state_machine(page: Page, live_server: str, artifacts: Path):
    open_starter(page, live_server)
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Workflows").click()
    page.get_by_label("Scenario").first.select_option("Reserve stock fails")
    page.get_by_role("button", name="Run").first.click()
    run = page.locator(".dry-run").first
    expect(run).to_be_visible(timeout=60_000)
    run.get_by_role("button", name="Next").click()
    expect(run.locator(".dry-run__step")).to_have_text(re.compile(r"Step 1 of \d+: Reserve stock"))
    expect(run.locator("g.node.is-current")).to_have_count(1)
    run.get_by_role("button", name="Next").click()
    expect(run.locator("g.node.is-visited")).to_have_count(1)
    run.get_by_role("button", name="Previous").click()
    expect(run.locator(".dry-run__step")).to_contain_text("Step 1 of")
    run.get_by_role("button", name="Next").click()
    run.locator(".dry-run__diagram").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "workflow-dry-run.png")
    run.locator(".dry-run__diagram").screenshot(path=artifacts / "workflow-dry-run-diagram.png")
