"""A live workshop in real browsers: two people on one board see each other's changes."""

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect


def join(page: Page, url: str, name: str) -> Page:
    """Open a share link as someone without an account and join under `name`."""
    page.goto(url)
    page.get_by_label("Your name, as others will see it").fill(name)
    page.get_by_role("button", name=re.compile("Join the board|Open the review")).click()
    page.wait_for_url(re.compile(r"/designs/[0-9a-f]+(/overview)?$"))
    return page


def make_link(owner: Page, role: str) -> str:
    """From the owner's board, make a share link of `role` on the Share page; its address."""
    owner.get_by_role("link", name="Share").click()
    owner.get_by_role("button", name=f"Create {role} link").click()
    link = owner.get_by_label(f"New {role} link").input_value()
    owner.go_back()
    owner.go_back()
    return link


def _add(page: Page, kind: str, name: str) -> None:
    form = page.locator(".add-form")
    form.get_by_label("Kind").select_option(label=kind)
    form.get_by_label("Name").fill(name)
    form.get_by_role("button", name="Add sticky").click()
    expect(page.locator("#inspector .inspector__title")).to_have_text(name)


def _save(page: Page) -> None:
    """Press the inspector's Save and wait until the studio has answered it."""
    with page.expect_response(lambda r: r.request.method != "GET"):
        page.locator("#inspector").get_by_role("button", name="Save", exact=True).click()
    page.wait_for_timeout(100)  # htmx swaps the answer in after its settle delay


def _open(page: Page, name: str) -> None:
    """Open a sticky in the inspector and wait for it: typing into the inspector that was
    open before would be undone when the new one is swapped in."""
    with page.expect_response(lambda r: "/elements/" in r.url and r.request.method == "GET"):
        _sticky(page, name).locator(".sticky__open").click()
    page.wait_for_timeout(100)  # htmx swaps the answer in after its settle delay


def _sticky(page: Page, name: str):
    return page.locator(".sticky").filter(has=page.locator(".sticky__name", has_text=name))


def test_a_workshop_through_an_editor_link_sees_each_others_changes_within_a_second(
    page: Page, new_page: Callable[..., Page], live_server: str, artifacts: Path
):
    page.goto(live_server + "/")
    page.get_by_label("Starter").select_option(label="Order processing")
    page.get_by_label("Name (optional)").fill("Live workshop")
    page.get_by_role("button", name="Create from starter").click()
    page.wait_for_url(re.compile(r"/designs/[0-9a-f]+$"))
    board_url = page.url
    link = make_link(page, "editor")
    assert link.startswith(live_server + "/join/")

    ada = join(new_page(), link, "Ada")
    grace = join(new_page(), link, "Grace")
    assert ada.url == board_url and grace.url == board_url
    expect(ada.get_by_role("link", name="Share")).to_have_count(0)
    expect(ada.locator("#presence")).to_contain_text("Grace", timeout=3000)
    expect(grace.locator("#presence")).to_contain_text("Ada", timeout=3000)

    _add(ada, "Event", "Refund issued")
    expect(_sticky(grace, "Refund issued")).to_have_count(1, timeout=1000)
    # Ada works from the keyboard: the refresh that brings Grace's sticky keeps her focus.
    _sticky(ada, "Refund issued").locator(".sticky__open").focus()
    _add(grace, "Hotspot", "Partial refunds?")
    expect(_sticky(ada, "Partial refunds?")).to_have_count(1, timeout=1000)
    expect(_sticky(ada, "Refund issued").locator(".sticky__open")).to_be_focused()

    # Different stickies edited at once: neither change overwrites the other.
    _open(ada, "Refund issued")
    _open(grace, "Partial refunds?")
    ada.locator("#el-description").fill("Money goes back to the card.")
    grace.locator("#el-description").fill("Ask finance.")
    _save(ada)
    _save(grace)
    expect(ada.locator("#flash")).to_be_empty()

    # The same sticky edited from a stale form: refused, with the current value shown.
    _open(grace, "Refund issued")
    expect(grace.locator("#el-description")).to_have_value("Money goes back to the card.")
    _open(ada, "Refund issued")
    ada.locator("#el-name").fill("Refund paid out")
    _save(ada)
    # The second counts from when the edit is saved (Ada's own board shows it), as elsewhere.
    expect(_sticky(ada, "Refund paid out")).to_have_count(1)
    expect(_sticky(grace, "Refund paid out")).to_have_count(1, timeout=1000)
    grace.locator("#el-name").fill("Refund sent")
    grace.locator("#inspector").get_by_role("button", name="Save", exact=True).click()
    expect(grace.get_by_role("alert")).to_contain_text("changed by someone else")
    expect(grace.locator("#el-name")).to_have_value("Refund paid out")
    grace.screenshot(path=artifacts / "workshop-conflict.png")
    ada.screenshot(path=artifacts / "workshop-presence.png")

    ada.goto(board_url + "/history")
    history = ada.locator(".history__table")
    expect(history).to_contain_text("Grace")
    expect(history).to_contain_text("Changed event “Refund paid out”")
