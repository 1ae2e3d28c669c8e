# SPDX-License-Identifier: AGPL-3.0-or-later
"""A dataset without a contact of its own publishes its office's functional
data contact, else the city's."""
import pytest
import rdflib
from rdflib.namespace import DCAT

from ckan.tests import factories

from tests.helpers.datasets import create, minimal_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")


def _contact(app, dataset):
    graph = rdflib.Graph().parse(data=app.get(f"/dataset/{dataset['id']}.ttl").body, format="turtle")
    node = next(graph.objects(None, DCAT.contactPoint))
    return {str(p).split("#")[-1]: str(o) for p, o in graph.predicate_objects(node)}


def test_office_contact_then_city_contact(app):
    office = factories.Organization(title="Umweltamt", contact_name="Open-Data-Team des Umweltamts",
                                    contact_email="umwelt-daten@example.org")
    plain = factories.Organization(title="Bauamt")
    with_office = _contact(app, create(minimal_dataset(office, "oc1")))
    assert with_office["fn"] == "Open-Data-Team des Umweltamts"
    assert with_office["hasEmail"] == "mailto:umwelt-daten@example.org"
    city = _contact(app, create(minimal_dataset(plain, "oc2")))
    assert "umwelt" not in city.get("hasEmail", "") and city["fn"]
    own = _contact(app, create(minimal_dataset(office, "oc3", contact_email="eigene@example.org")))
    assert own["hasEmail"] == "mailto:eigene@example.org"
