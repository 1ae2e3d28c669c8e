# SPDX-License-Identifier: AGPL-3.0-or-later
"""One record with an address that is no IRI (older records, harvested ones,
fields the validators do not see) must not break the RDF for everyone: the
value is left out with a log line, the Turtle parses and holds every record."""
import json
import logging

import pytest
import rdflib
from rdflib.namespace import DCAT, FOAF, RDF

from ckan.tests import factories

from ckanext.smartcityatlas.dcat import opendata
from tests.helpers.datasets import catalog_graph, create, full_dataset, minimal_dataset, write_past_validation
from tests.helpers.entities import actor_data, project_data

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]

# what breaks an IRI in Turtle (<…>): quote, angle brackets, space, braces,
# backslash, caret, backtick, a newline
BAD = ['https://example.org/a"b', "https://example.org/<b>", "https://example.org/a b", "https://example.org/{x}",
       "https://example.org/a\\b", "https://example.org/a^b", "https://example.org/a`b", "https://example.org/a\nb"]


@pytest.fixture
def left_out(caplog):
    """The log lines of dcat/iris.py (the test configuration's logging setup
    disables loggers made before it and keeps ckanext's records from the
    root logger, where caplog listens)."""
    logger = logging.getLogger("ckanext.smartcityatlas.dcat.iris")
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(caplog.handler)
    yield lambda: [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    logger.removeHandler(caplog.handler)
    logger.disabled = disabled


def test_open_data_regeneration_survives_addresses_that_are_no_iris(app, unique, left_out):
    org = factories.Organization()
    good = create(actor_data(f"{unique}-gut", org, url="https://example.org/gut"))
    bad = []
    for i, value in enumerate(BAD):
        actor = create(actor_data(f"{unique}-{i}", org, url=f"https://example.org/{i}"))
        write_past_validation(actor["id"], url=value)
        bad.append(actor)
    project = create(project_data(unique, org, partners=[
        {"actor": good["id"], "role": "lead"}, {"name": "http://kein IRI, ein Name", "role": "partner"}]))

    opendata.regenerate()

    actors = rdflib.Graph().parse(
        data=app.get(f"/opendata/atlas/{opendata.file_name(opendata.ACTORS, 'ttl')}", status=200).body,
        format="turtle")
    assert {str(s) for s in actors.subjects(RDF.type, FOAF.Organization)} == {
        opendata.entity_iri("actor", a["id"]) for a in [good] + bad}
    assert [str(o) for o in actors.objects(None, FOAF.homepage)] == ["https://example.org/gut"]
    for actor in bad:  # the one value left out, with a log line naming the record
        assert any(actor["id"] in line for line in left_out())
    projects = rdflib.Graph().parse(
        data=app.get(f"/opendata/atlas/{opendata.file_name(opendata.PROJECTS, 'ttl')}", status=200).body,
        format="turtle")
    partners = {str(o) for o in projects.objects(rdflib.URIRef(opendata.entity_iri("project", project["id"])),
                                                  rdflib.URIRef("https://schema.org/participant"))}
    assert partners == {opendata.entity_iri("actor", good["id"]), "http://kein IRI, ein Name"}
    # the CSV keeps the stored value (a spreadsheet cell, not an IRI)
    csv_body = app.get(f"/opendata/atlas/{opendata.file_name(opendata.ACTORS, 'csv')}", status=200).body
    assert 'https://example.org/a""b' in csv_body


def _hostile_dataset(org, unique):
    """A dataset whose every address field holds something that is no IRI."""
    pkg = create(full_dataset(org, unique, extras=[{"key": "uri", "value": BAD[0]}]))
    resources = pkg["resources"][:2]
    write_past_validation(pkg["id"], url=BAD[2], extras={
        "publisher_url": BAD[1], "contact_url": BAD[3], "spatial_uri": BAD[7],
        "contact_email": 'x@example.org" y',
        "roles": json.dumps([{"role": "originator", "name": "Stelle", "url": BAD[4], "email": "a b@example.org"}]),
        "documentation": json.dumps([BAD[5]]), "conforms_to": json.dumps([BAD[6]]),
    }, resource_urls={resources[0]["id"]: BAD[0], resources[1]["id"]: BAD[7]})
    return pkg


@pytest.mark.parametrize("profile", ["sca_dcatap_de", "sca_dcatap_de_3"])
def test_catalog_survives_a_dataset_with_hostile_addresses(app, org, unique, profile, left_out):
    hostile = _hostile_dataset(org, unique)
    plain = create(minimal_dataset(org, unique))
    graph = catalog_graph(app, profiles=profile)  # parses as Turtle
    ids = {str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, DCAT.Dataset)}
    assert ids == {hostile["id"], plain["id"]}
    assert any(hostile["id"] in line for line in left_out())
    for node in graph.all_nodes():
        if isinstance(node, rdflib.URIRef):
            assert not any(c in str(node) for c in '"<>{}|\\^` \n'), node
    # the rest of the record is still there
    ref = rdflib.URIRef(next(s for s in graph.subjects(RDF.type, DCAT.Dataset) if hostile["id"] in s))
    assert len(list(graph.objects(ref, DCAT.distribution))) == len(hostile["resources"])
    for fmt in ("rdf", "jsonld"):
        app.get(f"/catalog.{fmt}", query_string={"profiles": profile}, status=200)
    rdflib.Graph().parse(data=app.get(f"/dataset/{hostile['id']}.ttl", query_string={"profiles": profile},
                                      status=200).body, format="turtle")
