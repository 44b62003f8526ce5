"""Measure completions carry the day they were recorded, so a completion counts from the day
after it was recorded (or its completion day, if later) and a day's coverage never changes once
that day is over: a pack rebuilt for a past day shows the figures it showed.

Existing rows are taken as recorded on their completion day (the earliest they can have been).
Evidence builds keep the coverage figures they published (organisation-wide), so later builds
are audited together with them; builds made before this have none on record.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("measure_completions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_on", sa.Date(), nullable=True))
    op.execute("UPDATE measure_completions SET recorded_on = completed_on")
    with op.batch_alter_table("measure_completions", schema=None) as batch_op:
        batch_op.alter_column("recorded_on", existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table("evidence_builds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("evidence_builds", schema=None) as batch_op:
        batch_op.drop_column("published")
    with op.batch_alter_table("measure_completions", schema=None) as batch_op:
        batch_op.drop_column("recorded_on")
