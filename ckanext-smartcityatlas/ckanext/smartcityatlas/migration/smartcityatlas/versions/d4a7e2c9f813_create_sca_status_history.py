"""create sca_status_history (monitoring of projects) and sca_radar_alias
(partner names of the Smart-City-Radar resolved by a curator)

Revision ID: d4a7e2c9f813
Revises: d3a9e6f2c1b8
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "d4a7e2c9f813"
down_revision = "d3a9e6f2c1b8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_status_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        # from when the status holds: the sheet's date, else the day it was recorded
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        # harvest source id, or empty for the web form / API
        sa.Column("source", sa.UnicodeText, nullable=False, server_default=""),
    )
    op.create_index("sca_status_history_package", "sca_status_history", ["package_id", "effective_date"])
    op.create_table(
        "sca_radar_alias",
        # the partner name as normalised for matching (radar.sheet.key)
        sa.Column("name_key", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("actor_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=True),
    )


def downgrade():
    op.drop_table("sca_radar_alias")
    op.drop_table("sca_status_history")
