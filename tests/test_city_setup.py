# SPDX-License-Identifier: AGPL-3.0-or-later
"""A second, invented city end to end, set up from an empty folder exactly
as docs/city.md says (its example city.yaml and districts.csv are read from
the documentation), then used by the portal of the test services: map data,
districts, catalog, legal pages and forms in both languages, and no trace of
Dresden on any page."""
import html
import json
import os
import re
import subprocess

import pytest
import rdflib
from ckan.cli.cli import ckan
from ckan.tests import factories
from rdflib.namespace import DCTERMS as DCT, FOAF

from tests.helpers.city_folder import ALTSTADT_POINT, AUENBACH_POINT, REPO, settings, write_example_city
from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.entities import call, project_data
from tests.helpers.forms import create_through_form

DRESDEN = re.compile(r"dresden|14612000|51\.050|13\.737", re.I)
DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")


def stack_site_title(folder) -> str:
    """The city name deploy/sca puts into the site title for SCA_CITY=folder."""
    env = {k: v for k, v in os.environ.items() if k != "SCA_CITY_TITLE"}
    proc = subprocess.run(["bash", "-c", 'source deploy/lib/common.sh && printf %s "$SCA_CITY_TITLE"'],
                          cwd=REPO, env=dict(env, SCA_CITY=str(folder)), capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def musterstadt(cli, ckan_config, monkeypatch, tmp_path):
    """Steps 1 to 7 of docs/city.md: the folder, its boundary, the check and
    the portal pointed at it (before the app starts, as a restart would)."""
    folder = write_example_city(tmp_path / "musterstadt")  # steps 1-4
    made = cli.invoke(ckan, ["sca", "city-boundary", str(folder)])  # step 5
    assert made.exit_code == 0, made.output
    checked = cli.invoke(ckan, ["sca", "city-check", str(folder)])  # step 6
    assert checked.exit_code == 0 and "no errors" in checked.output, checked.output
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.city", str(folder))  # step 7
    monkeypatch.setitem(ckan_config, "ckan.site_title", f"Smart City Atlas {stack_site_title(folder)}")
    return folder


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_second_city_from_an_empty_folder(musterstadt, app, with_plugins):
    city = settings(musterstadt)
    pages: dict[str, str] = {}

    def get(path, headers=None, status=200):
        response = app.get(path, headers=headers or {}, status=status)
        pages[path] = response.get_data(as_text=True)
        return pages[path]

    # step 8: the default organisation, with an editor
    editor = factories.User()
    org = call("organization_create", factories.Sysadmin(), name=city["default_organization"],
               title="Smart City Musterstadt", users=[{"name": editor["name"], "capacity": "editor"}])
    token = {"Authorization": factories.APIToken(user=editor["name"])["token"]}

    # forms in both languages: the city's examples, no other city's
    form = html.unescape(get("/actor/new", token))
    assert 'placeholder="z. B. Hochschule Musterstadt"' in form and 'placeholder="z. B. hs-musterstadt"' in form
    assert '{"type": "Point", "coordinates": [11.05, 50.93]}' in form  # the location's example: map_center
    assert "Breitengrad (z. B. 50.93)" in form and "Längengrad (z. B. 11.05)" in form
    form_en = html.unescape(get("/en/actor/new", token))
    assert 'placeholder="e.g. Hochschule Musterstadt"' in form_en and "Latitude (e.g. 50.93)" in form_en
    assert 'Namensnennung (z. B. "Stadt Musterstadt")' in html.unescape(get("/dataset/new", token))
    assert 'Attribution text (e.g. "Stadt Musterstadt")' in html.unescape(get("/en/dataset/new", token))
    assert ">Altstadt<" in get("/project/new", token) and ">Old town<" in get("/en/project/new", token)

    # an actor through the form in the Altstadt, a project in Auenbach
    actor_page = create_through_form(app, token, "actor", {
        "title": "Hochschule Musterstadt", "name": "hs-musterstadt", "notes": "Forschung im Quartier.",
        "actor_kind": "university", "helix_sector": "science", "topics": "energy", "owner_org": org["id"],
        "spatial": json.dumps(ALTSTADT_POINT), "location_source": "address", "location_precision": "exact"})
    pages["actor"] = actor_page.body
    assert ">Ortsteil</h2>" in actor_page.body and "Altstadt (Planungsraum Mitte)" in actor_page.body
    actor = call("package_show", editor, id="hs-musterstadt")
    project = call("package_create", editor, **project_data("auen", org, title="Auenbach summt",
                                                             spatial=json.dumps(AUENBACH_POINT),
                                                             partners=[{"actor": actor["id"], "role": "lead"}]))
    assert [d["name"] for d in project["sca_districts"]] == ["Auenbach"]
    project_page = get(f"/project/{project['name']}")
    assert "Auenbach (Ortschaft Auenbach)" in project_page and "Hochschule Musterstadt" in project_page
    assert "Auenbach (Locality Auenbach)" in get(f"/en/project/{project['name']}")
    assert ">District</h2>" in get("/en/actor/hs-musterstadt")
    dataset = create(minimal_dataset(org, "muster", title="Baumkataster Musterstadt"))

    # the map: the city's outlines and the entities
    boundary = json.loads(get("/atlas/city/boundary.geojson"))
    assert boundary["features"][0]["properties"]["name"] == "Musterstadt"
    districts = json.loads(get("/atlas/city/districts.geojson"))
    assert {(f["properties"]["name"], f["properties"]["group"]) for f in districts["features"]} == {
        ("Altstadt", "Mitte"), ("Nordviertel", "Mitte"), ("Auenbach", "Auenbach"), ("Hügelheim", "Hügelheim")}
    features = json.loads(get("/atlas/geojson"))["features"]
    assert {f["properties"]["name"] for f in features} >= {"hs-musterstadt", project["name"]}

    # the atlas and its district filters, named with the city's labels
    atlas = get("/atlas")
    assert "Smart City Atlas Musterstadt" in atlas  # the site title names the city (deploy/lib/common.sh)
    assert "Planungsraum / Ortschaft" in atlas and "Stadtbezirk" not in atlas
    assert 'value="Mitte"' in atlas and 'value="Altstadt"' in atlas
    assert "Planning area / Locality" in get("/en/atlas")
    for path in ("/atlas/embed", "/atlas/netzwerk", "/atlas/monitoring", "/atlas/korrektur", "/datenwuensche",
                 "/", "/dataset/", "/organization/", f"/dataset/{dataset['name']}", "/about",
                 "/en/atlas/korrektur", "/en/datenwuensche"):
        get(path)

    # the catalog: the city as publisher, its municipality key
    catalog = rdflib.Graph().parse(data=get("/catalog.ttl"), format="turtle")
    assert {str(n) for n in catalog.objects(None, FOAF.name)} >= {"Stadt Musterstadt"}
    assert {str(i) for i in catalog.objects(None, DCT.identifier)} >= {dataset["id"]}
    keys = {str(k) for k in catalog.objects(None, DCATDE.politicalGeocodingURI)}
    assert keys == {"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16099000"}, keys

    # legal pages: the city and Thuringian law, still marked as templates
    for lang, marks in (("", ("Stadt Musterstadt", "ThürBarrWebG", "Vorlage", "tlfdi.de")),
                        ("/en", ("City of Musterstadt", "ThürBarrWebG", "Template", "tlfdi.de"))):
        for page in ("impressum", "datenschutz", "barrierefreiheit"):
            get(f"{lang}/{page}")
        text = " ".join(pages[f"{lang}/{page}"] for page in ("impressum", "datenschutz", "barrierefreiheit"))
        for mark in (*marks, "opendata@musterstadt.example", "Thüringer Landesbeauftragte"):
            assert mark in text, (lang, mark)
        assert "${" not in text and "Sächs" not in text

    # no trace of Dresden anywhere
    traces = {path: DRESDEN.findall(body) for path, body in pages.items() if DRESDEN.search(body)}
    assert traces == {}, traces


def test_the_shared_sources_name_no_city():
    """Templates, scripts, schemas and legal templates serve every city: the
    city's names, examples and coordinates come from its folder."""
    package = REPO / "ckanext-smartcityatlas" / "ckanext" / "smartcityatlas"
    files = [*(package / "templates").rglob("*.html"), *(package / "legal").rglob("*.md"),
             package / "legal" / "laender.yaml", *(REPO / "schemas").glob("*.yaml"),
             *(p for p in (package / "assets").rglob("*.js") if "vendor" not in p.parts)]
    found = {str(p.relative_to(REPO)): DRESDEN.findall(p.read_text(encoding="utf-8")) for p in files}
    assert len(files) > 40
    assert {path: words for path, words in found.items() if words} == {}
