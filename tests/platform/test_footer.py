# SPDX-License-Identifier: AGPL-3.0-or-later
"""The footer is the city's (issue 29): its about page, legal pages, the
licence of the atlas content and the API documentation, with a small text
"Powered by CKAN" instead of CKAN's logo, API and association links."""
import pytest

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def _footer(app, path):
    page = app.get(path, status=200).get_data(as_text=True)
    return page[page.index('<footer class="site-footer"'):]


@pytest.mark.parametrize("prefix,about,licence,api,powered", [
    ("", "Über Smart City Atlas Dresden", "Lizenz der Atlasinhalte: Datenlizenz Deutschland Namensnennung 2.0",
     "API-Dokumentation (OpenAPI)", "Betrieben mit"),
    ("/en", "About Smart City Atlas Dresden", "Licence of the atlas content: Datenlizenz Deutschland Namensnennung 2.0",
     "API documentation (OpenAPI)", "Powered by"),
])
def test_the_city_links_and_a_small_attribution(app, prefix, about, licence, api, powered):
    footer = _footer(app, f"{prefix}/atlas")
    assert f'href="{prefix}/about">{about}<' in footer
    assert f'href="{prefix}/impressum"' in footer and f'href="{prefix}/datenschutz"' in footer
    assert f'href="https://www.govdata.de/dl-de/by-2-0">{licence}<' in footer
    assert f'href="{prefix}/atlas/openapi.json">{api}<' in footer
    assert f'{powered} <a href="https://ckan.org/">CKAN</a>' in footer
    # CKAN's logo, its own API docs and the association link are gone
    for ckan_own in ("ckan-footer-logo", "docs.ckan.org", "CKAN Association", "CKAN-Vereinigung",
                     "Eingesetzte Software ist", "od_80x15_blue"):
        assert ckan_own not in footer, ckan_own
