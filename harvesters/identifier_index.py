# SPDX-License-Identifier: AGPL-3.0-or-later
"""The index on the upstream identifiers the harvesters keep with each harvest
object (``base.EXTRA_IDENTIFIER``): duplicates across sources are looked up
by it for every imported record, and without it that lookup reads the whole
``harvest_object_extra`` table.

The migration ``d3a7b9c1e5f2`` creates it when ckanext-harvest's tables exist.
They do not when a portal enabled the atlas before harvesting: CKAN runs a
plugin's migrations only for enabled plugins, and ours were done by then.
So the harvest capability also ensures the index whenever CKAN starts
(``ensure_at_start``: one catalogue query when it exists), whatever order
the plugins were enabled in.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

log = logging.getLogger(__name__)

INDEX = "sca_harvest_object_extra_identifier"
TABLE = "harvest_object_extra"
# the same statement as the migration (a hash index: identifiers can be
# longer than a B-tree entry allows)
CREATE = (f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING hash (value) "
          "WHERE key = 'sca_identifier'")


def state(connection) -> str:
    """``"present"``, ``"missing"`` or ``"no-table"`` (ckanext-harvest not migrated yet)."""
    table, index = connection.execute(sa.text("SELECT to_regclass(:t), to_regclass(:i)"),
                                      {"t": TABLE, "i": INDEX}).one()
    if table is None:
        return "no-table"
    return "present" if index is not None else "missing"


def ensure(engine) -> str:
    """Create the index if the table is there and the index is not; the state before."""
    with engine.connect() as connection:
        before = state(connection)
    if before == "missing":
        with engine.begin() as connection:
            connection.execute(sa.text(CREATE))
        log.info("created the index %s on %s", INDEX, TABLE)
    return before


def ensure_at_start(config) -> None:
    """IConfigurable hook: a database that cannot be reached or altered now
    must not stop CKAN from starting (the next start tries again)."""
    from ckan import model

    try:
        ensure(model.meta.engine)
    except sa.exc.SQLAlchemyError as error:
        log.warning("could not check the index %s on %s: %s", INDEX, TABLE, error)
