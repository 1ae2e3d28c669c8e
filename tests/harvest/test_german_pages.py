# SPDX-License-Identifier: AGPL-3.0-or-later
"""ckanext-harvest's pages in the page's language (issue 29, item 7): German
from our third-party catalogue (ckanext-harvest ships none), English under /en;
and CKAN's mixed "Resource hinzufügen" corrected."""
import pytest

from ckan.tests import factories

from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.harvest import create_source
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]

ENGLISH = ("Harvest Sources", "Add Harvest Source", "harvest found", "harvests found", "harvest source found",
           "Create Harvest Source", "Harvest Jobs", "No jobs yet", "Reharvest", "Last Harvest Job",
           "There are no datasets associated", "Source type", "Weekly", ">active<")


@pytest.fixture
def sysadmin_headers():
    admin = factories.Sysadmin()
    return {"Authorization": factories.APIToken(user=admin["name"])["token"]}


@pytest.fixture
def source(server, harvest_org):
    server.add("/c.ttl", body="")
    return create_source(server.url("/c.ttl"), harvest_org, name="stadtkatalog")


def _english_left(body: str) -> list[str]:
    return [text for text in ENGLISH if text in body]


@pytest.mark.parametrize("path,german", [
    ("/harvest", ["Harvesting-Quellen", "Harvesting-Quelle hinzufügen", "1 Harvesting-Quelle gefunden",
                  "Häufigkeit", "Manuell"]),
    ("/harvest/stadtkatalog", ["Zu dieser Harvesting-Quelle gehören keine Datensätze."]),
    ("/harvest/admin/stadtkatalog", ["Letzter Harvesting-Auftrag", "Erneut harvesten",
                                     "Für diese Quelle gibt es noch keine Aufträge"]),
    ("/harvest/stadtkatalog/job", ["Harvesting-Aufträge"]),
    ("/harvest/new", ["Harvesting-Quelle anlegen", "Art der Quelle", "Manuell", "Wöchentlich"]),
    ("/harvest/about/stadtkatalog", [">aktiv<"]),
])
def test_harvest_pages_in_german(app, source, sysadmin_headers, path, german):
    body = app.get(path, headers=sysadmin_headers, status=200).body
    assert [text for text in german if text not in body] == []
    assert _english_left(body) == []
    if path == "/harvest":  # facets: no raw frequency codes, no English titles
        assert "Frequency" not in body and '<span class="item-label">MANUAL</span>' not in body


def test_harvest_list_in_german_for_anonymous(app, source):
    body = app.get("/harvest", status=200).body
    assert "Harvesting-Quellen" in body and "1 Harvesting-Quelle gefunden" in body
    assert _english_left(body) == []


def test_harvest_pages_stay_english_under_en(app, source, sysadmin_headers):
    body = app.get("/en/harvest", headers=sysadmin_headers, status=200).body
    assert "Harvest Sources" in body and "Add Harvest Source" in body and "1 harvest found" in body
    assert "Harvesting-Quelle" not in body
    form = app.get("/en/harvest/new", headers=sysadmin_headers, status=200).body
    assert "Create Harvest Source" in form and "Manual" in form and "Manuell" not in form


def test_add_resource_is_german_not_mixed(app, harvest_org, sysadmin_headers, unique):
    dataset = create(minimal_dataset(harvest_org, unique))
    body = app.get(f"/dataset/{dataset['name']}/resource/new", headers=sysadmin_headers, status=200).body
    assert "Ressource hinzufügen" in body
    assert "Resource hinzufügen" not in body
    english = app.get(f"/en/dataset/{dataset['name']}/resource/new", headers=sysadmin_headers, status=200).body
    assert "Add resource" in english
