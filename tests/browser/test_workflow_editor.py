"""The workflow step editor in a real browser: add, edit, move and remove steps of a workflow
(nested ones too), see refusals where the form is, and find it all in the storm file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import open_starter


def open_workflow(page: Page, name: str) -> Locator:
    """Select a workflow's sticky; its step editor."""
    exact = re.compile(f"^{re.escape(name)}$")
    sticky = page.locator(".sticky[data-kind=workflows]").filter(
        has=page.locator(".sticky__name", has_text=exact)
    )
    sticky.locator(".sticky__open").click()
    editor = page.locator(".wf-editor")
    expect(editor).to_be_visible()
    return editor


def step(editor: Locator, path: str) -> Locator:
    return editor.locator(f'[data-step-path="{path}"]')


def opened_step(editor: Locator, path: str) -> Locator:
    """A step's entry, opened (a click on its summary, unless it is open already)."""
    entry = step(editor, path)
    details = entry.locator("> details")
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    return entry.locator("> details > .wf-step__body")


def storm_file(page: Page, live_server: str) -> str:
    design = page.url.rsplit("/", 1)[1]
    return page.request.get(f"{live_server}/designs/{design}/storm.yaml").text()


def saved(page: Page, route: str, click: Callable[[], None]) -> int:
    with page.expect_response(lambda r: r.url.endswith(route) and r.request.method == "POST") as r:
        click()
    return r.value.status


def test_steps_are_added_edited_moved_and_removed(
    page: Page,
    live_server: str,
    artifacts: Path,
    serious_accessibility_violations: Callable[[Page], list[str]],
):
    open_starter(page, live_server)
    editor = open_workflow(page, "Fulfil order")
    expect(step(editor, "0").locator(".wf-kind")).to_have_text("Task")
    expect(step(editor, "1").locator(".wf-step__summary")).to_contain_text(
        "if total > 1000 → Mark awaiting approval else → Charge payment"
    )
    editor.locator("#wf-steps-title").evaluate("(title) => title.scrollIntoView({block: 'start'})")
    page.screenshot(path=artifacts / "wf-outline.png")

    # Add a wait after "Book shipment": the form asks for what a wait needs.
    editor.get_by_text("+ Add a step").click()
    add = editor.locator(".wf-add form")
    add.get_by_label("Kind", exact=True).select_option("wait")
    expect(add.get_by_label("Command", exact=True)).to_be_hidden()
    add.get_by_label("Name", exact=True).fill("Cool off")
    add.get_by_label("Where").select_option(label="After “Book shipment”")
    add.get_by_label("Seconds").fill("600")
    page.screenshot(path=artifacts / "wf-add-form.png")
    assert saved(page, "/steps", add.get_by_role("button", name="Add step").click) == 200
    editor = page.locator(".wf-editor")
    added = step(editor, "6")
    expect(added.locator(".wf-step__name")).to_have_text("Cool off")
    expect(added.locator(".wf-step__summary")).to_have_text("waits 600 s (10 minutes)")
    expect(added.locator("> details")).to_have_attribute("open", "")

    # Edit it: a new name and a longer wait.
    body = opened_step(editor, "6")
    body.get_by_label("Name", exact=True).fill("Cool down")
    body.get_by_label("Seconds").fill("900")
    assert saved(page, "/steps/edit", body.get_by_role("button", name="Save step").click) == 200
    editor = page.locator(".wf-editor")
    expect(step(editor, "6").locator(".wf-step__summary")).to_have_text("waits 900 s (15 minutes)")

    # Move it up: it is now before "Book shipment", still open, its "Move up" focused.
    body = opened_step(editor, "6")
    assert saved(page, "/steps/move", body.get_by_role("button", name="Move up").click) == 200
    editor = page.locator(".wf-editor")
    expect(step(editor, "5").locator(".wf-step__name")).to_have_text("Cool down")
    expect(step(editor, "6").locator(".wf-step__name")).to_have_text("Book shipment")
    expect(page.locator(":focus")).to_have_accessible_name(re.compile("Move up Cool down"))

    # A custom retry shows its fields; a line it cannot read is refused where the form is.
    body = opened_step(editor, "4")
    expect(body.get_by_label("Max attempts")).to_be_visible()
    body.get_by_label("Policy").select_option("default")
    expect(body.get_by_label("Max attempts")).to_be_hidden()
    body.get_by_label("Policy").select_option("custom")
    body.get_by_label("Max attempts").fill("5")
    body.get_by_label("On error").fill("Payments.Declined Release stock after decline")
    assert saved(page, "/steps/edit", body.get_by_role("button", name="Save step").click) == 422
    refusal = page.locator(".wf-refusal")
    expect(refusal).to_contain_text("Step “Charge payment”, on error, line 1")
    expect(refusal).to_be_focused()
    body = step(page.locator(".wf-editor"), "4").locator("> details > .wf-step__body")
    expect(body.get_by_label("Max attempts")).to_have_value("5")
    page.screenshot(path=artifacts / "wf-refused.png")
    body.get_by_label("On error").fill("Payments.Declined → Release stock after decline")
    assert saved(page, "/steps/edit", body.get_by_role("button", name="Save step").click) == 200
    expect(page.locator("#inspector .flash--error")).to_have_count(0)
    page.screenshot(path=artifacts / "wf-edited.png")

    text = storm_file(page, live_server)
    assert re.search(r"name: Cool down\n +wait:\n +seconds: 900\n +- id: \S+\n +name: Book", text)
    charge = text[text.index("name: Charge payment") :]
    assert re.search(r"retry:\n( +\S.*\n)*? +max_attempts: 5\n", charge[: charge.index("task:")])

    violations = serious_accessibility_violations(page)
    assert violations == [], violations

    # Remove the new step again.
    body = opened_step(page.locator(".wf-editor"), "5")
    assert saved(page, "/steps/remove", body.get_by_role("button", name="Remove").click) == 200
    expect(page.locator(".wf-editor .wf-step__name", has_text="Cool down")).to_have_count(0)
    assert "Cool down" not in storm_file(page, live_server)


def test_nested_steps_and_references_in_the_outline(
    page: Page,
    live_server: str,
    artifacts: Path,
    serious_accessibility_violations: Callable[[Page], list[str]],
):
    page.goto(live_server + "/")
    page.get_by_label("Starter").select_option(label="Document pipeline")
    page.get_by_role("button", name="Create from starter").click()
    page.wait_for_url(re.compile(r"/designs/[0-9a-f]+$"))
    editor = open_workflow(page, "Extract and classify document")
    expect(editor.locator(".wf-group__title").first).to_have_text("Branch 1 · Text")
    expect(step(editor, "1.b0.0.m.0").locator(".wf-step__name")).to_have_text("Extract page text")

    # A step inside the map, after its only step.
    editor.get_by_text("+ Add a step").click()
    add = editor.locator(".wf-add form")
    add.get_by_label("Kind", exact=True).select_option("service")
    add.get_by_label("Name", exact=True).fill("Record page")
    add.get_by_label("Where").select_option(label="After “Extract page text”")
    add.get_by_label("Action").select_option("dynamodb:putItem")
    add.get_by_label("Target").fill("Document")
    assert saved(page, "/steps", add.get_by_role("button", name="Add step").click) == 200
    editor = page.locator(".wf-editor")
    expect(step(editor, "1.b0.0.m.1").locator(".wf-step__summary")).to_have_text(
        "calls dynamodb:putItem on Document"
    )

    # A step others go to says who, and is only removed with those references cleared.
    body = opened_step(editor, "9")
    expect(body.locator(".wf-pointers")).to_contain_text(
        "“Analyse document” goes to it on any error; “Human review” goes to it when it times out"
    )
    assert saved(page, "/steps/remove", body.get_by_role("button", name="Remove").click) == 422
    expect(page.locator(".wf-refusal")).to_contain_text("cannot be removed")
    body = step(page.locator(".wf-editor"), "9").locator("> details > .wf-step__body")
    body.get_by_label("Also clear the references to it").check()
    body.locator(".wf-pointers").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "wf-nested.png")
    assert saved(page, "/steps/remove", body.get_by_role("button", name="Remove").click) == 200
    text = storm_file(page, live_server)
    assert "name: Quarantine document\n" in text, "the command stays; only the step went"
    assert "on_timeout" not in text[text.index("name: Human review") :].split("- id:")[0]
    assert re.search(r"name: Record page\n +service: dynamodb:putItem\n +target: Document", text)

    # The Workflows preview reads the changed workflow: the new step has a dry-run scenario.
    page.get_by_role("tab", name="Previews").click()
    page.locator("#preview").get_by_role("button", name="Workflows").click()
    expect(page.locator("#preview")).to_contain_text("Record page fails", timeout=30_000)

    violations = serious_accessibility_violations(page)
    assert violations == [], violations
