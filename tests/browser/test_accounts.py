"""Accounts in a real browser: signing up, making an API token shown once, signing out; the
pages pass axe-core and fit a laptop screen."""

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import _serious_accessibility_violations


def test_sign_up_make_a_token_and_sign_out(
    guest_page: Page,
    live_server: str,
    artifacts: Path,
    no_horizontal_scroll: Callable[[Page], bool],
):
    page = guest_page
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Name others see", exact=True).fill("Dana")
    page.get_by_label("Password").fill("short")
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=artifacts / "signup.png")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Designs")

    page.get_by_role("link", name="Account").click()
    page.get_by_label("Used by").fill("CI")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("sdt_")
    assert no_horizontal_scroll(page)
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=artifacts / "account.png", full_page=True)
    page.reload()
    expect(page.get_by_text(secret)).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert _serious_accessibility_violations(page) == []
    page.screenshot(path=artifacts / "signin.png")
