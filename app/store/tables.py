"""The database tables: designs, their history and presence; accounts, links, comments, versions."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Named constraints let migrations (and SQLite's batch mode) refer to them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DesignRecord(SQLModel, table=True):
    """One saved design: its current storm file (as text or as JSON data) and revision number."""

    __tablename__ = "design"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    name: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    storm_yaml: str | None = Field(default=None, sa_column=Column(Text))
    """The storm file as written, for a design whose data is not kept as JSON (a new design);
    None once edits keep `data_json`."""
    data_json: str | None = Field(default=None, sa_column=Column(Text))
    """The design's canonical data as JSON (read without parsing YAML, and the storm file
    dumped from it); None when only the storm file was written."""
    revision: int = Field(sa_column=Column(Integer, nullable=False))
    data_revision: int = Field(sa_column=Column(Integer, nullable=False))
    """The revision the storm file or JSON above is of. An edit of one element does not write
    them again: its change keeps the element after (`ChangeRecord.element_after`), and the
    design at `revision` is this data with the changes after `data_revision` replayed."""
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    owner_id: str | None = Field(
        default=None,
        sa_column=Column(String(32), ForeignKey("app_user.id", ondelete="SET NULL"), index=True),
    )


class ChangeRecord(SQLModel, table=True):
    """One change to a design: who made it, when, and what it replaced."""

    __tablename__ = "design_change"
    __table_args__ = (UniqueConstraint("design_id", "revision"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    design_id: str = Field(
        sa_column=Column(String(64), ForeignKey("design.id", ondelete="CASCADE"), nullable=False)
    )
    revision: int = Field(sa_column=Column(Integer, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    storm_yaml_before: str | None = Field(default=None, sa_column=Column(Text))
    """The whole storm file before, kept for changes not about one element (text edits)."""
    element_id: str | None = Field(
        default=None, sa_column=Column(String(64)), description="the one element changed, if one"
    )
    element_before: str | None = Field(default=None, sa_column=Column(Text))
    """JSON: that element before the change, with its place (what undo needs), instead of a
    copy of the whole storm file on every edit."""
    element_after: str | None = Field(default=None, sa_column=Column(Text))
    """JSON: that element after the change, in the same form; replaying it on the design before
    gives the design after (the studio checks that it does before relying on it)."""


class PresenceRecord(SQLModel, table=True):
    """One participant on a design's board, seen lately (live workshops across instances)."""

    __tablename__ = "presence"

    design_id: str = Field(
        sa_column=Column(String(64), ForeignKey("design.id", ondelete="CASCADE"), primary_key=True)
    )
    session_id: str = Field(sa_column=Column(String(64), primary_key=True))
    display_name: str = Field(sa_column=Column(String(80), nullable=False))
    last_seen: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class UserRecord(SQLModel, table=True):
    """A local account: its sign-in email, display name and Argon2 password hash."""

    __tablename__ = "app_user"

    id: str = Field(sa_column=Column(String(32), primary_key=True))
    email: str = Field(sa_column=Column(String(254), nullable=False, unique=True))
    display_name: str = Field(sa_column=Column(String(80), nullable=False))
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    is_admin: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    failed_sign_ins: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    locked_until: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class UserSessionRecord(SQLModel, table=True):
    """A signed-in browser session; the cookie holds the token, the table only its hash."""

    __tablename__ = "user_session"

    token_hash: str = Field(sa_column=Column(String(64), primary_key=True))
    user_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class ApiTokenRecord(SQLModel, table=True):
    """A personal API token: scoped, revocable, stored as a hash (shown once on creation)."""

    __tablename__ = "api_token"

    id: str = Field(sa_column=Column(String(32), primary_key=True))
    user_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(sa_column=Column(String(100), nullable=False))
    scope: str = Field(sa_column=Column(String(10), nullable=False))
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class ShareLinkRecord(SQLModel, table=True):
    """A link that lets people without an account edit or view one design until revoked."""

    __tablename__ = "share_link"

    id: str = Field(sa_column=Column(String(32), primary_key=True))
    design_id: str = Field(
        sa_column=Column(
            String(64), ForeignKey("design.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    role: str = Field(sa_column=Column(String(10), nullable=False))
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class CommentRecord(SQLModel, table=True):
    """A comment on a design or one of its elements; replies name their parent."""

    __tablename__ = "comment"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    design_id: str = Field(
        sa_column=Column(
            String(64), ForeignKey("design.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    element_id: str | None = Field(default=None, sa_column=Column(String(64)))
    parent_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("comment.id", ondelete="CASCADE"))
    )
    author: str = Field(sa_column=Column(String(80), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    resolved_by: str | None = Field(default=None, sa_column=Column(String(80)))


class VersionRecord(SQLModel, table=True):
    """A named snapshot of a design's storm file (saved by hand or at each export)."""

    __tablename__ = "design_version"
    __table_args__ = (UniqueConstraint("design_id", "number"),)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    design_id: str = Field(
        sa_column=Column(String(64), ForeignKey("design.id", ondelete="CASCADE"), nullable=False)
    )
    number: int = Field(sa_column=Column(Integer, nullable=False))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    revision: int = Field(sa_column=Column(Integer, nullable=False))
    storm_yaml: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    created_by: str = Field(sa_column=Column(String(80), nullable=False))
