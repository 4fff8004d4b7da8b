"""Sharing in real browsers: a stakeholder's comment reaches the owner live, a revoked link
closes an open board, and two versions compare in words."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from app.services.designs import design_from_starter
from tests.browser.conftest import _serious_accessibility_violations
from tests.browser.test_workshop import join

ORDERS = design_from_starter("order-processing", "Order processing")


def test_a_stakeholder_comment_reaches_the_owner_live(
    page: Page,
    guest_page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
    artifacts: Path,
):
    design = save_design(
        design_from_starter("order-processing", "Order processing"), name="Order processing"
    )
    page.goto(f"{live_server}/designs/{design}")
    page.get_by_role("tab", name="Comments").click()
    threads = page.locator("#comment-threads-design")
    expect(threads).to_contain_text("No comments on the design yet")

    join(guest_page, live_server + share_link(design, "viewer"), "Dana from finance")
    comments = guest_page.locator("#comments")
    comments.get_by_label("About").select_option(label="Order placed")
    comments.get_by_label("Your comment").fill("Is an order placed before payment?")
    comments.get_by_role("button", name="Comment").click()
    expect(comments.locator(".thread")).to_contain_text("Dana from finance")
    expect(comments.get_by_label("Your comment")).to_have_value("")
    expect(comments.get_by_role("button", name="Resolve")).to_have_count(0)

    # The owner's board heard of it without a reload.
    thread = threads.locator(".thread")
    expect(thread).to_contain_text("Is an order placed before payment?", timeout=3000)
    expect(thread).to_contain_text("On Order placed")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("No: payment comes first.")
    thread.get_by_role("button", name="Reply").click()
    expect(comments.locator(".comment--reply")).to_contain_text("payment comes first", timeout=3000)
    page.screenshot(path=artifacts / "comments-board.png")
    guest_page.locator("#comments-area").screenshot(path=artifacts / "comments-overview.png")
    assert _serious_accessibility_violations(page) == []

    threads.get_by_role("button", name="Resolve").click()
    expect(comments).to_contain_text("0 open threads, 1 resolved", timeout=3000)


def test_a_revoked_editor_link_closes_the_open_board(
    page: Page,
    guest_page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
):
    design = save_design(
        design_from_starter("order-processing", "Order processing"), name="Order processing"
    )
    join(guest_page, live_server + share_link(design, "editor"), "Ana")
    expect(guest_page.locator("#presence")).to_contain_text("Ana")

    page.goto(f"{live_server}/designs/{design}/share")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("cell", name="revoked")).to_have_count(1)
    # The board reloads itself and is refused: nothing of the design stays on screen.
    expect(guest_page.get_by_role("heading", name="No access")).to_be_visible(timeout=5000)
    expect(guest_page.get_by_text("it was revoked")).to_be_visible()
    expect(guest_page.locator("#lanes")).to_have_count(0)


def test_two_versions_compare_in_words(
    page: Page, live_server: str, save_design: Callable[..., str], artifacts: Path
):
    design = save_design(
        design_from_starter("order-processing", "Order processing"), name="Order processing"
    )
    page.goto(f"{live_server}/designs/{design}")
    page.get_by_role("link", name="Versions").click()
    page.get_by_label("Name of the version").fill("Before the workshop")
    page.get_by_role("button", name="Save version").click()
    expect(page.get_by_role("status")).to_contain_text("Saved version 1")

    page.get_by_role("link", name="Board").click()
    form = page.locator(".add-form")
    form.get_by_label("Kind").select_option(label="Event")
    form.get_by_label("Name").fill("Refund issued")
    form.get_by_role("button", name="Add sticky").click()
    expect(page.locator("#inspector .inspector__title")).to_have_text("Refund issued")

    page.get_by_role("link", name="Versions").click()
    page.get_by_label("Name of the version").fill("After the workshop")
    page.get_by_role("button", name="Save version").click()
    page.get_by_label("From").select_option(label="Version 1 · Before the workshop")
    page.get_by_label("to").select_option(label="Version 2 · After the workshop")
    page.get_by_role("button", name="Show what changed").click()
    page.wait_for_url(re.compile(r"/versions/diff\?a=1&b=2$"))
    added = page.locator(".diff__change--added")
    expect(added).to_contain_text("Refund issued")
    expect(page.locator("[data-artifact]").first).to_be_visible()
    page.screenshot(path=artifacts / "version-diff.png", full_page=True)
    assert _serious_accessibility_violations(page) == []
