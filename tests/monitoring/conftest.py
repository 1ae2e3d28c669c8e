# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the monitor's tests: exact counts need the extension's own
tables empty (CKAN's clean_db rebuilds only its core tables)."""
import pytest


@pytest.fixture(autouse=True)
def empty_monitor_tables(clean_db):
    from ckan import model

    from ckanext.smartcityatlas.datarequests.store import datarequest
    from ckanext.smartcityatlas.monitoring.indicator_history import history

    for table in (history, datarequest):
        model.Session.execute(table.delete())
    model.Session.commit()
