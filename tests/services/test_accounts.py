"""Accounts: users with Argon2 hashes, sign-in limits, sessions, API tokens and share links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.services import accounts as module
from app.services.accounts import ACCOUNT_LOCK_AFTER, ADDRESS_LIMIT, AccountError, Accounts
from app.store import designs as stored_designs
from app.store.db import Engine, session_scope
from app.store.tables import ApiTokenRecord, DesignRecord, ShareLinkRecord, UserRecord

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(engine: Engine, clock: Clock) -> Accounts:
    return Accounts(engine, now=clock)


def test_the_first_user_is_an_administrator_and_adopts_designs_without_owner(
    accounts: Accounts, engine: Engine
) -> None:
    with session_scope(engine) as session:
        seeded = stored_designs.create_design(
            session, name="Seeded", storm_yaml="", actor="seed"
        ).id
    first = accounts.create_user(" Ana@Example.COM ", PASSWORD, "  Ana   Lima ")
    second = accounts.create_user("bo@example.com", PASSWORD)
    assert (first.email, first.display_name, first.is_admin) == (
        "ana@example.com",
        "Ana Lima",
        True,
    )
    assert (second.display_name, second.is_admin) == ("bo", False)
    with session_scope(engine) as session:
        assert session.get(DesignRecord, seeded).owner_id == first.id
        stored = session.exec(select(UserRecord).where(UserRecord.id == first.id)).one()
        assert (
            stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
        )


def test_accounts_refuse_bad_emails_weak_passwords_and_duplicates(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="email address"):
        accounts.create_user("ana", PASSWORD)
    with pytest.raises(AccountError, match="at least"):
        accounts.create_user("ana@example.com", "short")
    accounts.create_user("ana@example.com", PASSWORD)
    with pytest.raises(AccountError, match="exists") as found:
        accounts.create_user("ANA@example.com", PASSWORD)
    assert found.value.status == 409


def test_sign_in_out_and_sessions_that_expire(accounts: Accounts, clock: Clock) -> None:
    made = accounts.create_user("ana@example.com", PASSWORD)
    user, token = accounts.sign_in("ana@example.com", PASSWORD, "10.0.0.1")
    assert user == made and accounts.user_of_session(token) == made
    with pytest.raises(AccountError) as wrong:
        accounts.sign_in("ana@example.com", "not the password", "10.0.0.1")
    assert wrong.value.status == 401
    with pytest.raises(AccountError) as unknown:
        accounts.sign_in("nobody@example.com", PASSWORD, "10.0.0.1")
    assert str(unknown.value) == str(wrong.value), "no hint which emails have accounts"
    accounts.sign_out(token)
    assert accounts.user_of_session(token) is None
    _user, later = accounts.sign_in("ana@example.com", PASSWORD, "10.0.0.1")
    clock.at += module.SESSION_LIFETIME + timedelta(seconds=1)
    assert accounts.user_of_session(later) is None


def test_an_account_locks_after_repeated_failures_until_its_time_or_a_reset(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.create_user("ana@example.com", PASSWORD)
    for attempt in range(ACCOUNT_LOCK_AFTER):
        with pytest.raises(AccountError):
            accounts.sign_in("ana@example.com", f"guess {attempt}", f"10.0.0.{attempt}")
    with pytest.raises(AccountError, match="locked") as locked:
        accounts.sign_in("ana@example.com", PASSWORD, "10.9.9.9")
    assert locked.value.status == 429
    clock.at += module.ACCOUNT_LOCK_FOR + timedelta(seconds=1)
    assert accounts.sign_in("ana@example.com", PASSWORD, "10.9.9.9")[0].email == "ana@example.com"

    for attempt in range(ACCOUNT_LOCK_AFTER):
        with pytest.raises(AccountError):
            accounts.sign_in("ana@example.com", f"guess {attempt}", "10.0.0.1")
    accounts.reset_password("ana@example.com", "a new password!")
    assert accounts.sign_in("ana@example.com", "a new password!", "10.9.9.9")


def test_one_address_is_slowed_down_across_accounts(accounts: Accounts) -> None:
    accounts.create_user("ana@example.com", PASSWORD)
    for attempt in range(ADDRESS_LIMIT):
        with pytest.raises(AccountError):
            accounts.sign_in(f"user{attempt}@example.com", "guess", "203.0.113.7")
    with pytest.raises(AccountError, match="Too many") as limited:
        accounts.sign_in("ana@example.com", PASSWORD, "203.0.113.7")
    assert limited.value.status == 429
    assert accounts.sign_in("ana@example.com", PASSWORD, "198.51.100.1")


def test_tokens_are_shown_once_scoped_and_revocable(accounts: Accounts, engine: Engine) -> None:
    user = accounts.create_user("ana@example.com", PASSWORD)
    other = accounts.create_user("bo@example.com", PASSWORD)
    info, secret = accounts.create_token(user.id, "CI", "read")
    assert secret.startswith("sdt_") and len(secret) > 40
    assert accounts.user_of_token(secret) == (user, "read")
    with session_scope(engine) as session:
        kept = session.exec(select(ApiTokenRecord)).one()
        assert secret not in (kept.token_hash, kept.name), "only a digest is kept"
    assert accounts.user_of_token(secret + "x") is None
    assert accounts.user_of_token("not-a-token") is None
    with pytest.raises(AccountError):
        accounts.revoke_token(other.id, info.id)
    assert accounts.user_of_token(secret) is not None
    accounts.revoke_token(user.id, info.id)
    assert accounts.user_of_token(secret) is None
    assert [t.revoked for t in accounts.tokens(user.id)] == [True]
    with pytest.raises(AccountError, match="scope"):
        accounts.create_token(user.id, "CI", "admin")  # type: ignore[arg-type]


def test_share_links_redeem_until_revoked(accounts: Accounts, engine: Engine) -> None:
    with session_scope(engine) as session:
        design = stored_designs.create_design(session, name="D", storm_yaml="", actor="t").id
    viewer, token = accounts.create_link(design, "viewer")
    editor, _other = accounts.create_link(design, "editor")
    assert len(token) >= 32
    assert accounts.redeem(token) == viewer
    assert accounts.redeem(token[:-1]) is None
    with session_scope(engine) as session:
        assert token not in session.exec(select(ShareLinkRecord.token_hash)).all()
    with pytest.raises(AccountError):
        accounts.revoke_link("another-design", viewer.id)
    accounts.revoke_link(design, viewer.id)
    assert accounts.redeem(token) is None
    assert accounts.live_links([viewer.id, editor.id]) == [editor]
