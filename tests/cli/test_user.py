"""``stormdraft user``: accounts made and passwords reset from the command line, no email."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from app import cli
from app.services.accounts import AccountError, Accounts
from app.settings import get_settings
from app.store.db import Engine


@pytest.fixture
def studio_db(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    """The command's settings point at the test database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def user(monkeypatch: pytest.MonkeyPatch, *args: str, password: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return cli.main(["user", *args])


def test_create_list_and_reset_a_password(
    studio_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    made = user(monkeypatch, "create", "Ana@Example.com", "--name", "Ana", "--password-stdin",
                password="first password!")  # fmt: skip
    assert made == cli.EXIT_OK
    assert "created ana@example.com (administrator)" in capsys.readouterr().out
    assert not user(
        monkeypatch, "create", "bo@example.com", "--password-stdin", password="bo pass 12"
    )
    capsys.readouterr()
    assert user(monkeypatch, "list") == cli.EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        "ana@example.com\tAna\tadmin",
        "bo@example.com\tbo\tuser",
    ]

    accounts = Accounts(studio_db)
    _user, session = accounts.sign_in("ana@example.com", "first password!", "cli-test")
    reset = user(monkeypatch, "reset-password", "ana@example.com", "--password-stdin",
                 password="second password!")  # fmt: skip
    assert reset == cli.EXIT_OK
    assert accounts.user_of_session(session) is None, "the old sessions end"
    with pytest.raises(AccountError):
        accounts.sign_in("ana@example.com", "first password!", "cli-test")
    assert accounts.sign_in("ana@example.com", "second password!", "cli-test")[0].is_admin


def test_bad_input_is_refused_with_a_reason(
    studio_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert user(monkeypatch, "create", "not-an-email", "--password-stdin", password="long enough 1")
    assert "email address" in capsys.readouterr().err
    assert user(monkeypatch, "reset-password", "nobody@example.com", "--password-stdin",
                password="long enough 1") == cli.EXIT_INVALID  # fmt: skip
    assert "No account has the email" in capsys.readouterr().err
    assert user(monkeypatch, "create", "cy@example.com", "--password-stdin", password="short")
    assert "password" in capsys.readouterr().err.lower()
    assert Accounts(studio_db).users() == []
