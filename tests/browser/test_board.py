"""The board in a real browser: from a starter to linked stickies, previews, text and undo."""

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

AxeCheck = Callable[[Page], list[str]]
Check = Callable[[Page], bool]


def _new_design_from_starter(page: Page, live_server: str, starter: str, name: str) -> None:
    page.goto(live_server + "/")
    page.get_by_label("Starter").select_option(label=starter)
    page.get_by_label("Name (optional)").fill(name)
    page.get_by_role("button", name="Create from starter").click()
    page.wait_for_url(re.compile(r"/designs/[0-9a-f]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _add_sticky(page: Page, kind: str, name: str, lane: str | None = None) -> None:
    form = page.locator(".add-form")
    form.get_by_label("Kind").select_option(label=kind)
    if lane:
        form.get_by_label("Lane").select_option(label=lane)
    form.get_by_label("Name").fill(name)
    form.get_by_role("button", name="Add sticky").click()
    expect(page.locator("#inspector .inspector__title")).to_have_text(name)


def _sticky(page: Page, name: str):
    return page.locator(".sticky").filter(has=page.locator(".sticky__name", has_text=name))


def test_from_starter_to_linked_stickies_and_a_changing_preview(
    page: Page,
    live_server: str,
    artifacts: Path,
    serious_accessibility_violations: AxeCheck,
    fits_window: Check,
):
    _new_design_from_starter(page, live_server, "Order processing", "Shop workshop")
    expect(page.locator(".lane").first).to_be_visible()
    expect(page.locator("#presence .person")).to_have_count(1)
    page.screenshot(path=artifacts / "board.png")
    assert serious_accessibility_violations(page) == []
    assert fits_window(page), "the bars may wrap, the board page does not scroll"

    _add_sticky(page, "Event", "Gift card redeemed")
    expect(_sticky(page, "Gift card redeemed")).to_contain_text("Event")
    _add_sticky(page, "Command", "Redeem gift card")
    inspector = page.locator("#inspector")
    inspector.get_by_label("Link", exact=True).select_option(label="emits")
    inspector.get_by_label("To", exact=True).fill("Gift card redeemed")
    inspector.get_by_role("button", name="Link", exact=True).click()
    expect(inspector.locator(".links")).to_contain_text("Gift card redeemed")
    sticky = _sticky(page, "Redeem gift card")
    expect(sticky).to_have_attribute("data-links", re.compile(r"evt-"))
    page.screenshot(path=artifacts / "board-inspector.png")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("tab", name=re.compile("Previews")).click()
    page.locator("[data-preview-tab=api]").click()
    preview = page.locator("#preview")
    expect(preview.locator(".preview__title")).to_have_text("API")
    expect(preview).not_to_contain_text("redeem-gift-card", timeout=15_000)
    api_text = preview.locator("pre").first.inner_text()

    page.get_by_role("tab", name="Details").click()
    inspector.get_by_label("API route").fill("POST /gift-cards/redeem")
    inspector.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_be_empty()
    page.get_by_role("tab", name=re.compile("Previews")).click()
    expect(preview.locator("pre").first).to_contain_text("/gift-cards/redeem", timeout=15_000)
    assert preview.locator("pre").first.inner_text() != api_text
    page.screenshot(path=artifacts / "board-previews.png")
    assert serious_accessibility_violations(page) == []


def test_delete_then_undo_and_move_by_keyboard(page: Page, live_server: str, artifacts: Path):
    _new_design_from_starter(page, live_server, "Order processing", "Undo and keys")
    _add_sticky(page, "Hotspot", "Who pays the shipping?")
    page.locator("#inspector").get_by_role("button", name="Delete sticky").click()
    expect(_sticky(page, "Who pays the shipping?")).to_have_count(0)
    flash = page.locator("#flash")
    expect(flash).to_contain_text("Deleted hotspot")
    flash.get_by_role("button", name="Undo").click()
    expect(_sticky(page, "Who pays the shipping?")).to_have_count(1)

    lane = page.locator(".lane").first
    names = lane.locator(".sticky__name")
    before = names.all_inner_texts()
    last = before[-1]
    _sticky(page, last).locator(".sticky__open").focus()
    page.keyboard.press("Alt+ArrowLeft")
    expect(names.nth(len(before) - 2)).to_have_text(last)
    expect(_sticky(page, last).locator(".sticky__open")).to_be_focused()
    page.screenshot(path=artifacts / "board-after-undo.png")


def test_text_view_shows_errors_beside_lines_then_applies_the_fix(
    page: Page,
    live_server: str,
    artifacts: Path,
    serious_accessibility_violations: AxeCheck,
    fits_window: Check,
):
    _new_design_from_starter(page, live_server, "Order processing", "Text edits")
    page.get_by_role("link", name="Storm file", exact=True).click()
    editor = page.locator("#storm-text")
    original = editor.input_value()
    broken = original.replace("name: Text edits", "name: Text edits\nfavourite_colour: blue", 1)
    editor.fill(broken)
    page.get_by_role("button", name="Apply").click()
    problems = page.locator("#text-problems")
    expect(problems).to_contain_text("unknown key 'favourite_colour'")
    expect(problems.get_by_role("button", name=re.compile(r"Line \d+"))).to_have_count(1)
    expect(page.locator(".editor__gutter li.is-bad")).to_have_count(1)
    page.screenshot(path=artifacts / "text-view-error.png")
    assert serious_accessibility_violations(page) == []
    assert fits_window(page)

    fixed = original.replace("name: Text edits", "name: Text edits, fixed", 1)
    page.locator("#storm-text").fill(fixed)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_contain_text("Applied as revision")
    page.get_by_role("link", name="Board", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text edits, fixed")


def test_text_loaded_before_another_change_is_refused_with_a_way_back(page: Page, live_server: str):
    _new_design_from_starter(page, live_server, "Order processing", "Stale text")
    board_url = page.url
    page.get_by_role("link", name="Storm file", exact=True).click()
    expect(page.locator("#storm-text")).to_have_value(re.compile("name: Stale text"))
    text = page.locator("#storm-text").input_value()
    # Typed before the other change lands: an untouched text view would simply reload.
    page.locator("#storm-text").fill(text.replace("name: Stale text", "name: Mine", 1))
    other = page.context.new_page()
    other.goto(board_url)
    _add_sticky(other, "Event", "Meanwhile happened")
    other.close()
    expect(page.locator("#text-outdated")).to_be_visible()
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("changed since you loaded the text")
    page.get_by_role("button", name=re.compile("Apply my text over revision")).click()
    expect(page.get_by_role("status")).to_contain_text("Applied as revision")
