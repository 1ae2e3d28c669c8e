"""create sca_sensor, sca_sensor_reading, sca_sensor_dirty: sensor harvest state

Revision ID: d3a9e6f2c1b8
Revises: f4c2d8e1a7b3
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "d3a9e6f2c1b8"
down_revision = "f4c2d8e1a7b3"
branch_labels = None
depends_on = None


def upgrade():
    # one row per harvested sensor: what may be published about it, and how far it was fetched
    op.create_table(
        "sca_sensor",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("sensor_id", sa.UnicodeText, primary_key=True),
        sa.Column("box_id", sa.UnicodeText, nullable=False),
        sa.Column("phenomenon", sa.UnicodeText, nullable=False, index=True),
        sa.Column("unit_factor", sa.Float, nullable=False, server_default="1"),
        sa.Column("district", sa.UnicodeText, nullable=True),
        # coordinates coarsened to the privacy grid; the exact ones are never stored
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("first_ts", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_ts", sa.DateTime(timezone=True), nullable=True),
    )
    # raw readings, kept only until their daily window is aggregated and closed
    op.create_table(
        "sca_sensor_reading",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("sensor_id", sa.UnicodeText, primary_key=True),
        sa.Column("ts", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("district", sa.UnicodeText, nullable=True),
    )
    # local days whose aggregates must be (re)computed: cleared after a successful upsert
    op.create_table(
        "sca_sensor_dirty",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("phenomenon", sa.UnicodeText, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
    )
    # days before closed_before are final: their raw readings are gone
    op.create_table(
        "sca_sensor_source",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("closed_before", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade():
    op.drop_table("sca_sensor_source")
    op.drop_table("sca_sensor_dirty")
    op.drop_table("sca_sensor_reading")
    op.drop_table("sca_sensor")
