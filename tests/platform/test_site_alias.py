# SPDX-License-Identifier: AGPL-3.0-or-later
"""platform/site_alias.py and templates/base.html: a redirect goes to the
alias of the site URL the request came in on, only to a known alias, and the
pages' script roots are root-relative (issue 29, item 2)."""
import pytest

from ckanext.smartcityatlas.platform import site_alias

pytestmark = [pytest.mark.usefixtures("with_plugins")]
SITE = "http://localhost:5000"


def _location(app, host: str, scheme: str = "http") -> str:
    response = app.get("/user/me", headers={"Host": host}, base_url=f"{scheme}://{host}", follow_redirects=False)
    assert response.status_code in (302, 303), response.status_code
    return response.headers["Location"]


@pytest.mark.ckan_config("ckan.site_url", SITE)
def test_a_redirect_stays_on_the_loopback_alias_the_request_came_in_on(app):
    assert _location(app, "127.0.0.1:5000").startswith("http://127.0.0.1:5000/")
    assert _location(app, "localhost:5000").startswith("http://localhost:5000/")


@pytest.mark.ckan_config("ckan.site_url", SITE)
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:5001", "10.0.0.5:5000"])
def test_an_unknown_host_gets_the_site_url(app, host):
    assert _location(app, host).startswith(f"{SITE}/")


@pytest.mark.ckan_config("ckan.site_url", "https://portal.stadt.example")
@pytest.mark.ckan_config("ckanext.smartcityatlas.site_url_aliases", "https://atlas.stadt.example:443")
def test_a_configured_alias(app):
    assert _location(app, "atlas.stadt.example", "https").startswith("https://atlas.stadt.example/")
    # a loopback name is no alias of a site URL elsewhere
    assert _location(app, "127.0.0.1:5000").startswith("https://portal.stadt.example/")


@pytest.mark.ckan_config("ckan.site_url", SITE)
def test_script_roots_are_root_relative(app):
    page = app.get("/dataset/", headers={"Host": "127.0.0.1:5000"}).body
    assert '<meta name="site-root" content="/" />' in page
    assert '<meta name="locale-root" content="/" />' in page
    english = app.get("/en/dataset/").body
    assert '<meta name="locale-root" content="/en/" />' in english


def test_origins():
    assert site_alias.origin("HTTP://LocalHost:80/x?y") == "http://localhost"
    assert site_alias.origin("https://[::1]:8443/") == "https://[::1]:8443"
    assert site_alias.origin("javascript:alert(1)") is None
    assert site_alias.origin("http://host:99999") is None
    known = frozenset({"http://localhost:5000", "http://127.0.0.1:5000"})
    assert site_alias.rewrite("http://localhost:5000/user/me", "http://127.0.0.1:5000", known) == \
        "http://127.0.0.1:5000/user/me"
    assert site_alias.rewrite("http://localhost:50001/x", "http://127.0.0.1:5000", known) == "http://localhost:50001/x"
