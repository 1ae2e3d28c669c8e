"""create sca_datarequest: the public's requests for missing data (Datenwünsche)

Revision ID: e1b5c7d9f024
Revises: d8a4e2f6c913
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "e1b5c7d9f024"
down_revision = "d8a4e2f6c913"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_datarequest",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        # the responsible office; the central open-data team's organisation when unclear
        sa.Column("owner_org", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="SET NULL"), nullable=True,
                  index=True),
        # open | in_review | published | declined
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="open"),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL"), nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=True),
        # never public; deleted after the retention time
        sa.Column("requester_email", sa.UnicodeText, nullable=True),
        sa.Column("contact_purged", sa.DateTime, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.UnicodeText, nullable=True),
    )
    op.create_index("sca_datarequest_status_created", "sca_datarequest", ["status", "created"])


def downgrade():
    op.drop_table("sca_datarequest")
