"""Staff sign-in through the identity provider: who a user is there, and who sets their role.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("oidc_issuer", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch.add_column(
            sa.Column("role_from", sa.String(length=10), server_default="admin", nullable=False)
        )
        batch.add_column(
            sa.Column("break_glass", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_check_constraint(
            op.f("ck_users_role_from"), "role_from IN ('admin', 'provider', 'pending')"
        )
        batch.create_unique_constraint(
            op.f("uq_users_oidc_issuer_oidc_subject"), ["oidc_issuer", "oidc_subject"]
        )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("uq_users_oidc_issuer_oidc_subject"), type_="unique")
        batch.drop_constraint(op.f("ck_users_role_from"), type_="check")
        batch.drop_column("break_glass")
        batch.drop_column("role_from")
        batch.drop_column("oidc_subject")
        batch.drop_column("oidc_issuer")
