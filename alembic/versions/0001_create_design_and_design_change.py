"""Create the design table and its change history.

Revision ID: 0001
Revises:
Created: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "design",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("storm_yaml", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design")),
    )
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_design_name"), ["name"], unique=False)

    op.create_table(
        "design_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("design_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("storm_yaml_before", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["design_id"],
            ["design.id"],
            name=op.f("fk_design_change_design_id_design"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design_change")),
        sa.UniqueConstraint(
            "design_id", "revision", name=op.f("uq_design_change_design_id_revision")
        ),
    )


def downgrade() -> None:
    op.drop_table("design_change")
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_design_name"))

    op.drop_table("design")
