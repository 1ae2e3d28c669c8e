# SPDX-License-Identifier: AGPL-3.0-or-later
"""drop catalog record texts stored under the old profile names

The profiles are ``sca_dcatap_de`` and ``sca_dcatap_de_3`` now
(dcat/profile_names.py); texts stored under ``dcatap_de`` and
``dcatap_de_3`` would never be read again. The record cache builds the
new ones in the background.

Revision ID: f9b3d1c7a5e2
Revises: e7c3a9d5b2f1
"""
from alembic import op

revision = "f9b3d1c7a5e2"
down_revision = "e7c3a9d5b2f1"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM sca_dcat_record WHERE profile IN ('dcatap_de', 'dcatap_de_3')")


def downgrade():
    op.execute("DELETE FROM sca_dcat_record WHERE profile IN ('sca_dcatap_de', 'sca_dcatap_de_3')")
