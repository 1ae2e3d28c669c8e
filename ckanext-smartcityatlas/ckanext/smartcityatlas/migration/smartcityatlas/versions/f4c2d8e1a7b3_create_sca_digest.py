"""create sca_digest: what each office's last e-mail digest reported

Revision ID: f4c2d8e1a7b3
Revises: e1b5c7d9f024
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "f4c2d8e1a7b3"
down_revision = "e1b5c7d9f024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_digest",
        sa.Column("owner_org", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
        # the last digest time slot handled (mail or not), and the last mail
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        # JSON: the item keys reported (violations, links, stale, requests) to tell what is new
        sa.Column("reported", sa.UnicodeText, nullable=False),
    )


def downgrade():
    op.drop_table("sca_digest")
