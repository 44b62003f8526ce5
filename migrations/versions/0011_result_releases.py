"""Result releases: figures of a campaign change only from one release to the next.

Every campaign that already has responses gets release 1, covering all of them, dated today:
that is what its figures showed until now.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "result_releases",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("withheld", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_result_releases_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "number", name=op.f("pk_result_releases")),
    )
    op.add_column("responses", sa.Column("result_release", sa.Integer(), nullable=True))
    releases = sa.table(
        "result_releases",
        sa.column("campaign_id", sa.Integer()),
        sa.column("number", sa.Integer()),
        sa.column("released_on", sa.Date()),
        sa.column("withheld", sa.JSON()),
    )
    responses = sa.table(
        "responses", sa.column("campaign_id", sa.Integer()), sa.column("result_release")
    )
    connection = op.get_bind()
    published = connection.execute(sa.select(responses.c.campaign_id).distinct()).scalars().all()
    if published:
        today = date.today()
        op.bulk_insert(
            releases,
            [
                {"campaign_id": c, "number": 1, "released_on": today, "withheld": []}
                for c in published
            ],
        )
        connection.execute(sa.update(responses).values(result_release=1))


def downgrade():
    op.drop_column("responses", "result_release")
    op.drop_table("result_releases")
