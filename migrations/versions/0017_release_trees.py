"""Campaigns with a result release keep the unit tree of their releases (issue 16).

From now on a campaign's first result release copies the unit tree into
`campaign_units_frozen`, and every later release and output reads that copy. A campaign
released before this revision has no copy yet: it gets today's tree, the one its latest
release was read in until now.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        INSERT INTO campaign_units_frozen (campaign_id, unit_id, code, name, parent_code)
        SELECT c.id, u.id, u.code, u.name, p.code
        FROM campaigns c
        CROSS JOIN org_units u
        LEFT JOIN org_units p ON u.parent_id = p.id
        WHERE EXISTS (SELECT 1 FROM result_releases r WHERE r.campaign_id = c.id)
          AND NOT EXISTS (SELECT 1 FROM campaign_units_frozen f WHERE f.campaign_id = c.id)
        """
    )


def downgrade():
    """The copies stay: they are the trees the campaigns' releases were read in, and the
    schema before this revision has the same table."""
