# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of every test folder (builders: tests/helpers/). CKAN's own
pytest plugin (from the ckan package, enabled by ``--ckan-ini=test.ini``)
provides clean_db, clean_index, with_plugins and the factories; the
services are real (deploy/sca test)."""
import uuid

import pytest

from tests.helpers import plugin_loading
from tests.helpers.plugins import MIGRATING_PLUGINS

plugin_loading.install()


@pytest.fixture
def unique():
    """A short unique suffix, so tests need not wipe the database."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's clean_db, plus the plugins' own tables.

    CKAN's reset rebuilds only the core tables; without the plugin migrations
    the activity plugin (enabled on the portal) fails on its missing columns.
    Migrations run only for loaded plugins, hence with_plugins first.
    """
    reset_db()
    for plugin in MIGRATING_PLUGINS:
        migrate_db_for(plugin)


@pytest.fixture
def sysadmin_context():
    """Action context of a fresh sysadmin (activities need a real user)."""
    from ckan.tests import factories

    return {"user": factories.Sysadmin()["name"], "ignore_auth": False}


@pytest.fixture
def smtp_sink():
    """Mails of CKAN's mailer land here (tests/helpers/smtp_sink.py), not anywhere real."""
    from ckan.tests import helpers

    from tests.helpers.smtp_sink import SMTPSink

    sink = SMTPSink()
    sink.thread.start()
    with helpers.changed_config("smtp.server", f"127.0.0.1:{sink.port}"), \
            helpers.changed_config("smtp.mail_from", "opendata@stadt.example"):
        yield sink
    sink.server.shutdown()
    sink.server.server_close()


@pytest.fixture
def world(unique):
    """Two offices (A owns the entities, B is another office) and one user per role."""
    from ckan.tests import factories

    users = {role: factories.User() for role in ("member", "editor", "admin", "other_editor")}
    sysadmin = factories.Sysadmin()
    org_a = factories.Organization(users=[
        {"name": users["member"]["name"], "capacity": "member"},
        {"name": users["editor"]["name"], "capacity": "editor"},
        {"name": users["admin"]["name"], "capacity": "admin"},
    ])
    org_b = factories.Organization(users=[{"name": users["other_editor"]["name"], "capacity": "editor"}])
    users["sysadmin"] = sysadmin
    users["anonymous"] = None
    return {"org_a": org_a, "org_b": org_b, "users": users, "unique": unique}


@pytest.fixture
def org():
    """An office that owns datasets."""
    from ckan.tests import factories

    return factories.Organization(title="Umweltamt Dresden")


@pytest.fixture
def server():
    """The local HTTP server (tests/helpers/local_server.py) on 127.0.0.1."""
    from tests.helpers.local_server import serve

    yield from serve("127.0.0.1")


@pytest.fixture
def region(ckan_config, monkeypatch):
    """The demo region (Dresden and the invented Musterstadt an der Elbe,
    docs/city.md "A region"), configured before the app starts."""
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.region", "dresden-region-demo")
