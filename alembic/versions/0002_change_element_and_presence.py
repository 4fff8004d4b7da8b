"""Name the element a change is about, and record who is on which board.

Revision ID: 0002
Revises: 0001
Created: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("element_id", sa.String(length=64), nullable=True))

    op.create_table(
        "presence",
        sa.Column("design_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["design_id"],
            ["design.id"],
            name=op.f("fk_presence_design_id_design"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("design_id", "session_id", name=op.f("pk_presence")),
    )


def downgrade() -> None:
    op.drop_table("presence")
    with op.batch_alter_table("design_change", schema=None) as batch_op:
        batch_op.drop_column("element_id")
