# SPDX-License-Identifier: AGPL-3.0-or-later
"""create sca_sensor_day_summary, sca_sensor_month_summary and
sca_sensor_summarised: the daily (and, for noise, monthly) summary of each
hourly district table (sensors/day_summary.py); existing
tables are summarised by ``ckan sca environment-summary`` (deploy/sca up)

Revision ID: b2d6e8f0a4c1
Revises: a7e3c9d1f5b2
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "b2d6e8f0a4c1"
down_revision = "a7e3c9d1f5b2"
branch_labels = None
depends_on = None


def _hour_columns():
    return [sa.Column("hour_count", postgresql.ARRAY(sa.Integer)),
            sa.Column("hour_energy", postgresql.ARRAY(sa.Float(53))),
            sa.Column("hour_n", postgresql.ARRAY(sa.Float(53))),
            sa.Column("hour_expected", postgresql.ARRAY(sa.Float(53)))]


def upgrade():
    op.create_table(
        "sca_sensor_day_summary",
        sa.Column("table_id", sa.UnicodeText, primary_key=True),
        # "" for the city-wide rows
        sa.Column("district", sa.UnicodeText, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("hours", sa.Integer, nullable=False),
        sa.Column("mean", sa.Float(53), nullable=False),
        sa.Column("sensors", sa.Integer),
        sa.Column("n", sa.Float(53)),
        sa.Column("expected", sa.Float(53)),
        # per local hour of day, energetic phenomena only
        *_hour_columns(),
    )
    op.create_table(
        "sca_sensor_month_summary",
        sa.Column("table_id", sa.UnicodeText, primary_key=True),
        sa.Column("district", sa.UnicodeText, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("sensors", sa.Integer),
        *_hour_columns(),
    )
    op.create_table(
        "sca_sensor_summarised",
        sa.Column("table_id", sa.UnicodeText, primary_key=True),
        sa.Column("energetic", sa.Boolean, nullable=False),
        sa.Column("built_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("sca_sensor_summarised")
    op.drop_table("sca_sensor_month_summary")
    op.drop_table("sca_sensor_day_summary")
