# SPDX-License-Identifier: AGPL-3.0-or-later
"""/dataset/: datasets only (actors and projects live in the atlas), and a
licence facet whose labels tell the licences apart (issue 29, item 10)."""
import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.dcat.license_labels import short_label
from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_dataset_search_lists_datasets_only(app, unique):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = create(minimal_dataset(org, f"ds-{unique}"))
    actor = call("package_create", editor, **actor_data(unique, org))
    project = call("package_create", editor, **project_data(unique, org))

    page = app.get("/dataset/", query_string={"q": unique}).body
    assert f'/dataset/{dataset["name"]}"' in page
    assert actor["name"] not in page and project["name"] not in page
    org_page = app.get(f"/dataset/?organization={org['name']}").body
    assert actor["name"] not in org_page
    # they are still where they belong
    assert actor["name"] in app.get("/actor/", query_string={"q": unique}).body


def test_licence_facet_labels_tell_the_licences_apart(app, unique):
    org = factories.Organization()
    create(minimal_dataset(org, f"by-{unique}", license_id="dl-by-de/2.0"))
    create(minimal_dataset(org, f"zero-{unique}", license_id="dl-zero-de/2.0"))
    create(minimal_dataset(org, f"cc-{unique}", license_id="cc-by/4.0"))

    page = app.get("/dataset/", query_string={"organization": org["name"]}).body
    facets = page[page.index('id="search-facets"'):]
    for label in ("DL-DE Namensnennung 2.0", "DL-DE Zero 2.0", "CC BY 4.0"):
        assert f'<span class="item-label">{label}</span>' in facets, label
    assert "Datenlizenz..." not in facets


@pytest.mark.parametrize("title,label", [
    ("Datenlizenz Deutschland – Zero – Version 2.0", "DL-DE Zero 2.0"),
    ("Datenlizenz Deutschland Namensnennung nicht-kommerziell 1.0", "DL-DE Namensnennung nicht-kommerziell 1.0"),
    ("Creative Commons Namensnennung – 4.0 International (CC BY 4.0)", "CC BY 4.0"),
    ("Andere offene Lizenz", "Andere offene Lizenz"),
    ("", ""),
])
def test_short_labels(title, label):
    assert short_label(title) == label
