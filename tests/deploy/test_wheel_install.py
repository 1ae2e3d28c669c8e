# SPDX-License-Identifier: AGPL-3.0-or-later
"""The wheel installed into an existing, stock CKAN 2.11 and 2.12, exactly as
docs/install.md says (its blocks are run from the page), against the suite's
real PostgreSQL, Solr and Redis.

Per CKAN version: a fresh virtualenv with ``ckan[requirements]`` from the
package index, a generated ckan.ini and ``ckan db init`` (the city's portal
before the atlas); the wheel built from a clean copy of the checkout and
installed with its dependencies (CKAN's own pins must stay as they are); a
Solr core made with CKAN's stock schema gets the page's schema changes. Then
the plugins are enabled in steps, in the order a city might take them, each
followed by ``db upgrade``: DCAT-AP.de only (no harvesting yet); plus the
harvesters (ckanext-harvest's tables are created after our migrations ran:
the identifier index must still come, issue 31); everything (with the
DataStore). Smoke after the last two: a dataset, search, the catalog as valid
DCAT-AP.de Turtle, a harvest from a local catalogue through the harvest
consumers, an actor and a project naming it as partner.
"""
import json

import pytest
import rdflib
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.dcat import shacl
from ckanext.smartcityatlas.harvesters import identifier_index
from tests.helpers.entities import actor_data, project_data
from tests.helpers.harvest import page, record
from tests.helpers.stock_ckan import SOLR_CONF, SOLR_FILES, Services, StockCkan

CKAN_VERSIONS = ("2.11.4", "2.12.0")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module", params=CKAN_VERSIONS)
def site(request, built_wheel, tmp_path_factory):
    """A stock CKAN of that version with the wheel installed (not enabled yet)."""
    version = request.param
    services = Services(tk.config)
    stock = StockCkan(tmp_path_factory.mktemp(f"ckan-{version}"), version, services,
                      redis_db=6 + CKAN_VERSIONS.index(version))
    try:
        stock.create()
        pins_before = stock.ckan_pins()
        stock.doc("install", SCA_SRC=built_wheel.parent.parent)
        stock.pins_before = pins_before
        yield stock
    finally:
        stock.remove()
        for step, seconds in sorted(stock.timings.items(), key=lambda item: -item[1]):
            print(f"CKAN {version}: {step:<22} {seconds:6.1f} s")


def test_the_wheel_keeps_ckans_own_pins_and_its_dependencies_are_consistent(site):
    assert site.pins_before, "CKAN's pins could not be read"
    changed = {name: versions for name, versions in site.ckan_pins().items()
               if versions[1] != site.pins_before[name][1] or versions[0] != versions[1]}
    assert not changed, f"installing the wheel changed what CKAN {site.version} pins: {changed}"
    site.run(site.venv / "bin" / "pip", "check")
    shown = site.run(site.venv / "bin" / "pip", "show", "-f", "ckanext-smartcityatlas").stdout
    assert "Location: " + str(site.venv) in shown  # the wheel, not this checkout
    assert "ckanext/smartcityatlas/migration/sca_platform/versions/" in shown


def test_enabling_the_plugins_in_steps_on_a_stock_ckan(site, server):
    services = site.services
    # --- Solr: the page's schema changes on the core of the stock CKAN
    assert not services.field_exists(site.name, "spatial_geom")
    for name in SOLR_FILES:
        (site.solr_conf / name).write_bytes((SOLR_CONF / name).read_bytes())
    if site.version.startswith("2.11."):
        site.doc("solr-ckan-2.11", CONF=site.solr_conf)
    services.reload_core(site.name)
    assert services.field_exists(site.name, "spatial_geom")

    # --- DCAT-AP.de only: the settings of the page, then its reduced plugin list
    site.merge("settings")
    site.merge("plugins-dcat")
    site.set(**{"ckanext.smartcityatlas.harvest.allowed_networks": "127.0.0.1/32"})  # the catalogue below
    site.doc("migrate")
    assert services.relation_exists(site.name, "smartcityatlas_alembic_version")
    assert not services.relation_exists(site.name, identifier_index.TABLE)  # no harvesting yet

    # --- plus the harvesters: ckanext-harvest's tables only now
    site.merge("plugins-harvest")
    site.doc("migrate")
    site.start()
    assert services.relation_exists(site.name, identifier_index.INDEX), "the identifier index is missing"
    site.sysadmin_token()
    org = site.api("organization_create", {"name": "umweltamt", "title": "Umweltamt"})
    dataset = site.api("package_create", {
        "type": "dataset", "name": "luftqualitaet", "title": "Luftqualität Innenstadt",
        "notes": "Messwerte der Luftqualität.", "owner_org": org["id"], "license_id": "dl-by-de/2.0",
        "resources": [{"url": "https://stadt.example/luft.csv", "format": "CSV"}]})
    assert site.api("package_search", q="Luftqualität")["count"] == 1
    _catalog_is_valid_dcat_ap_de(site, {dataset["title"]})
    _harvest(site, server, org)

    # --- everything (the atlas, quality, sensors with the DataStore)
    site.merge("settings")
    _datastore(site)
    site.doc("migrate")
    # CKAN's DataStore permissions, piped into psql as the superuser (as the page says)
    services.psql(site.ckan("datastore", "set-permissions").stdout)
    site.start()
    actor = site.api("package_create", actor_data("smoke", org))
    found = site.api("package_search", q="Akteur smoke", fq="+dataset_type:actor")
    assert [r["name"] for r in found["results"]] == [actor["name"]], site.log_tail()
    project = site.api("package_create", project_data(
        "smoke", org, partners=[{"actor": actor["id"], "role": "partner"}]))
    atlas = site.api("sca_search", q="smoke")  # the atlas' own search, with its facets
    assert {r["name"] for r in atlas["results"]} == {actor["name"], project["name"]}, atlas
    # the partners indexed in both directions (the actor's document names the project)
    assert [p["name"] for p in site.api("sca_actor_projects", id=actor["id"])["results"]] == [project["name"]]
    named = site.api("package_search", fq=f'+dataset_type:actor +sca_project_ids:"{project["id"]}"')
    assert [r["name"] for r in named["results"]] == [actor["name"]]
    assert site.api("package_search", q="Luftqualität")["count"] == 1
    _catalog_is_valid_dcat_ap_de(site, {dataset["title"]})


def _catalog_is_valid_dcat_ap_de(site, titles):
    """/catalog.ttl parses as Turtle, holds exactly these datasets (no
    actors, no harvested records) and conforms to DCAT-AP.de 2.0."""
    body = site.get("/catalog.ttl").content
    graph = rdflib.Graph().parse(data=body, format="turtle")
    found = {str(graph.value(node, DCT.title)) for node in graph.subjects(rdflib.RDF.type, DCAT.Dataset)}
    assert found == titles
    result = shacl.validate(body, "v2.0-spec-konventionen")
    assert not result.violations, result.summary()


def _harvest(site, server, org):
    """A DCAT-AP.de catalogue on loopback harvested through the consumers."""
    server.add("/katalog.ttl", body=page(record("baeume", identifier="urn:stadt:baeume"),
                                         record("ampeln", identifier="urn:stadt:ampeln")))
    source = site.api("harvest_source_create", {
        "name": "stadtkatalog", "title": "Stadtkatalog", "url": server.url("/katalog.ttl"),
        "source_type": "sca_dcat_rdf", "owner_org": org["id"], "config": json.dumps({})})
    job = site.harvest(source["id"])
    assert job["stats"].get("added") == 2, job
    harvested = site.api("package_search", fq=f"+harvest_source_id:{source['id']}", include_private=True)
    assert harvested["count"] == 2, harvested
    report = site.api("sca_harvest_job_report", id=job["id"])
    assert len(report["records"]) == 2, report


def _datastore(site):
    """The DataStore as CKAN's documentation sets it up: its database (owned
    by CKAN's role) and a read-only role."""
    services = site.services
    database = site.name + "_datastore"
    write_url = services.create_database(database)
    reader = site.name + "_ro"
    read_url = services.database_url(database, reader, services.create_role(reader))
    site.set(**{"ckan.datastore.write_url": write_url, "ckan.datastore.read_url": read_url})
