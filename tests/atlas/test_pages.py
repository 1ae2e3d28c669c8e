# SPDX-License-Identifier: AGPL-3.0-or-later
"""The atlas pages rendered by the server: /atlas (works without
JavaScript), its fragment, /atlas/embed and /atlas/partner."""
import json

import pytest

from ckan.tests import factories

from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
HOSTILE = '<img src=x onerror=alert(1)>'


@pytest.fixture
def atlas(world):
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    marker = "".join(chr(ord("k") + int(c, 16)) for c in u)  # a word only this test uses
    a = call("package_create", editor, **actor_data(f"a-{u}", org, title=f"Solarwerkstatt {u}", topics=["energy"],
                                                     notes=f"Werkstatt {marker} für Solaranlagen."))
    h = call("package_create", editor, **actor_data(f"h-{u}", org, title=f"{HOSTILE} {u}", topics=["mobility"]))
    x = call("package_create", editor, **actor_data(f"x-{u}", org, title=f"Geheimlabor {u}", private=True))
    p = call("package_create", editor, **project_data(f"p-{u}", org, title=f"Solarquartier {u}",
                                                       spatial=json.dumps({"type": "Point", "coordinates": [13.7672, 51.1343]}),
                                                       partners=[{"actor": a["id"], "role": "lead"}]))
    return dict(world, a=a, h=h, x=x, p=p, marker=marker)


def test_atlas_lists_filters_and_escapes_without_javascript(app, atlas):
    org = atlas["org_a"]["name"]
    page = app.get("/atlas", query_string={"organization": org}).get_data(as_text=True)
    assert atlas["a"]["title"] in page and atlas["p"]["title"] in page
    assert atlas["x"]["title"] not in page  # private
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'name="topic" value="energy"' in page  # facets are form fields
    filtered = app.get("/atlas", query_string={"organization": org, "topic": "mobility"}).get_data(as_text=True)
    assert atlas["a"]["title"] not in filtered and "onerror" in filtered
    assert 'value="mobility" checked' in filtered


def test_the_district_filters_are_named_with_the_citys_labels(app, atlas):
    query = {"organization": atlas["org_a"]["name"]}
    assert "<summary>Stadtbezirk / Ortschaft</summary>" in app.get("/atlas", query_string=query).get_data(as_text=True)
    assert "<summary>Borough / Locality</summary>" in app.get("/en/atlas", query_string=query).get_data(as_text=True)


def test_members_see_their_private_entries(app, atlas):
    token = factories.APIToken(user=atlas["users"]["member"]["name"])["token"]
    page = app.get("/atlas", query_string={"organization": atlas["org_a"]["name"]},
                   headers={"Authorization": token}).get_data(as_text=True)
    assert atlas["x"]["title"] in page


def test_the_fragment_holds_form_and_list(app, atlas):
    frag = app.get("/atlas", query_string={"organization": atlas["org_a"]["name"], "q": "Solarquartier",
                                           "partial": "1"}).get_data(as_text=True)
    assert "<html" not in frag and 'class="sca-atlas-form"' in frag and 'id="sca-atlas-results"' in frag
    assert atlas["p"]["title"] in frag and atlas["a"]["title"] not in frag


def test_paging_keeps_the_filters(app, atlas):
    page = app.get("/atlas", query_string={"entity_type": "actor"}).get_data(as_text=True)
    if "rel=\"next\"" in page:
        assert "entity_type=actor" in page.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_bad_filters_are_shown_not_crashed(app):
    resp = app.get("/atlas", query_string={"bbox": "not-a-bbox"})
    assert resp.status_code == 200 and "alert-danger" in resp.get_data(as_text=True)


@pytest.mark.ckan_config("ckanext.smartcityatlas.embed.frame_ancestors", "https://www.dresden.de")
def test_embed_headers_no_cookies_no_private_data_no_edit_links(app, atlas):
    token = factories.APIToken(user=atlas["users"]["editor"]["name"])["token"]
    resp = app.get("/atlas/embed", query_string={"organization": atlas["org_a"]["name"]},
                   headers={"Authorization": token})
    assert resp.status_code == 200
    assert resp.headers["Content-Security-Policy"] == "frame-ancestors https://www.dresden.de"
    assert "X-Frame-Options" not in resp.headers
    assert "Set-Cookie" not in resp.headers
    page = resp.get_data(as_text=True)
    assert atlas["a"]["title"] in page and atlas["x"]["title"] not in page  # anonymous view, even for an editor
    assert "/edit/" not in page and "/user/login" not in page and 'target="_blank"' in page


def test_partner_page_shows_explanations(app, atlas):
    page = app.get("/atlas/partner", query_string={"q": f"Solaranlagen {atlas['marker']}"}).get_data(as_text=True)
    assert atlas["a"]["title"] in page and 'class="sca-reasons"' in page
    proj = app.get("/atlas/partner", query_string={"project_id": atlas["p"]["id"]}).get_data(as_text=True)
    assert atlas["p"]["title"] in proj
    assert app.get("/atlas/partner", query_string={"actor_id": atlas["x"]["id"]}).status_code == 404


def test_entity_pages_link_to_partner_suggestions(app, atlas):
    page = app.get(f"/actor/{atlas['a']['name']}").get_data(as_text=True)
    assert f"/atlas/partner?actor_id={atlas['a']['id']}" in page


def test_entity_pages_have_no_empty_tab_bar_for_visitors(app, atlas):
    """Actors and projects have no dataset tabs: a visitor's page has no
    empty tab bar above the title; an editor keeps the bar with "Manage"."""
    for path in (f"/actor/{atlas['a']['name']}", f"/project/{atlas['p']['name']}"):
        page = app.get(path, status=200).get_data(as_text=True)
        assert 'class="module-content page-header"' not in page, path
    token = factories.APIToken(user=atlas["users"]["editor"]["name"])["token"]
    page = app.get(f"/actor/{atlas['a']['name']}", headers={"Authorization": token}, status=200).get_data(as_text=True)
    assert 'class="module-content page-header"' in page and f"/actor/edit/{atlas['a']['name']}" in page
