# SPDX-License-Identifier: AGPL-3.0-or-later
"""The index on harvested identifiers, whatever order the plugins were
enabled in (issue 31): a portal that enabled the atlas before harvesting ran
the index migration while ckanext-harvest's tables did not exist yet, so the
index is missing there; CKAN's next start creates it. (The whole sequence on
a stock CKAN: tests/deploy/test_wheel_install.py.)"""
import ckan.plugins as p
import sqlalchemy as sa
from ckan import model

from ckanext.smartcityatlas.harvesters import identifier_index


def _drop_index():
    with model.meta.engine.begin() as connection:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {identifier_index.INDEX}")


def test_ckans_next_start_creates_the_index_the_migration_could_not():
    _drop_index()  # as on a portal whose harvest tables came after the migration
    with model.meta.engine.connect() as connection:
        assert identifier_index.state(connection) == "missing"
    p.load_all()  # what CKAN does when it starts: load the plugins, configure them
    with model.meta.engine.connect() as connection:
        assert identifier_index.state(connection) == "present"
        # the same index as the migration's
        definition = connection.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :i"),
                                        {"i": identifier_index.INDEX}).scalar()
    assert "USING hash (value)" in definition and "'sca_identifier'" in definition


def test_without_harvest_tables_a_start_changes_nothing():
    # a database whose search path holds no harvest tables (harvesting not enabled yet)
    engine = sa.create_engine(model.meta.engine.url, poolclass=sa.pool.NullPool,
                              connect_args={"options": "-c search_path=sca_no_such_schema"})
    assert identifier_index.ensure(engine) == "no-table"
    assert identifier_index.ensure(model.meta.engine) == "present"
