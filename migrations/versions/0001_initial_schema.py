"""Initial schema, and the standard business functions that CSV files may name.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STANDARD_FUNCTIONS = [
    ("finance", "Finance"),
    ("operations", "Operations"),
    ("legal", "Legal"),
    ("technology", "Technology"),
    ("risk", "Risk"),
    ("hr", "Human resources"),
    ("sales", "Sales"),
    ("customer-service", "Customer service"),
]


def upgrade():
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("privacy_mode", sa.String(length=20), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("min_comment_group_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "privacy_mode IN ('anonymous', 'confidential')", name=op.f("ck_campaigns_privacy_mode")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'closed')", name=op.f("ck_campaigns_status")
        ),
        sa.CheckConstraint(
            "closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
            name=op.f("ck_campaigns_dates_ordered"),
        ),
        sa.CheckConstraint(
            "min_comment_group_size >= min_group_size",
            name=op.f("ck_campaigns_comment_group_not_smaller"),
        ),
        sa.CheckConstraint("min_group_size >= 3", name=op.f("ck_campaigns_min_group_floor")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("slug", name=op.f("uq_campaigns_slug")),
    )
    functions = op.create_table(
        "functions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_functions")),
        sa.UniqueConstraint("code", name=op.f("uq_functions_code")),
    )
    op.create_table(
        "instruments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instruments")),
        sa.UniqueConstraint("slug", name=op.f("uq_instruments_slug")),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_org_units_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["org_units.id"],
            name=op.f("fk_org_units_parent_id_org_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_units")),
        sa.UniqueConstraint("code", name=op.f("uq_org_units_code")),
    )
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_units_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'change_manager', 'hr')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "campaign_units",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_units_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_campaign_units_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("campaign_id", "unit_id", name=op.f("pk_campaign_units")),
    )
    op.create_table(
        "instrument_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("locales", sa.JSON(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_instrument_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instruments.id"],
            name=op.f("fk_instrument_versions_instrument_id_instruments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_versions")),
        sa.UniqueConstraint(
            "instrument_id", "version", name=op.f("uq_instrument_versions_instrument_id_version")
        ),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "level IN ('frontline', 'manager', 'senior_leader')", name=op.f("ck_persons_level")
        ),
        sa.ForeignKeyConstraint(
            ["function_id"], ["functions.id"], name=op.f("fk_persons_function_id_functions")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_persons_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
        sa.UniqueConstraint("employee_id", name=op.f("uq_persons_employee_id")),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "user_units",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_user_units_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_units_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "unit_id", name=op.f("pk_user_units")),
    )
    op.create_table(
        "campaign_instruments",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_instruments_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_versions.id"],
            name=op.f("fk_campaign_instruments_instrument_version_id_instrument_versions"),
        ),
        sa.PrimaryKeyConstraint(
            "campaign_id", "instrument_version_id", name=op.f("pk_campaign_instruments")
        ),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('sent', 'started', 'submitted')", name=op.f("ck_invitations_status")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_invitations_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_invitations_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint(
            "campaign_id", "person_id", name=op.f("uq_invitations_campaign_id_person_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "response_scales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.CheckConstraint("points BETWEEN 2 AND 11", name=op.f("ck_response_scales_points_range")),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_versions.id"],
            name=op.f("fk_response_scales_instrument_version_id_instrument_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_scales")),
        sa.UniqueConstraint(
            "instrument_version_id",
            "key",
            name=op.f("uq_response_scales_instrument_version_id_key"),
        ),
    )
    op.create_table(
        "scales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("adkar", sa.String(length=20), nullable=True),
        sa.Column("cluster", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "adkar IS NULL OR adkar IN ('awareness', 'desire', 'knowledge', 'ability', 'reinforcement')",
            name=op.f("ck_scales_adkar"),
        ),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_versions.id"],
            name=op.f("fk_scales_instrument_version_id_instrument_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scales")),
        sa.UniqueConstraint(
            "instrument_version_id", "key", name=op.f("uq_scales_instrument_version_id_key")
        ),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("text", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("scale_id", sa.Integer(), nullable=True),
        sa.Column("response_scale_id", sa.Integer(), nullable=True),
        sa.Column("reverse", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("answer", sa.String(length=63), nullable=True),
        sa.Column("max_length", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "NOT reverse OR type = 'likert'", name=op.f("ck_items_reverse_only_likert")
        ),
        sa.CheckConstraint(
            "type <> 'knowledge' OR answer IS NOT NULL", name=op.f("ck_items_knowledge_answer")
        ),
        sa.CheckConstraint(
            "type <> 'likert' OR (scale_id IS NOT NULL AND response_scale_id IS NOT NULL)",
            name=op.f("ck_items_likert_has_scale"),
        ),
        sa.CheckConstraint(
            "type IN ('likert', 'single', 'multi', 'text', 'knowledge')", name=op.f("ck_items_type")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_version_id"],
            ["instrument_versions.id"],
            name=op.f("fk_items_instrument_version_id_instrument_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["response_scale_id"],
            ["response_scales.id"],
            name=op.f("fk_items_response_scale_id_response_scales"),
        ),
        sa.ForeignKeyConstraint(["scale_id"], ["scales.id"], name=op.f("fk_items_scale_id_scales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint(
            "instrument_version_id", "key", name=op.f("uq_items_instrument_version_id_key")
        ),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("answer_vector", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "level IN ('frontline', 'manager', 'senior_leader')", name=op.f("ck_responses_level")
        ),
        sa.CheckConstraint(
            "NOT consent OR person_id IS NOT NULL", name=op.f("ck_responses_consent_needs_person")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_responses_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["function_id"], ["functions.id"], name=op.f("fk_responses_function_id_functions")
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_responses_invitation_id_invitations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_responses_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_responses_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint(
            "campaign_id", "person_id", name=op.f("uq_responses_campaign_id_person_id")
        ),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_responses_invitation_id")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responses_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "answers",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "number IS NOT NULL OR text IS NOT NULL", name=op.f("ck_answers_has_value")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_answers_item_id_items")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_answers_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name=op.f("pk_answers")),
        sqlite_with_rowid=False,
    )

    op.bulk_insert(
        functions,
        [{"code": code, "name": name} for code, name in STANDARD_FUNCTIONS],
    )


def downgrade():
    op.drop_table("answers")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_campaign_id"))

    op.drop_table("responses")
    op.drop_table("items")
    op.drop_table("scales")
    op.drop_table("response_scales")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_person_id"))

    op.drop_table("invitations")
    op.drop_table("campaign_instruments")
    op.drop_table("user_units")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_unit_id"))

    op.drop_table("persons")
    op.drop_table("instrument_versions")
    op.drop_table("campaign_units")
    op.drop_table("users")
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_units_parent_id"))

    op.drop_table("org_units")
    op.drop_table("instruments")
    op.drop_table("functions")
    op.drop_table("campaigns")
