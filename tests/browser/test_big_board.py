"""The large benchmark design (about 850 stickies) stays workable: find, filter, focus, zoom."""

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from app.model import dump_design, load_design

LARGE = Path(__file__).resolve().parents[2] / "bench" / "large_design.py"


def _large_design_text() -> str:
    spec = importlib.util.spec_from_file_location("large_design", LARGE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while loading
    spec.loader.exec_module(module)
    return dump_design(load_design(module.make_large_design(seed=7)).design)


def test_a_big_board_can_be_searched_filtered_and_focused(
    page: Page,
    live_server: str,
    save_design: Callable[[str], str],
    artifacts: Path,
    no_horizontal_scroll: Callable[[Page], bool],
):
    design = save_design(_large_design_text(), "Retail platform")
    page.goto(f"{live_server}/designs/{design}")
    stickies = page.locator(".sticky")
    total = stickies.count()
    assert total > 700
    assert no_horizontal_scroll(page)
    page.screenshot(path=artifacts / "big-board.png")

    page.get_by_label("Find").fill("refund")
    shown = page.locator(".sticky:visible")
    expect(shown.first).to_be_visible()
    assert 0 < shown.count() < total
    for name in shown.locator(".sticky__name").all_inner_texts():
        assert "refund" in name.lower()
    page.get_by_label("Find").fill("")

    page.locator(".kind-filter summary").click()
    page.get_by_label("Event", exact=True).uncheck()
    expect(page.locator(".sticky.sticky--events:visible")).to_have_count(0)
    page.get_by_label("Event", exact=True).check()
    page.locator(".kind-filter summary").click()

    lane = page.locator("#lane-filter option").nth(2)
    page.locator("#lane-filter").select_option(value=lane.get_attribute("value"))
    expect(page.locator(".lane:visible")).to_have_count(1)
    page.locator("#lane-filter").select_option(value="")

    event = page.locator(".sticky.sticky--events").first
    links = event.get_attribute("data-links").split()
    event.locator(".sticky__open").click()
    page.get_by_role("button", name="Focus on neighbours").click()
    expect(page.locator(".sticky:visible")).to_have_count(len(links) + 1)
    page.screenshot(path=artifacts / "big-board-focus.png")
    page.get_by_role("button", name="Show all").click()
    expect(page.locator(".sticky:visible")).to_have_count(total)

    page.get_by_role("button", name="Zoom out").click()
    expect(page.locator("#zoom-level")).to_have_text("90%")
    assert no_horizontal_scroll(page)
