"""create sca_correction: suggestions and corrections by the public

Revision ID: a1c0e7f31b01
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "a1c0e7f31b01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_correction",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="SET NULL"), nullable=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=True, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("message", sa.UnicodeText, nullable=False),
        sa.Column("contact_name", sa.UnicodeText, nullable=True),
        sa.Column("contact_email", sa.UnicodeText, nullable=True),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="open", index=True),
        sa.Column("moderator_note", sa.UnicodeText, nullable=True),
        sa.Column("moderated_by", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("moderated", sa.DateTime, nullable=True),
        sa.Column("contact_purged", sa.DateTime, nullable=True),
    )


def downgrade():
    op.drop_table("sca_correction")
