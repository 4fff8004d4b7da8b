"""The Diagrams tab in a real browser: zoom and pan with buttons, keys and the mouse."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_a_diagram_zooms_pans_and_resets(
    page: Page, live_server: str, artifacts: Path, serious_accessibility_violations
):
    open_starter(page, live_server)
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Diagrams").click()
    figure = page.locator('[data-diagram="event-flow"]')
    image = figure.locator(".diagram__image")
    expect(image).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.querySelector('.diagram__image').naturalWidth > 0")
    viewport = figure.locator(".diagram__viewport")

    figure.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "diagrams-whole.png")
    figure.get_by_role("button", name="Zoom in on Event flow").click()
    expect(viewport).to_have_attribute("data-scale", "1.25")
    figure.get_by_role("button", name="Zoom in on Event flow").press("Enter")
    figure.get_by_role("button", name="Zoom in on Event flow").press("Space")
    expect(viewport).to_have_attribute("data-scale", "1.95")
    page.screenshot(path=artifacts / "diagrams-zoomed.png")
    viewport.focus()
    page.keyboard.press("ArrowLeft")
    assert "translate(" in image.evaluate("i => i.style.transform")
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 150, steps=4)
    page.mouse.up()
    page.mouse.wheel(0, -200)
    assert float(viewport.get_attribute("data-scale")) > 1.95
    figure.get_by_role("button", name="Reset the view of Event flow").click()
    expect(viewport).to_have_attribute("data-scale", "1.00")

    page.locator("#diagram-view").select_option(label="Follow event: Order placed")
    expect(page.locator('[data-diagram="event-flow"] .diagram__image')).to_have_attribute(
        "src", re.compile(r"view=event%3A")
    )
    page.wait_for_function("() => document.querySelector('.diagram__image').naturalWidth > 0")
    page.locator('[data-diagram="event-flow"]').scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "diagrams-one-event.png")
    assert serious_accessibility_violations(page) == []
