"""Browser fixtures: the studio served by uvicorn on a free port, and headless Chromium."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from app.services.accounts import Accounts, User
from app.settings import Settings
from app.store.db import create_db_engine
from app.store.migrations import upgrade_to_head
from app.web.main import create_app
from tests.accounts import COOKIE, signed_in_cookie

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite database for the live server; tests may write to it."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'stormdraft.db'}"
    upgrade_to_head(database_url)
    return database_url


@pytest.fixture(scope="module")
def live_server(live_database_url: str) -> Iterator[str]:
    """The base URL of the studio, served by uvicorn on 127.0.0.1 and a free port."""
    app = create_app(Settings(database_url=live_database_url))
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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def owner(live_database_url: str) -> tuple[User, str]:
    """The account that owns the designs tests save, and a session cookie that signs it in."""
    engine = create_db_engine(live_database_url)
    try:
        return signed_in_cookie(engine, "owner@example.com", "Owner")
    finally:
        engine.dispose()


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[Callable[..., Page]]:
    """Opens pages, each in its own browser context at a laptop-sized viewport; signed in as
    the owner when given the owner's session cookie, a guest without an account otherwise."""
    contexts: list[BrowserContext] = []

    def open_page(cookie: str | None = None) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        if cookie:
            context.add_cookies([{"name": COOKIE, "value": cookie, "url": live_server}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page], owner: tuple[User, str]) -> Page:
    """A page signed in as the owner."""
    return new_page(owner[1])


@pytest.fixture
def guest_page(new_page: Callable[..., Page]) -> Page:
    """A page of someone without an account (they join designs by share links)."""
    return new_page()


@pytest.fixture
def share_link(live_database_url: str) -> Callable[[str, str], str]:
    """Makes a share link of a role ("editor" or "viewer") to a design; returns its join path."""

    def make(design_id: str, role: str) -> str:
        engine = create_db_engine(live_database_url)
        try:
            _info, token = Accounts(engine).create_link(design_id, role)  # type: ignore[arg-type]
        finally:
            engine.dispose()
        return f"/join/{token}"

    return make


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The ignored folder where browser tests leave screenshots for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def serious_accessibility_violations() -> Callable[[Page], list[str]]:
    """A check to call on a loaded page: axe-core's serious and critical findings."""
    return _serious_accessibility_violations


def _serious_accessibility_violations(page: Page) -> list[str]:
    # Evaluated, not added as a script tag: the content security policy refuses foreign tags.
    page.evaluate(AXE_SCRIPT.read_text("utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']]}"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------------------------------------
# The board: designs saved straight into the live server's database, and page checks.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def save_design(live_database_url: str, owner: tuple[User, str]) -> Callable[[str], str]:
    """Saves a storm file as a new design of the owner in the live server's database; returns
    its id."""
    from app.store import designs
    from app.store.db import session_scope

    def save(storm_text: str, name: str = "Saved design") -> str:
        engine = create_db_engine(live_database_url)
        try:
            with session_scope(engine) as session:
                return designs.create_design(
                    session, name=name, storm_yaml=storm_text, actor="test", owner_id=owner[0].id
                ).id
        finally:
            engine.dispose()

    return save


def open_starter(page: Page, live_server: str) -> None:
    """Make a design from the order-processing starter on the designs page and open its board."""
    page.goto(live_server + "/")
    page.get_by_label("Starter").select_option(label="Order processing")
    page.get_by_role("button", name="Create from starter").click()
    page.wait_for_url(re.compile(r"/designs/[0-9a-f]+$"))


@pytest.fixture
def fits_window() -> Callable[[Page], bool]:
    """A check for the board and the text view: the page scrolls neither way (its panes do)."""
    return lambda page: bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth"
            " && document.documentElement.scrollHeight <= window.innerHeight"
        )
    )


@pytest.fixture
def no_horizontal_scroll() -> Callable[[Page], bool]:
    """A check: the page is no wider than the window."""
    return lambda page: bool(
        page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    )
