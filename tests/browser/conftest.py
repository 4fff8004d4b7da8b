"""Browser fixtures: the studio served by uvicorn on a free port, and headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from app.settings import Settings
from app.store.migrations import upgrade_to_head
from app.web.main import create_app

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


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own browser context, at a laptop-sized viewport."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


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
    page.add_script_tag(path=str(AXE_SCRIPT))
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
def save_design(live_database_url: str) -> Callable[[str], str]:
    """Saves a storm file as a new design in the live server's database; returns its id."""
    from app.store import designs
    from app.store.db import create_db_engine, session_scope

    def save(storm_text: str, name: str = "Saved design") -> str:
        engine = create_db_engine(live_database_url)
        try:
            with session_scope(engine) as session:
                return designs.create_design(
                    session, name=name, storm_yaml=storm_text, actor="test"
                ).id
        finally:
            engine.dispose()

    return save


@pytest.fixture
def no_horizontal_scroll() -> Callable[[Page], bool]:
    """A check: the page is no wider than the window."""
    return lambda page: bool(
        page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    )
