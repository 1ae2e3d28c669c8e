# SPDX-License-Identifier: AGPL-3.0-or-later
"""The city's look (city.yaml ``branding``, issue 29 item 1): its logo in
every header, served from its folder, or a text mark without one; its colour
in the header when it is dark enough for white text; city-check names what
is wrong."""
import pytest

from ckanext.smartcityatlas.platform import city_check
from tests.helpers.city_folder import edit_settings, write_example_city

pytestmark = [pytest.mark.usefixtures("with_plugins")]
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>'


@pytest.fixture
def city(tmp_path, ckan_config, monkeypatch):
    folder = write_example_city(tmp_path / "musterstadt", boundary=True)
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.city", str(folder))
    return folder


def _brand(folder, **branding):
    edit_settings(folder, lambda s: s.update(branding=branding))


def test_logo_and_colour_from_the_city(app, city):
    (city / "wappen.svg").write_bytes(LOGO)
    _brand(city, logo="wappen.svg", color="#1A4F8B")
    page = app.get("/", status=200).body
    assert '<img src="/atlas/city/logo"' in page and "ckan-logo" not in page
    assert "--sca-brand: #1a4f8b;" in page
    logo = app.get("/atlas/city/logo", status=200)
    assert logo.headers["Content-Type"].startswith("image/svg+xml") and logo.data == LOGO
    assert not [f for f in map(str, city_check.check(city, None)) if "branding" in f]


def test_without_a_logo_a_text_mark_and_no_ckan_logo(app, city):
    page = app.get("/about", status=200).body
    assert 'class="sca-brand sca-brand-text"' in page and "<img" not in page.split("</header>")[0]
    assert "ckan-logo" not in page and "--sca-brand: #005d7a;" in page  # CKAN's colour stays
    app.get("/atlas/city/logo", status=404)


def test_a_light_colour_and_a_missing_logo_are_named(app, city):
    _brand(city, logo="fehlt.png", color="#ffd700", font="Comic")
    found = [str(f) for f in city_check.check(city, None)]
    assert any("branding.color" in f and "too light" in f for f in found), found
    assert any("branding.logo" in f and "not in the folder" in f for f in found), found
    assert any("branding.font" in f and "unknown key" in f for f in found), found
    page = app.get("/", status=200).body
    assert "--sca-brand: #005d7a;" in page and "/atlas/city/logo" not in page  # neither is used
    _brand(city, logo="../secret.svg")
    assert any("branding.logo" in f and "file name" in f for f in map(str, city_check.check(city, None)))
