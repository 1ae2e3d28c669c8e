"""create sca_link_status and sca_link_history: the link checker's results

Revision ID: d8a4e2f6c913
Revises: c5e8f1a3b7d4
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "d8a4e2f6c913"
down_revision = "c5e8f1a3b7d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_link_status",
        sa.Column("resource_id", sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("url", sa.UnicodeText, nullable=False),
        # ok | broken (HTTP error) | unreachable (timeout, DNS, connection) | refused (not allowed to check)
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("http_status", sa.Integer, nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=True),
        sa.Column("final_url", sa.UnicodeText, nullable=True),
        sa.Column("response_ms", sa.Integer, nullable=True),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        # first check of the current run of failures (null while ok)
        sa.Column("failing_since", sa.DateTime, nullable=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("sca_link_status_checked", "sca_link_status", ["checked_at"])
    op.create_table(
        "sca_link_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("resource_id", sa.UnicodeText, sa.ForeignKey("resource.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("http_status", sa.Integer, nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=True),
        sa.Column("checked_at", sa.DateTime, nullable=False),
    )
    op.create_index("sca_link_history_resource_time", "sca_link_history", ["resource_id", "checked_at"])


def downgrade():
    op.drop_table("sca_link_history")
    op.drop_table("sca_link_status")
