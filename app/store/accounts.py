"""Accounts: users, their signed-in sessions and their API tokens; and designs' share links.

Secrets (session tokens, API tokens, link tokens) are never stored: only their SHA-256, which is
what a request's secret is looked up by. Functions flush but never commit.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, delete, func, select

from app.store.tables import ApiTokenRecord, ShareLinkRecord, UserRecord, UserSessionRecord

# -- users -------------------------------------------------------------------------------------


def add_user(session: Session, user: UserRecord) -> UserRecord:
    """Save a new user (the caller has checked the email is free)."""
    session.add(user)
    session.flush()
    return user


def user_by_email(session: Session, email: str) -> UserRecord | None:
    """The user who signs in with this email (emails are stored lower-cased)."""
    return session.exec(select(UserRecord).where(UserRecord.email == email)).first()


def get_user(session: Session, user_id: str) -> UserRecord | None:
    """The user with this id, or None."""
    return session.get(UserRecord, user_id)


def list_users(session: Session) -> Sequence[UserRecord]:
    """Every user, by email."""
    return session.exec(select(UserRecord).order_by(col(UserRecord.email))).all()


def count_users(session: Session) -> int:
    """How many accounts exist."""
    return session.exec(select(func.count()).select_from(UserRecord)).one()


# -- signed-in sessions ------------------------------------------------------------------------


def add_session(session: Session, record: UserSessionRecord) -> None:
    """Remember a signed-in session by its token's hash."""
    session.add(record)
    session.flush()


def user_of_session(session: Session, token_hash: str, now: datetime) -> UserRecord | None:
    """The user a live session belongs to, or None when unknown or expired."""
    record = session.get(UserSessionRecord, token_hash)
    if record is None or record.expires_at <= now:
        return None
    return session.get(UserRecord, record.user_id)


def end_session(session: Session, token_hash: str) -> None:
    """Forget a signed-in session (sign out)."""
    session.exec(delete(UserSessionRecord).where(col(UserSessionRecord.token_hash) == token_hash))


def end_sessions_of(session: Session, user_id: str) -> None:
    """Forget every session of a user (after a password reset)."""
    session.exec(delete(UserSessionRecord).where(col(UserSessionRecord.user_id) == user_id))


# -- API tokens --------------------------------------------------------------------------------


def add_token(session: Session, record: ApiTokenRecord) -> ApiTokenRecord:
    """Save a new API token's hash."""
    session.add(record)
    session.flush()
    return record


def token_by_hash(session: Session, token_hash: str) -> ApiTokenRecord | None:
    """The live (unrevoked) token with this hash."""
    record = session.exec(
        select(ApiTokenRecord).where(ApiTokenRecord.token_hash == token_hash)
    ).first()
    return None if record is None or record.revoked_at is not None else record


def tokens_of(session: Session, user_id: str) -> Sequence[ApiTokenRecord]:
    """A user's tokens, newest first (revoked ones too, marked)."""
    query = select(ApiTokenRecord).where(ApiTokenRecord.user_id == user_id)
    return session.exec(query.order_by(col(ApiTokenRecord.created_at).desc())).all()


def get_token(session: Session, token_id: str) -> ApiTokenRecord | None:
    """The token with this public id."""
    return session.get(ApiTokenRecord, token_id)


# -- share links -------------------------------------------------------------------------------


def add_link(session: Session, record: ShareLinkRecord) -> ShareLinkRecord:
    """Save a new share link's hash."""
    session.add(record)
    session.flush()
    return record


def link_by_hash(session: Session, token_hash: str) -> ShareLinkRecord | None:
    """The live link with this token hash."""
    record = session.exec(
        select(ShareLinkRecord).where(ShareLinkRecord.token_hash == token_hash)
    ).first()
    return None if record is None or record.revoked_at is not None else record


def live_links(session: Session, link_ids: Sequence[str]) -> Sequence[ShareLinkRecord]:
    """Those of these links that are still live."""
    if not link_ids:
        return []
    query = select(ShareLinkRecord).where(
        col(ShareLinkRecord.id).in_(list(link_ids)), col(ShareLinkRecord.revoked_at).is_(None)
    )
    return session.exec(query).all()


def links_of(session: Session, design_id: str) -> Sequence[ShareLinkRecord]:
    """A design's links, newest first (revoked ones too)."""
    query = select(ShareLinkRecord).where(ShareLinkRecord.design_id == design_id)
    return session.exec(query.order_by(col(ShareLinkRecord.created_at).desc())).all()


def get_link(session: Session, link_id: str) -> ShareLinkRecord | None:
    """The link with this public id."""
    return session.get(ShareLinkRecord, link_id)
