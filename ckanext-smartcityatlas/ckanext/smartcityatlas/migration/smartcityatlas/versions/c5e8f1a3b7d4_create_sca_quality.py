"""create sca_quality and sca_quality_history: quality scores per dataset

Revision ID: c5e8f1a3b7d4
Revises: b7d2c4e9a012
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "c5e8f1a3b7d4"
down_revision = "b7d2c4e9a012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_quality",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=True, index=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("max_points", sa.Integer, nullable=False),
        # JSON list of the ids of the criteria not met
        sa.Column("failed", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("stale", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("frequency", sa.UnicodeText, nullable=True),
        sa.Column("last_update", sa.DateTime, nullable=True),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "sca_quality_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )
    op.create_index("sca_quality_history_org_time", "sca_quality_history", ["owner_org", "computed_at"])


def downgrade():
    op.drop_table("sca_quality_history")
    op.drop_table("sca_quality")
