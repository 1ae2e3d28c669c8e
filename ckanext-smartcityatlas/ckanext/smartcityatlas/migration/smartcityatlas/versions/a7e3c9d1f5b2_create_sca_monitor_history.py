# SPDX-License-Identifier: AGPL-3.0-or-later
"""create sca_monitor_history: the smart-city monitor's value of each
indicator per quarter (the current quarter is updated, past ones kept)

Revision ID: a7e3c9d1f5b2
Revises: f9b3d1c7a5e2
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "a7e3c9d1f5b2"
down_revision = "f9b3d1c7a5e2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_monitor_history",
        sa.Column("indicator_id", sa.UnicodeText, primary_key=True),
        # "2026 Q4"; the row holds the value at the quarter's last snapshot
        sa.Column("period", sa.UnicodeText, primary_key=True),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        # the breakdown at that snapshot (JSON list of {key, value})
        sa.Column("breakdown", sa.UnicodeText, nullable=False, server_default="[]"),
        # snapshot | demo (demo history loaded by ckan sca monitor-demo)
        sa.Column("origin", sa.UnicodeText, nullable=False, server_default="snapshot"),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("sca_monitor_history")
