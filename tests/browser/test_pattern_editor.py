"""The access-pattern editor in a real browser: change how a pattern reads, see it saved."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_an_access_pattern_is_edited_in_the_inspector(
    page: Page, live_server: str, artifacts: Path
):
    open_starter(page, live_server)
    sticky = page.locator(".sticky").filter(
        has=page.locator(".sticky__name", has_text="Orders by customer")
    )
    sticky.first.locator(".sticky__open").click()
    editor = page.locator(".pattern-editor")
    expect(editor.get_by_label("Entity", exact=True)).to_have_value("Order")
    editor.get_by_label("Order", exact=True).select_option(label="Ascending")
    editor.get_by_label("Constant filters").fill("status: OPEN")
    with page.expect_response(lambda r: r.url.endswith("/pattern")) as saved:
        editor.get_by_role("button", name="Save access pattern").click()
    assert saved.value.status == 200
    expect(page.locator("#inspector").get_by_role("alert")).to_have_count(0)
    expect(page.locator(".pattern-editor").get_by_label("Constant filters")).to_have_value(
        re.compile(r"^status: OPEN\s*$")
    )
    page.locator("#pattern-title").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "pattern-editor.png")
