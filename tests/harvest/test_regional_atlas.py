# SPDX-License-Identifier: AGPL-3.0-or-later
"""A regional atlas harvests two city atlases (issue 30, "done when"): the
real exports of Dresden and of the invented Musterstadt, each made by this
portal configured as that city and served by a local test server at its own
address; then this portal, configured as a region of both cities with no
entries of its own, harvests both with ``sca_atlas``. Both cities on one map
and in search with city as a facet, provenance on every record, the
institute both cities list shown once with the projects of both, relations
kept, private records never arriving, each record in its own city's
districts, matching across cities, and unchanged re-harvests writing nothing.

The exports and the first harvests run once for the module (``regional``);
each test only reads, so their order does not matter."""
import pytest

from ckan.tests import factories

from tests.helpers.atlas_exchange import (
    atlas_source, copies_by_iri, dresden_entries, export_city, harvest_atlas, second_city_entries, serve_pages)
from tests.helpers.city_folder import write_example_city, write_region
from tests.helpers.entities import call
from tests.helpers.harvest import harvested
from tests.helpers.local_server import ALLOW_LOCAL, serve

pytestmark = [pytest.mark.usefixtures("with_plugins"), ALLOW_LOCAL]
CITIES = ("Dresden", "Musterstadt")
_STATE: dict = {}


@pytest.fixture(scope="module")
def sites():
    """Each city's atlas at its own address."""
    servers = {city: serve("127.0.0.1") for city in CITIES}
    yield {city: next(generator) for city, generator in servers.items()}
    for generator in servers.values():
        next(generator, None)


@pytest.fixture(scope="module")
def region_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("regional")
    musterstadt = write_example_city(root / "musterstadt", boundary=True)
    return {"musterstadt": musterstadt,
            "region": write_region(root / "region", ["dresden", str(musterstadt)], "Region (Test)")}


def _harvest_region(app, monkeypatch, ckan_config, sites, folders, unique) -> dict:
    """Both cities' real exports, each served at its city's site, then one
    ``sca_atlas`` source per city harvested into this (regional) atlas."""
    exports = {
        "Dresden": export_city(app, monkeypatch, ckan_config, "dresden", sites["Dresden"].url(""),
                               lambda: dresden_entries(unique)),
        "Musterstadt": export_city(app, monkeypatch, ckan_config, folders["musterstadt"],
                                   sites["Musterstadt"].url(""), lambda: second_city_entries(unique))}
    sources, reports = {}, {}
    for city in CITIES:  # Dresden first: its institute is the one Musterstadt's is merged into
        serve_pages(sites[city], exports[city][1])
        org = factories.Organization(name=f"atlas-{city.lower()}-{unique}", title=f"Smart City {city}")
        sources[city] = atlas_source(sites[city], org, name=f"atlas-{city.lower()}-{unique}")
        reports[city] = harvest_atlas(sources[city])
    return {"entries": {c: exports[c][0] for c in CITIES}, "pages": {c: exports[c][1] for c in CITIES},
            "sources": sources, "reports": reports, "copies": {c: copies_by_iri(sources[c]) for c in CITIES}}


@pytest.fixture
def regional(request, ckan_config, monkeypatch, sites, region_folder):
    """This portal as the regional atlas; on first use (a clean database and
    index) the exports and harvests, then shared by the module's tests."""
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.region", str(region_folder["region"]))
    first = not _STATE
    if first:
        request.getfixturevalue("clean_db")
        request.getfixturevalue("clean_index")
        # the app only for the exports: tests that read pages ask for it (an app per test costs a second)
        _STATE.update(_harvest_region(request.getfixturevalue("app"), monkeypatch, ckan_config, sites,
                                      region_folder, request.getfixturevalue("unique")))
    return {**_STATE, "sites": sites}


def _copy(regional, city, key):
    """The harvested copy of a city's entry ``key``."""
    record = regional["entries"][city][key]
    return regional["copies"][city][regional["sites"][city].url(f"/{record['type']}/{record['id']}")]


def _public(regional, city):
    return [r for r in regional["copies"][city].values() if not r["private"]]


def test_both_cities_arrive_on_one_map_with_provenance(regional, app):
    for city, added in (("Dresden", 3), ("Musterstadt", 4)):
        assert regional["reports"][city]["stats"].get("added") == added, regional["reports"][city]["messages"]
    for city in CITIES:
        site = regional["sites"][city]
        public = [key for key, entry in regional["entries"][city].items() if key != "org" and not entry["private"]]
        assert len(regional["copies"][city]) == len(public)
        for key in public:
            entry, record = regional["entries"][city][key], _copy(regional, city, key)  # by its original IRI
            assert record["sca_source_city"] == city and record["sca_source_atlas"] == f"Smart City Atlas {city}"
            assert record["sca_source_page"] == site.url(f"/{entry['type']}/{entry['name']}")

    # the map: every public record of both cities, each with its city for the popup
    features = app.get("/atlas/geojson", status=200).json["features"]
    located = {r["id"]: city for city in CITIES for r in _public(regional, city) if r.get("spatial")}
    assert {f["properties"]["id"]: f["properties"].get("source_city") for f in features} == located
    assert set(located.values()) == set(CITIES)

    # search across both cities, city as a facet and a filter
    result = call("sca_search", entity_type="actor,project", rows=50)
    assert result["facets"]["sca_city"] == {"Dresden": 3, "Musterstadt": 3}
    for city in CITIES:
        found = call("sca_search", city=city, rows=50)["results"]
        assert {r["id"] for r in found} == {r["id"] for r in _public(regional, city)}
    assert 'name="city"' in app.get("/atlas", status=200).body

    # provenance on the entity page: the atlas and the link to the original page
    for city, key in (("Dresden", "project"), ("Musterstadt", "project")):
        record = _copy(regional, city, key)
        page = app.get(f"/project/{record['name']}", status=200).body
        assert f"aus dem Smart City Atlas {city}" in page and record["sca_source_page"] in page, city


def test_the_shared_institute_is_shown_once_with_projects_of_both_cities(regional, app):
    institute, copy = _copy(regional, "Dresden", "shared"), _copy(regional, "Musterstadt", "shared")
    assert institute["private"] is False and not institute.get("sca_same_as")
    assert copy["private"] is True and copy["sca_same_as"] == institute["id"]
    assert copy["sca_same_as_rule"] == "website domain: iws.fraunhofer.example"
    public = call("package_search", fq="+dataset_type:actor", rows=100)["results"]
    assert [a["id"] for a in public if "fraunhofer" in (a.get("url") or "")] == [institute["id"]]
    projects = {p["id"] for p in call("sca_actor_projects", id=institute["id"])["results"]}
    assert projects == {_copy(regional, city, "project")["id"] for city in CITIES}
    page = app.get(f"/actor/{institute['name']}", status=200).body
    assert "sca-entity-shared" in page and "Smart City Atlas Musterstadt" in page


def test_relations_are_kept_and_private_records_never_travel(regional):
    dresden, musterstadt = regional["entries"]["Dresden"], regional["entries"]["Musterstadt"]
    partners = [{k: v for k, v in p.items() if v} for p in _copy(regional, "Dresden", "project")["partners"]]
    assert partners == [{"actor": _copy(regional, "Dresden", "shared")["id"], "role": "lead"}]
    project = _copy(regional, "Musterstadt", "project")
    assert project["part_of"] == _copy(regional, "Musterstadt", "measure")["id"]
    partners = [{k: v for k, v in p.items() if v} for p in project["partners"]]
    assert partners == [  # across the sources: Musterstadt's project names Dresden's institute
        {"actor": _copy(regional, "Dresden", "shared")["id"], "role": "research_partner"},
        {"actor": _copy(regional, "Musterstadt", "own")["id"], "role": "lead"},
        {"name": "Bürgerverein Altstadt e. V.", "role": "user"}]
    hidden = [dresden["hidden"], musterstadt["hidden"], musterstadt["secret"]]
    exported = b"".join(b for pages in regional["pages"].values() for b in pages.values()).decode("utf-8")
    everything = call("package_search", factories.Sysadmin(), q="*:*", rows=1000, include_private=True)
    stored = repr(everything["results"])
    for record in hidden:
        assert record["id"] not in exported and record["title"] not in exported
        assert record["id"] not in stored and record["title"] not in stored


def test_each_record_has_its_own_citys_districts(regional):
    for city in CITIES:
        for record in regional["copies"][city].values():
            assert {d.get("city") for d in record.get("sca_districts") or []} <= {city}, record["title"]
    assert [d["name"] for d in _copy(regional, "Dresden", "project")["sca_districts"]] == [
        "Innere Altstadt (Dresden)"]
    assert [d["name"] for d in _copy(regional, "Musterstadt", "project")["sca_districts"]] == [
        "Altstadt (Musterstadt)"]
    facets = call("sca_search", rows=0)["facets"]["sca_district_names"]
    assert {"Innere Altstadt (Dresden)", "Weixdorf (Dresden)", "Altstadt (Musterstadt)",
            "Auenbach (Musterstadt)"} <= set(facets)
    for district, city, keys in (("Altstadt (Musterstadt)", "Musterstadt", ("project",)),
                                 ("Innere Altstadt (Dresden)", "Dresden", ("shared", "project"))):
        found = call("sca_search", district=district, rows=50)["results"]
        assert {r["id"] for r in found} == {_copy(regional, city, key)["id"] for key in keys}, district


def test_matching_finds_partners_in_both_cities_with_the_distance_explained(regional):
    found = {r["id"]: r for r in call("sca_match", project_id=_copy(regional, "Dresden", "project")["id"],
                                      limit=50)["results"]}
    near, far = found[_copy(regional, "Dresden", "own")["id"]], found[_copy(regional, "Musterstadt", "own")["id"]]
    assert (near["city"], far["city"]) == CITIES
    assert near["distance_km"] < 15 < 100 < far["distance_km"]
    distance = next(e for e in near["explanation"] if e["kind"] == "distance")
    assert "km" in distance["detail"] and "Dresden" in distance["detail"]
    assert "Musterstadt" in far["where"] and "km" in far["where"]


def test_re_harvesting_both_sources_unchanged_writes_nothing(regional):
    before = {city: {r["id"]: r["metadata_modified"] for r in harvested(regional["sources"][city]["id"])}
              for city in CITIES}
    for city in CITIES:
        report = harvest_atlas(regional["sources"][city])
        assert report["stats"].get("added", 0) == report["stats"].get("updated", 0) == 0, report["messages"]
        # the job report: every record found unchanged
        assert [r["status"] for r in report["records"]] == ["not modified"] * len(before[city]), report["records"]
        assert {r["id"]: r["metadata_modified"] for r in harvested(regional["sources"][city]["id"])} == before[city]
