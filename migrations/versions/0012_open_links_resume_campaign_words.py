"""Open links can be retired (and a unit given a new one); phone drafts resume on the device;
campaigns have names and descriptions per language.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LIVE = sa.text("retired_at IS NULL")


def upgrade():
    with op.batch_alter_table("open_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("uq_open_links_campaign_id_unit_id", type_="unique")
        batch_op.create_index(
            "uq_open_links_live_unit",
            ["campaign_id", "unit_id"],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resume_salt", sa.String(length=32), nullable=True))
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        for column in ("names", "descriptions"):
            batch_op.add_column(sa.Column(column, sa.JSON(), nullable=True))
    op.execute("UPDATE campaigns SET names = '{}', descriptions = '{}'")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        for column in ("names", "descriptions"):
            batch_op.alter_column(column, existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("descriptions")
        batch_op.drop_column("names")
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("resume_salt")
    op.execute("DELETE FROM open_links WHERE retired_at IS NOT NULL")
    with op.batch_alter_table("open_links", schema=None) as batch_op:
        batch_op.drop_index("uq_open_links_live_unit")
        batch_op.create_unique_constraint(
            "uq_open_links_campaign_id_unit_id", ["campaign_id", "unit_id"]
        )
        batch_op.drop_column("retired_at")
