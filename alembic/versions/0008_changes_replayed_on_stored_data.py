"""An edit of one element keeps that element after the change instead of writing the whole
design again: the design is its stored data (of `data_revision`) with the later changes
replayed, and the data is written in full now and then.

Revision ID: 0008
Revises: 0007
Created: 2026-12-07
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_revision", sa.Integer(), nullable=True))
    op.execute("UPDATE design SET data_revision = revision")
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.alter_column("data_revision", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("design_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("element_after", sa.Text(), nullable=True))


def downgrade() -> None:
    # Before this revision a design's row held all of it: write the replayed data back first.
    from app.services.documents import canonical_data, data_json, replayed

    bind = op.get_bind()
    behind = bind.execute(
        sa.text(
            "SELECT id, data_revision, revision, data_json, storm_yaml FROM design "
            "WHERE data_revision < revision"
        )
    ).all()
    for design_id, data_revision, latest, stored_json, text in behind:
        changes = bind.execute(
            sa.text(
                "SELECT element_after FROM design_change WHERE design_id = :id "
                "AND revision > :after AND revision <= :latest ORDER BY revision"
            ),
            {"id": design_id, "after": data_revision, "latest": latest},
        ).scalars()
        data = json.loads(stored_json) if stored_json else canonical_data(text)
        bind.execute(
            sa.text("UPDATE design SET data_json = :data, storm_yaml = NULL WHERE id = :id"),
            {"data": data_json(replayed(data, changes)), "id": design_id},
        )
    with op.batch_alter_table("design_change", schema=None) as batch_op:
        batch_op.drop_column("element_after")
    with op.batch_alter_table("design", schema=None) as batch_op:
        batch_op.drop_column("data_revision")
