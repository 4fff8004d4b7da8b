"""The database tables: saved designs, their change history, and who is on which board."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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
    """One saved design: its current storm file and revision number."""

    __tablename__ = "design"

    id: str = Field(sa_column=Column(String(64), primary_key=True))
    name: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    storm_yaml: str = Field(sa_column=Column(Text, nullable=False))
    revision: int = Field(sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class ChangeRecord(SQLModel, table=True):
    """One change to a design: who made it, when, and the storm file it replaced."""

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
    element_id: str | None = Field(
        default=None, sa_column=Column(String(64)), description="the one element changed, if one"
    )


class PresenceRecord(SQLModel, table=True):
    """One participant on a design's board, seen lately (live workshops across instances)."""

    __tablename__ = "presence"

    design_id: str = Field(
        sa_column=Column(String(64), ForeignKey("design.id", ondelete="CASCADE"), primary_key=True)
    )
    session_id: str = Field(sa_column=Column(String(64), primary_key=True))
    display_name: str = Field(sa_column=Column(String(80), nullable=False))
    last_seen: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
