# SPDX-License-Identifier: AGPL-3.0-or-later
"""add sca_datarequest.answered: when a data request was first answered
(status published or declined); the monitor's time to answer uses it.
Backfill: a request answered before has only its last change, the best
estimate there is.

Revision ID: c4e7a1b9d3f6
Revises: b2d6e8f0a4c1
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "c4e7a1b9d3f6"
down_revision = "b2d6e8f0a4c1"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("sca_datarequest", sa.Column("answered", sa.DateTime, nullable=True))
    op.execute("UPDATE sca_datarequest SET answered = updated WHERE status IN ('published', 'declined')")


def downgrade():
    op.drop_column("sca_datarequest", "answered")
