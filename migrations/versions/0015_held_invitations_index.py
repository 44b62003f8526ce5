"""An index of the invitations whose answers are held, which every release reads.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_invitations_held",
        "invitations",
        ["campaign_id", "id"],
        unique=False,
        sqlite_where=sa.column("answer_held") == sa.true(),
        postgresql_where=sa.column("answer_held"),
    )


def downgrade():
    op.drop_index("ix_invitations_held", table_name="invitations")
