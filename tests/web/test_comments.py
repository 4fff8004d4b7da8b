"""Comments: threads on the design and its elements, from every role, resolvable, live."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.accounts import COOKIE, signed_in_cookie


def an_element(app: FastAPI, design_id: str) -> tuple[str, str]:
    """Some element of the design: its id and name."""
    element = app.state.studio.document(design_id).data["contexts"][0]["events"][0]
    return element["id"], element["name"]


def post(browser: TestClient, design_id: str, headers: dict[str, str] | None = None, **form):
    sent = {"HX-Request": "true", "HX-Trigger": "comment-form-design", **(headers or {})}
    return browser.post(f"/designs/{design_id}/comments", data=form, headers=sent)


def threads(client: TestClient, design_id: str) -> list[dict]:
    answer = client.get(f"/api/designs/{design_id}/comments")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_viewer_comments_on_an_element_and_everyone_hears_of_it(
    app: FastAPI, client: TestClient, viewer: TestClient, starter_design: str
) -> None:
    element_id, name = an_element(app, starter_design)
    listening = app.state.studio.hub.subscribe(starter_design)
    try:
        answer = post(viewer, starter_design, body="Who sends this?", element=element_id)
        assert answer.status_code == 200, answer.text
        assert "Who sends this?" in answer.text and "Stakeholder" in answer.text
        assert f"On <strong>{name}</strong>" in answer.text
        assert listening.queue.get_nowait() == {"type": "comments"}
    finally:
        app.state.studio.hub.unsubscribe(listening)
    [thread] = threads(client, starter_design)
    assert (thread["element_id"], thread["subject"]) == (element_id, name)
    assert (thread["comment"]["author"], thread["comment"]["body"]) == (
        "Stakeholder",
        "Who sends this?",
    )
    only_it = viewer.get(f"/designs/{starter_design}/comments?element={element_id}")
    assert "Who sends this?" in only_it.text
    elsewhere = viewer.get(f"/designs/{starter_design}/comments?element=nothing-here")
    assert "Who sends this?" not in elsewhere.text


def test_replies_join_the_thread_they_answer(
    client: TestClient, viewer: TestClient, editor: TestClient, starter_design: str
) -> None:
    post(viewer, starter_design, body="Is this the right name?")
    [thread] = threads(client, starter_design)
    post(editor, starter_design, body="Yes.", parent=str(thread["id"]))
    [thread] = threads(client, starter_design)
    reply_id = thread["replies"][0]["id"]
    post(viewer, starter_design, body="Thanks!", parent=str(reply_id))
    [thread] = threads(client, starter_design)
    assert [(r["author"], r["body"]) for r in thread["replies"]] == [
        ("Ana", "Yes."),
        ("Stakeholder", "Thanks!"),
    ]


def test_editors_resolve_and_reopen_threads_viewers_cannot(
    client: TestClient, viewer: TestClient, editor: TestClient, starter_design: str
) -> None:
    post(viewer, starter_design, body="First")
    post(viewer, starter_design, body="Second")
    first = next(t for t in threads(client, starter_design) if t["comment"]["body"] == "First")
    resolve = f"/designs/{starter_design}/comments/{first['id']}/resolve"
    assert viewer.post(resolve, headers={"HX-Request": "true"}).status_code == 403
    assert not any(t["resolved"] for t in threads(client, starter_design))

    answer = editor.post(resolve, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "1 open thread, 1 resolved" in answer.text
    assert "First" not in answer.text, "resolved threads are folded away"
    listed = threads(client, starter_design)
    assert [(t["comment"]["body"], t["resolved"]) for t in listed] == [
        ("Second", False),
        ("First", True),
    ]
    assert listed[1]["resolved_by"] == "Ana"
    shown = editor.get(f"/designs/{starter_design}/comments?resolved=true")
    assert "Resolved by Ana" in shown.text

    reopened = client.post(
        f"/api/designs/{starter_design}/comments/{first['id']}/resolve", json={"resolved": False}
    )
    assert reopened.status_code == 204
    assert not any(t["resolved"] for t in threads(client, starter_design))


def test_a_refused_comment_says_why_beside_its_form_and_saves_nothing(
    client: TestClient, viewer: TestClient, starter_design: str
) -> None:
    empty = post(viewer, starter_design, body="   ")
    assert empty.status_code == 422
    assert empty.text == "Write something to comment."
    assert empty.headers["HX-Retarget"] == "#comment-form-design-error"
    gone = post(viewer, starter_design, body="About a deleted sticky", element="evt-gone")
    assert gone.status_code == 404 and "no longer on the board" in gone.text
    too_long = post(viewer, starter_design, body="x" * 4001)
    assert too_long.status_code == 422 and "at most 4,000 characters" in too_long.text
    no_parent = post(viewer, starter_design, body="Reply", parent="999999")
    assert no_parent.status_code == 404
    odd_form = post(viewer, starter_design, {"HX-Trigger": 'x"><img'}, body="  ")
    assert odd_form.status_code == 422 and odd_form.headers["HX-Retarget"] == "#flash"
    assert threads(client, starter_design) == []


def test_comment_text_stays_text(
    client: TestClient, viewer: TestClient, starter_design: str
) -> None:
    answer = post(viewer, starter_design, body='<script>alert("x")</script>\nline two')
    assert "<script>alert" not in answer.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in answer.text
    assert threads(client, starter_design)[0]["comment"]["body"].endswith("\nline two")


def test_nobody_else_reads_or_writes_comments(
    app: FastAPI, anonymous: TestClient, starter_design: str
) -> None:
    path = f"/designs/{starter_design}/comments"
    assert anonymous.get(f"/api{path}").status_code == 401
    assert anonymous.post(f"/api{path}", json={"body": "hi"}).status_code == 401
    _user, cookie = signed_in_cookie(app.state.engine, "other@example.com", "Other")
    with TestClient(app, raise_server_exceptions=False, cookies={COOKIE: cookie}) as other:
        assert other.get(path).status_code == 404
        assert other.get(f"/api{path}").status_code == 404


def test_scripts_comment_through_the_api(
    app: FastAPI, client: TestClient, starter_design: str
) -> None:
    element_id, _name = an_element(app, starter_design)
    made = client.post(
        f"/api/designs/{starter_design}/comments",
        json={"body": "Checked by CI", "element_id": element_id},
    )
    assert made.status_code == 201, made.text
    assert made.json()["author"] == "Owner"
    [thread] = threads(client, starter_design)
    assert thread["id"] == made.json()["id"] and thread["element_id"] == element_id
    empty = client.post(f"/api/designs/{starter_design}/comments", json={"body": ""})
    assert empty.status_code == 422
