"""Anonymous answers held and released in batches; drafts sealed and bound to kiosks (issue 15).

Draft answers saved before this revision were stored readable and cannot be sealed here (their
key is the link's token, which the database never held): they are dropped, and those drafts
resume from their first page.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "held_responses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_held_responses_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_responses")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_held_responses_campaign_id"), "held_responses", ["campaign_id"], unique=False
    )
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(
            sa.Column("answer_held", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.add_column("drafts", sa.Column("sealed_answers", sa.LargeBinary(), nullable=True))
    op.add_column("drafts", sa.Column("device_hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_drafts_device_hash"), "drafts", ["device_hash"], unique=False)
    op.drop_column("drafts", "answers")
    op.execute("UPDATE drafts SET page = 0")


def downgrade():
    op.add_column(
        "drafts", sa.Column("answers", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
    )
    op.drop_index(op.f("ix_drafts_device_hash"), table_name="drafts")
    op.drop_column("drafts", "device_hash")
    op.drop_column("drafts", "sealed_answers")
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("answer_held")
    op.drop_index(op.f("ix_held_responses_campaign_id"), table_name="held_responses")
    op.drop_table("held_responses")
