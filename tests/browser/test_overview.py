"""The review view in a real browser: a stakeholder joins by a viewer link, reads, and prints."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect

from app.services.accounts import Accounts
from app.settings import Settings
from app.store.db import create_db_engine
from app.web import overview
from app.web.access import read_or_edit
from app.web.main import create_app
from tests.browser.conftest import AXE_SCRIPT, _free_port

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "catalog" / "starters" / "order-processing.storm.yaml"
PATH = "/designs/{design_id}/overview"


@pytest.fixture(scope="module")
def live_server(live_database_url: str) -> Iterator[str]:
    """The studio with the review view routed (main.py may not route it yet)."""
    app = create_app(Settings(database_url=live_database_url))
    if not any(getattr(route, "path", "") == PATH for route in app.routes):
        app.include_router(overview.router, dependencies=[read_or_edit])
    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the studio did not start within 10 seconds")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def share_link(live_database_url: str) -> Callable[[str, str], str]:
    """Makes a share link of a role to a design; returns its join path."""

    def make(design_id: str, role: str) -> str:
        engine = create_db_engine(live_database_url)
        try:
            _info, token = Accounts(engine).create_link(design_id, role)  # type: ignore[arg-type]
        finally:
            engine.dispose()
        return f"/join/{token}"

    return make


def _serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings. The conftest's check adds axe as a script tag,
    which the studio's content security policy refuses; evaluating it is not subject to it."""
    page.evaluate(AXE_SCRIPT.read_text("utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


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
    page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
    artifacts: Path,
    no_horizontal_scroll: Callable[[Page], bool],
):
    design = save_design(STARTER.read_text("utf-8"), name="Order processing")
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
    page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
    artifacts: Path,
):
    design = save_design(STARTER.read_text("utf-8"), name="Order processing")
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
    page: Page,
    live_server: str,
    save_design: Callable[..., str],
    share_link: Callable[[str, str], str],
):
    design = save_design(STARTER.read_text("utf-8"), name="Order processing")
    _join(page, live_server, share_link(design, "editor"), "Join the board")
    page.wait_for_url(re.compile(rf"/designs/{design}$"))
    page.goto(f"{live_server}/designs/{design}/overview")
    board = page.get_by_role("link", name="Open the board")
    expect(board).to_be_visible()
    board.click()
    page.wait_for_url(re.compile(rf"/designs/{design}$"))
