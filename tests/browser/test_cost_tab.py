"""The Cost tab in a real browser: the estimate, and the what-if control answering at once."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_the_what_if_control_recomputes_the_estimate(page: Page, live_server: str, artifacts: Path):
    open_starter(page, live_server)
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Cost").click()
    tab = page.locator(".cost-tab")
    expect(tab.locator("#projections tbody tr")).to_have_count(3)

    tab.get_by_label("Traffic").select_option(label="5×")
    result = tab.locator("#what-if-result")
    expect(result.locator(".what-if__total")).to_contain_text("a month")
    expect(result.locator(".delta--up").first).to_be_visible()
    tab.get_by_label("Traffic").select_option(label="1× as expected")
    tab.get_by_label("Architecture").select_option(label="x86_64")
    expect(result).to_contain_text("Lambda")
    tab.locator("summary", has_text="Memory per function").click()
    tab.get_by_label("PlaceOrder").fill("64")
    expect(result.get_by_role("alert")).to_contain_text("memory.PlaceOrder")
    tab.get_by_label("PlaceOrder").fill("1024")
    expect(result.get_by_role("alert")).to_have_count(0)
    page.screenshot(path=artifacts / "cost-what-if.png")
