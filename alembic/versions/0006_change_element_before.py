"""Keep, for a change to one element, that element as it was (what undo needs) instead of a
copy of the whole storm file on every edit.

Revision ID: 0006
Revises: 0005
Created: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("element_before", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("design_change", schema=None) as batch_op:
        batch_op.drop_column("element_before")
