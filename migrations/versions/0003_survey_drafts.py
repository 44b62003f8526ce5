"""The respondent flow: open links per unit and server-side drafts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "open_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_open_links_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_open_links_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_links")),
        sa.UniqueConstraint(
            "campaign_id", "unit_id", name=op.f("uq_open_links_campaign_id_unit_id")
        ),
        sa.UniqueConstraint("code", name=op.f("uq_open_links_code")),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("open_link_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("kiosk", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "level IS NULL OR level IN ('frontline', 'manager', 'senior_leader')",
            name=op.f("ck_drafts_level"),
        ),
        sa.CheckConstraint(
            "(invitation_id IS NULL) <> (open_link_id IS NULL)", name=op.f("ck_drafts_one_way_in")
        ),
        sa.CheckConstraint(
            "open_link_id IS NULL OR (token_hash IS NOT NULL AND function_id IS NOT NULL AND level IS NOT NULL)",
            name=op.f("ck_drafts_open_draft_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_drafts_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["function_id"], ["functions.id"], name=op.f("fk_drafts_function_id_functions")
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_drafts_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["open_link_id"],
            ["open_links.id"],
            name=op.f("fk_drafts_open_link_id_open_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_drafts_invitation_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_drafts_token_hash")),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drafts_updated_at"), ["updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drafts_updated_at"))

    op.drop_table("drafts")
    op.drop_table("open_links")
