# SPDX-License-Identifier: AGPL-3.0-or-later
"""A live portal (CKAN's server on the test configuration) for browser tests."""
import os

import pytest

from tests.helpers.web_server import serve_ckan

# Another checkout's tests may run at the same time: it has its own
# SCA_CKAN_PORT (deploy/sca), so its live portals (PORT, PORT + 1) follow it.
PORT = int(os.environ.get("SCA_BROWSER_TEST_PORT")
           or 25090 + 2 * (int(os.environ.get("SCA_CKAN_PORT") or 5000) - 5000))


@pytest.fixture(scope="module")
def live_portal(tmp_path_factory):
    # The page's JavaScript loads from ckan.site_url: it must be this server.
    yield from serve_ckan(tmp_path_factory.mktemp("live"), f"http://127.0.0.1:{PORT}", PORT)


@pytest.fixture(scope="module")
def alias_portal(tmp_path_factory):
    """The portal whose site URL names localhost, served on 127.0.0.1 (the
    address a visitor typed, an alias of the site URL): its base URL."""
    yield from serve_ckan(tmp_path_factory.mktemp("live"), f"http://localhost:{PORT + 1}", PORT + 1)


@pytest.fixture(scope="module")
def tile_server():
    """A local tile server: a tiny PNG for every /tiles/… (the city's geodata service)."""
    from tests.helpers.local_server import serve

    yield from serve("127.0.0.1")


@pytest.fixture(scope="module")
def base_map_portal(tmp_path_factory, tile_server):
    """The portal with a copy of Dresden's city folder whose ``base_map`` is
    the local tile server: its base URL."""
    import shutil

    from ckanext.smartcityatlas.common import city_config
    from tests.helpers.city_folder import edit_settings

    folder = tmp_path_factory.mktemp("city") / "dresden"
    shutil.copytree(city_config.BUILTIN / "dresden", folder)
    edit_settings(folder, lambda s: s.update(base_map={
        "tiles": tile_server.url("/tiles/{z}/{x}/{y}.png"),
        "attribution": "Kartengrundlage: Städtisches Vermessungsamt"}))
    yield from serve_ckan(tmp_path_factory.mktemp("live"), f"http://127.0.0.1:{PORT + 2}", PORT + 2,
                          {"ckanext.smartcityatlas.city": str(folder)})
