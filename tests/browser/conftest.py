# SPDX-License-Identifier: AGPL-3.0-or-later
"""A live portal (CKAN's server on the test configuration) for browser tests."""
import os

import pytest

from tests.helpers.live_portal import serve

# another checkout's tests may run at the same time on another port
PORT = int(os.environ.get("SCA_BROWSER_TEST_PORT", "25090"))


@pytest.fixture(scope="module")
def live_portal(tmp_path_factory):
    # The page's JavaScript loads from ckan.site_url: it must be this server.
    yield from serve(tmp_path_factory, f"http://127.0.0.1:{PORT}", PORT)


@pytest.fixture(scope="module")
def alias_portal(tmp_path_factory):
    """The portal whose site URL names localhost, served on 127.0.0.1 (the
    address a visitor typed, an alias of the site URL): its base URL."""
    yield from serve(tmp_path_factory, f"http://localhost:{PORT + 1}", PORT + 1)
