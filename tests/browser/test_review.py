"""The Review tab in a real browser: a finding selects its sticky; accepting one needs a reason."""

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

AxeCheck = Callable[[Page], list[str]]


def test_a_finding_selects_its_sticky_and_can_be_accepted_with_a_reason(
    page: Page, live_server: str, artifacts: Path, serious_accessibility_violations: AxeCheck
):
    page.goto(live_server + "/")
    page.get_by_label("Starter").select_option(label="Order processing")
    page.get_by_label("Name (optional)").fill("Reviewed shop")
    page.get_by_role("button", name="Create from starter").click()
    page.wait_for_url(re.compile(r"/designs/[0-9a-f]+$"))
    expect(page.locator(".sticky__mark--warning").first).to_be_visible()

    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Review").click()
    warnings = page.locator(".review-group--warning .finding")
    expect(warnings.first).to_be_visible()
    finding = warnings.first
    element = finding.get_attribute("data-element")
    rule = finding.get_attribute("data-finding")
    page.screenshot(path=artifacts / "review-tab.png")
    assert serious_accessibility_violations(page) == []

    finding.locator("a").click()
    expect(page.get_by_role("tab", name="Details")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#inspector .inspector")).to_have_attribute("data-element", element)
    expect(page.locator("#inspector")).to_contain_text("Review findings")
    expect(page.locator(f"#s-{element}")).to_have_class(re.compile("is-selected"))
    page.screenshot(path=artifacts / "review-selected.png")

    page.get_by_role("tab", name="Previews").click()
    finding = page.locator(
        f'.review-group--warning .finding[data-element="{element}"][data-finding="{rule}"]'
    )
    finding.locator("summary").click()
    finding.get_by_label("Why the team accepts it").fill("Consumers arrive next quarter")
    finding.get_by_role("button", name="Accept finding").click()
    accepted = page.locator(f'.review-group--accepted .finding[data-element="{element}"]')
    expect(accepted).to_contain_text("Accepted: Consumers arrive next quarter")
    page.screenshot(path=artifacts / "review-accepted.png")
    assert serious_accessibility_violations(page) == []
