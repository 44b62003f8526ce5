"""Items remember the levels they are asked of, and whether a Likert item offers "don't know".

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("levels", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("dont_know", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_items_dont_know_only_likert"), "NOT dont_know OR type = 'likert'"
        )


def downgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_items_dont_know_only_likert"), type_="check")
        batch_op.drop_column("dont_know")
        batch_op.drop_column("levels")
