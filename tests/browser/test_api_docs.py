"""The design's API docs in a real browser: Swagger UI from static/vendor shows its routes."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import open_starter


def test_the_api_docs_show_the_designs_routes(page: Page, live_server: str, artifacts: Path):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_starter(page, live_server)
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="API", exact=True).click()
    docs = page.get_by_role("link", name="Open API docs")
    expect(docs).to_be_visible()
    page.goto(live_server + docs.get_attribute("href"))
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.locator(".swagger-ui")).to_contain_text("/orders/{orderId}/cancel")
    page.screenshot(path=artifacts / "api-docs.png")
    assert all(url.startswith(live_server) for url in requested)
