"""Smoke test in a real browser: the home page renders, loads htmx, and passes axe-core."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.services.accounts import User
from app.store import designs
from app.store.db import create_db_engine, session_scope

AxeCheck = Callable[[Page], list[str]]


def _save_designs(database_url: str, owner_id: str, *names: str) -> None:
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine) as session:
            for name in names:
                designs.create_design(
                    session, name=name, storm_yaml="", actor="Ada", owner_id=owner_id
                )
    finally:
        engine.dispose()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_empty_home_page(
    page: Page,
    live_server: str,
    artifacts: Path,
    console_errors: list[str],
    serious_accessibility_violations: AxeCheck,
):
    page.goto(live_server + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Designs")
    expect(page.get_by_text("No designs yet")).to_be_visible()
    assert page.evaluate("typeof htmx") == "object", "htmx did not load from static/vendor"
    page.screenshot(path=artifacts / "home-empty.png", full_page=True)
    assert serious_accessibility_violations(page) == []
    assert console_errors == []


def test_home_page_with_designs_and_search(
    page: Page,
    live_server: str,
    live_database_url: str,
    owner: tuple[User, str],
    artifacts: Path,
    console_errors: list[str],
    serious_accessibility_violations: AxeCheck,
):
    _save_designs(live_database_url, owner[0].id, "Order processing", "Payments", "Loyalty points")
    page.goto(live_server + "/")

    rows = page.locator("#design-list tbody tr")
    expect(rows).to_have_count(3)
    page.screenshot(path=artifacts / "home-designs.png", full_page=True)
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Find a design by name").fill("pay")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Payments")
    assert page.url.endswith("/?q=pay")
    assert console_errors == []
