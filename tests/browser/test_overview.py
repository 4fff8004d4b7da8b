"""The review view in a real browser: a stakeholder joins by a viewer link, reads, and prints."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from app.services.designs import design_from_starter
from tests.browser.conftest import _serious_accessibility_violations

ORDERS = design_from_starter("order-processing", "Order processing")


def _join(page: Page, live_server: str, path: str, button: str) -> None:
    page.goto(live_server + path)
    page.get_by_label("Your name, as others will see it").fill("Dana from finance")
    page.get_by_role("button", name=button).click()


def _loaded(page: Page) -> None:
    """Waits until the proof has run and every picture has drawn."""
    expect(page.locator("#table-proof")).to_contain_text("access patterns proven", timeout=30_000)
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
    )


def test_a_stakeholder_reads_the_review_by_a_viewer_link(
    guest_page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
    artifacts: Path,
    no_horizontal_scroll: Callable[[Page], bool],
):
    page = guest_page
    design = save_design(
        design_from_starter("order-processing", "Order processing"), name="Order processing"
    )
    _join(page, live_server, share_link(design, "viewer"), "Open the review")
    page.wait_for_url(re.compile(rf"/designs/{design}/overview$"))
    _loaded(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Order processing")
    glance = page.locator(".overview-summary")
    expect(glance.locator("#glance-cost .glance__figure")).to_have_text(
        re.compile(r"^\$[\d,]+\.\d\d$")
    )
    expect(glance.locator("#glance-findings")).to_contain_text("Warnings 7")
    expect(glance.locator("#glance-hotspots .glance__figure")).to_have_text("1")
    expect(page.get_by_role("link", name="Open the board")).to_have_count(0)
    for name in ("Event flow", "Context map", "Entities"):
        expect(page.get_by_role("img", name=f"{name} diagram of Order processing")).to_be_visible()
    expect(
        page.get_by_role("img", name="State machine of the workflow Fulfil order")
    ).to_be_visible()
    expect(page.locator("#routes tbody tr")).to_have_count(7)
    expect(page.locator("#projections tbody tr")).to_have_count(3)
    expect(page.locator("#hotspots")).to_contain_text("Reservations expire during approval")
    assert no_horizontal_scroll(page)
    # Diagrams fit the column instead of spilling out of it.
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.overview-figure img')].map(i => "
        "[i.getBoundingClientRect().right, i.closest('section').getBoundingClientRect().right])"
    )
    assert widths and all(image <= section for image, section in widths)

    page.get_by_role("link", name="Cost", exact=True).click()
    expect(page.locator("#cost")).to_be_in_viewport()
    page.screenshot(path=artifacts / "overview.png")
    page.screenshot(path=artifacts / "overview-full.png", full_page=True)
    assert _serious_accessibility_violations(page) == []


def test_the_review_prints_a_section_a_page_without_controls(
    guest_page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
    artifacts: Path,
):
    page = guest_page
    design = save_design(
        design_from_starter("order-processing", "Order processing"), name="Order processing"
    )
    _join(page, live_server, share_link(design, "viewer"), "Open the review")
    page.wait_for_url(re.compile(r"/overview$"))
    _loaded(page)

    page.emulate_media(media="print")
    for hidden in (".site-header", ".overview-toc", ".overview-actions", ".site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#diagrams")).to_have_css("break-before", "page")
    page.screenshot(path=artifacts / "overview-print.png", full_page=True)

    pdf = page.pdf(format="A4", print_background=True)
    (artifacts / "overview.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    sections = page.locator(".overview-section").count()
    assert sections == 8
    # The summary shares the first page; every section after it starts a page of its own.
    assert pages >= sections + 1, pages
    # The starter's diagrams are wide: their section prints across, a diagram a page, each fits.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    across = sum(1 for width, height in boxes if float(width) > float(height))
    assert across == page.locator("#diagrams figure").count() == 7
    # On paper (A4 at 96 dpi, 12 mm margins: about 703 px), no diagram is wider than the page.
    page.set_viewport_size({"width": 703, "height": 1000})
    rights = page.evaluate(
        "() => [...document.querySelectorAll('.overview-figure img')].map("
        "i => i.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= 703


def test_an_editor_is_offered_the_board(
    guest_page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
):
    page = guest_page
    design = save_design(
        design_from_starter("order-processing", "Order processing"), name="Order processing"
    )
    _join(page, live_server, share_link(design, "editor"), "Join the board")
    page.wait_for_url(re.compile(rf"/designs/{design}$"))
    page.goto(f"{live_server}/designs/{design}/overview")
    board = page.get_by_role("link", name="Open the board")
    expect(board).to_be_visible()
    board.click()
    page.wait_for_url(re.compile(rf"/designs/{design}$"))
