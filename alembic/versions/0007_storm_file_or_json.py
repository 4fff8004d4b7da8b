"""A design's row keeps its storm file or its JSON data, not both: edits write only the JSON
(the storm file is dumped from it), so the storm-file column may be empty.

Revision ID: 0007
Revises: 0006
Created: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.alter_column("storm_yaml", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # The storm file of a design kept as JSON is not known to SQL: keep its JSON as the text
    # (JSON is YAML, so the studio reads it back the same).
    op.execute("UPDATE design SET storm_yaml = data_json WHERE storm_yaml IS NULL")
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.alter_column("storm_yaml", existing_type=sa.Text(), nullable=False)
