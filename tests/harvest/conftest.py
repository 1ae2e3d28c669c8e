# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the harvest tests: the local server on IPv6, the harvesting office."""
import pytest

from ckan.tests import factories

from tests.helpers.local_server import serve


@pytest.fixture
def server_v6():
    """The same server on IPv6 loopback (::1)."""
    yield from serve("::1")


@pytest.fixture
def harvest_org():
    return factories.Organization(name="stadt-musterstadt", title="Stadt Musterstadt")
