# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Dresden demo atlas shipped in the city folder: complete, sourced,
located inside the city, related as the documents state, and idempotent."""
import json
import re

import pytest

from ckan.tests import helpers

from ckanext.smartcityatlas.demo import loader

pytestmark = [pytest.mark.usefixtures("with_plugins")]

NINE_MEASURES = ["Cleema", "Umweltmonitoring", "Verkehrsmanagement", "Erhaltungsmanagement",
                 "Energieautarkes Wohnen", "Smartes Energiemodell", "Open Data", "Smart Participation",
                 "Sportpark"]
RELATIONS = {  # project title part → partner title parts, as the documents state them
    "Cleema": ["Sandstorm"],
    "Energieautarkes Wohnen": ["WiD"],
    "Smartes Energiemodell": ["Klinikum", "EA Systems"],
    "Umweltmonitoring": ["TU Dresden|Technische Universität Dresden", "HTW"],
}
_LOADED = {}


@pytest.fixture
def demo():
    """Loaded once per run (with the plugins loaded); the second load is the idempotence check."""
    if not _LOADED:
        first = loader.load()
        second = loader.load()
        _orgs, actor_entries, project_entries = loader.read(loader.demo_folder())
        demo_names = {e["name"] for e in actor_entries + project_entries}
        actors = [a for a in helpers.call_action("package_search", fq="dataset_type:actor", rows=1000)["results"]
                  if a["name"] in demo_names]
        projects = [p for p in helpers.call_action("package_search", fq="dataset_type:project", rows=1000)["results"]
                    if p["name"] in demo_names]
        _LOADED.update(first=first, second=second, actors=actors, projects=projects)
    return _LOADED


def test_loads_without_refusals_and_twice_changes_nothing(demo):
    assert demo["first"].failed == {}
    assert demo["second"].created == [] and demo["second"].updated == []


def test_size(demo):
    assert len(demo["actors"]) >= 40
    assert len(demo["projects"]) >= 40


def test_the_nine_measures_exist_by_name(demo):
    measures = [p["title"] for p in demo["projects"] if p["project_kind"] == "measure"]
    for name in NINE_MEASURES:
        assert any(name.lower() in t.lower() for t in measures), (name, measures)


def test_every_entity_has_a_source_a_location_in_the_city_and_a_district(demo):
    for entity in demo["actors"] + demo["projects"]:
        full = helpers.call_action("package_show", id=entity["id"])
        assert full.get("record_source"), entity["name"]
        assert full.get("spatial"), entity["name"]
        assert full["sca_warnings"] == [], (entity["name"], full["sca_warnings"])
        assert full["sca_districts"], entity["name"]


def test_radar_ids_are_unique(demo):
    ids = [p.get("radar_id") for p in demo["projects"]]
    assert all(ids) and len(ids) == len(set(ids))


@pytest.mark.parametrize("project,partners", RELATIONS.items())
def test_documented_relations(demo, project, partners):
    match = [p for p in demo["projects"] if project.lower() in p["title"].lower()]
    assert match, project
    titles = " | ".join(r["title"] for p in match
                        for r in helpers.call_action("sca_project_actors", id=p["id"])["results"])
    for partner in partners:
        assert re.search(partner, titles), (project, partner, titles)


def test_no_personal_contact_data(demo):
    for entity in demo["actors"] + demo["projects"]:
        text = json.dumps(entity, ensure_ascii=False)
        prose = " ".join(str(entity.get(f) or "") for f in
                         ("title", "notes", "summary", "summary_en", "description_en", "record_source"))
        # German phone numbers: +49 … or an area code 0xx…, then more digits
        assert not re.search(r"(?:\+49|(?<![\d.])0\d{2,4})[ /-]?\d{3,}", prose), entity["name"]
        for email in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            assert email.split("@")[0].lower() in {"info", "kontakt", "post", "opendata", "smartcity", "service", "presse"}, email
