"""AI-literacy evidence: the AI systems inventory, the measures catalogue, completions and
evidence-pack builds.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

LEVEL_CHECK = "level IS NULL OR level IN ('frontline', 'manager', 'senior_leader')"


def upgrade():
    op.create_table(
        "ai_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("risk_tier", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "risk_tier IN ('minimal', 'limited', 'high')", name=op.f("ck_ai_systems_risk_tier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_systems")),
        sa.UniqueConstraint("name", name=op.f("uq_ai_systems_name")),
    )
    op.create_table(
        "ai_system_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.CheckConstraint(LEVEL_CHECK, name=op.f("ck_ai_system_uses_level")),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["functions.id"],
            name=op.f("fk_ai_system_uses_function_id_functions"),
        ),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["ai_systems.id"],
            name=op.f("fk_ai_system_uses_system_id_ai_systems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_ai_system_uses_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_system_uses")),
    )
    op.create_index(
        op.f("ix_ai_system_uses_system_id"), "ai_system_uses", ["system_id"], unique=False
    )
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("systems", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('training', 'briefing', 'policy_acknowledgement')",
            name=op.f("ck_measures_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
        sa.UniqueConstraint("title", name=op.f("uq_measures_title")),
    )
    op.create_table(
        "measure_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_measure_completions_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_measure_completions_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_completions")),
        sa.UniqueConstraint(
            "person_id",
            "measure_id",
            "completed_on",
            name=op.f("uq_measure_completions_person_id_measure_id_completed_on"),
        ),
    )
    op.create_index(
        op.f("ix_measure_completions_measure_id"),
        "measure_completions",
        ["measure_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_measure_completions_person_id"), "measure_completions", ["person_id"], unique=False
    )
    op.create_table(
        "evidence_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("unit_code", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_builds")),
    )


def downgrade():
    op.drop_table("evidence_builds")
    op.drop_index(op.f("ix_measure_completions_person_id"), table_name="measure_completions")
    op.drop_index(op.f("ix_measure_completions_measure_id"), table_name="measure_completions")
    op.drop_table("measure_completions")
    op.drop_table("measures")
    op.drop_index(op.f("ix_ai_system_uses_system_id"), table_name="ai_system_uses")
    op.drop_table("ai_system_uses")
    op.drop_table("ai_systems")
