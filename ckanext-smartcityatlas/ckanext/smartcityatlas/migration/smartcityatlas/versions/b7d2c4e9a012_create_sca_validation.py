"""create sca_validation: the latest DCAT-AP.de findings per dataset

Revision ID: b7d2c4e9a012
Revises: a1c0e7f31b01
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "b7d2c4e9a012"
down_revision = "a1c0e7f31b01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_validation",
        # findings belong to the record: purging the dataset purges them
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("profile", sa.UnicodeText, nullable=False),
        # conforms | warnings | violations | error
        sa.Column("status", sa.UnicodeText, nullable=False, index=True),
        sa.Column("violations", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warnings", sa.Integer, nullable=False, server_default="0"),
        # JSON list of {severity, message, path, value, focus}
        sa.Column("results", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("computed_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("sca_validation")
