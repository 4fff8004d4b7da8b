"""Keep each design's canonical data as JSON beside its storm file, so an instance that did not
make a revision reads it without parsing YAML.

Revision ID: 0004
Revises: 0003
Created: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.drop_column("data_json")
