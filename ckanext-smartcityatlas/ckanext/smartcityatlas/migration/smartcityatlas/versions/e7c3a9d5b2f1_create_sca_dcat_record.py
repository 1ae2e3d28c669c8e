# SPDX-License-Identifier: AGPL-3.0-or-later
"""create sca_dcat_record: each dataset's RDF per profile and format, the
parts the catalog pages are assembled from (dcat/record_store.py)

Revision ID: e7c3a9d5b2f1
Revises: d3a7b9c1e5f2
"""
import sqlalchemy as sa
from alembic import op

revision = "e7c3a9d5b2f1"
down_revision = "d3a7b9c1e5f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sca_dcat_record",
        # a cached part belongs to the record: purging the dataset purges it
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  primary_key=True),
        # the profile names as the catalog got them ("dcatap_de", "dcatap_de_3")
        sa.Column("profile", sa.UnicodeText, primary_key=True),
        # the rdflib format of the text (turtle | pretty-xml | json-ld)
        sa.Column("format", sa.UnicodeText, primary_key=True),
        # hash of everything the text was made from (dcat/record_key.py)
        sa.Column("fingerprint", sa.UnicodeText, nullable=False),
        # the dataset's IRI (the catalog's dcat:dataset link)
        sa.Column("subject", sa.UnicodeText, nullable=False),
        # JSON object: the namespace prefixes the text uses
        sa.Column("prefixes", sa.UnicodeText, nullable=False, server_default="{}"),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("built_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("sca_dcat_record")
