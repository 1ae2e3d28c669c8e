# SPDX-License-Identifier: AGPL-3.0-or-later
"""Index the upstream dct:identifier the harvesters keep with each harvest
object (duplicates across sources are looked up by it for every imported
record; without an index that lookup reads the whole harvest_object_extra
table, which grows with every job). A hash index: identifiers can be longer
than a B-tree entry allows.

Revision ID: d3a7b9c1e5f2
Revises: d4a7e2c9f813
"""
import sqlalchemy as sa
from alembic import op

revision = "d3a7b9c1e5f2"
down_revision = "d4a7e2c9f813"
branch_labels = None
depends_on = None

INDEX = "sca_harvest_object_extra_identifier"


def upgrade():
    # ckanext-harvest's tables (its own migrations) exist when the harvest plugin is loaded;
    # a portal that enables harvesting later gets the index when CKAN next starts
    # (harvesters/identifier_index.py)
    if not sa.inspect(op.get_bind()).has_table("harvest_object_extra"):
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON harvest_object_extra USING hash (value) "
               "WHERE key = 'sca_identifier'")


def downgrade():
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
