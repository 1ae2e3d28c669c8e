# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partner names → actors: aliases, fuzzy matches, uncertain matches kept as
free text and listed, and the curator's one action that resolves them."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.radar import create_source, csv_bytes, projects, run_job

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]

ROWS = [{"Radar-ID": "P-1", "Titel": "Datenlabor", "Typ": "Projekt", "Status": "Laufend",
         "Federführung": "Fraunhofer Institut für Verkehrs und Infrastruktursysteme",
         "Partner": "Silicon Saxony Verein; Stadtteilverein Pieschen (Anwender)"}]


@pytest.fixture
def setup(server, radar_org):
    ivi = factories.Dataset(type="actor", owner_org=radar_org["id"], name="fraunhofer-ivi",
                            title="Fraunhofer-Institut für Verkehrs- und Infrastruktursysteme IVI",
                            actor_kind="research_institute", helix_sector="science")
    saxony = factories.Dataset(type="actor", owner_org=radar_org["id"], name="silicon-saxony",
                               title="Silicon Saxony e. V.", actor_kind="cluster_network", helix_sector="business")
    server.add("/radar.csv", body=csv_bytes(ROWS), content_type="text/csv")
    source = create_source(server.url("/radar.csv"), radar_org)
    return {"source": source, "ivi": ivi, "saxony": saxony, "org": radar_org}


def test_fuzzy_uncertain_and_unknown_partners(setup):
    report = run_job(setup["source"])
    project = projects()["P-1"]
    assert project["partners"][0]["actor"] == setup["ivi"]["id"]  # fuzzy, reported as a repair
    assert project["partners"][1]["name"] == "Silicon Saxony Verein"
    assert project["partners"][2] == {**project["partners"][2], "name": "Stadtteilverein Pieschen", "role": "user"}
    [uncertain] = report["uncertain"]
    assert uncertain["row"] == 2 and uncertain["radar_id"] == "P-1"
    assert "'Silicon Saxony Verein' may be the actor silicon-saxony (Silicon Saxony e. V., similarity 0.8" \
        in uncertain["message"]
    assert [u["message"] for u in report["unmatched"]] == [
        "row 2: partner 'Stadtteilverein Pieschen' is not an actor of the atlas; kept as free text"]
    repairs = [n["message"] for r in report["generic"]["records"] for n in r["notes"] if n["kind"] == "repair"]
    assert any("fraunhofer-ivi (similarity" in m for m in repairs)


def test_a_curator_links_or_creates_the_actor_and_the_next_run_keeps_it(setup):
    run_job(setup["source"])
    project = projects()["P-1"]
    args = {"id": project["id"], "partner": "Silicon Saxony Verein", "actor": "silicon-saxony"}
    stranger = factories.User()
    for context in ({"user": "", "ignore_auth": False}, {"user": stranger["name"], "ignore_auth": False}):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("sca_radar_resolve_partner", context, **args)
    editor = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True}, id=setup["org"]["id"],
                        username=editor["name"], role="editor")
    context = {"user": editor["name"], "ignore_auth": False}
    with pytest.raises(tk.ValidationError):
        helpers.call_action("sca_radar_resolve_partner", dict(context), **{**args, "partner": "Niemand"})
    result = helpers.call_action("sca_radar_resolve_partner", dict(context), **args)
    assert result == {"project": project["name"], "actor": "silicon-saxony", "actor_id": setup["saxony"]["id"],
                      "created": False}
    created = helpers.call_action("sca_radar_resolve_partner", dict(context), id=project["id"],
                                  partner="Stadtteilverein Pieschen", create=True, actor_kind="civil_society",
                                  helix_sector="civil_society")
    assert created["created"] is True
    actor = helpers.call_action("package_show", {"ignore_auth": True}, id=created["actor_id"])
    assert actor["type"] == "actor" and actor["title"] == "Stadtteilverein Pieschen"
    partners = projects()["P-1"]["partners"]
    assert [(p.get("actor"), p["role"]) for p in partners] == [
        (setup["ivi"]["id"], "lead"), (setup["saxony"]["id"], "partner"), (actor["id"], "user")]

    # the next run links both names itself, nothing is left for a curator
    report = run_job(setup["source"])
    assert report["uncertain"] == [] and report["unmatched"] == []
    assert not [w for w in report["warnings"] if w["kind"] == "curated"]
    assert [(p.get("actor"), p["role"]) for p in projects()["P-1"]["partners"]] == [
        (setup["ivi"]["id"], "lead"), (setup["saxony"]["id"], "partner"), (actor["id"], "user")]
    assert run_job(setup["source"])["counts"]["unchanged"] == 1


def _actors_listing(project_id: str) -> set[str]:
    found = helpers.call_action("package_search", {"ignore_auth": True},
                                fq=f'+dataset_type:actor +sca_project_ids:"{project_id}"')["results"]
    return {a["name"] for a in found}


def test_actor_documents_follow_the_job_reindexed_once_at_its_end(setup, server):
    """The partner actors are reindexed at the end of the job (not after
    every project): afterwards they list the project, and an actor the next
    file drops no longer does."""
    run_job(setup["source"])
    project = projects()["P-1"]
    assert _actors_listing(project["id"]) == {"fraunhofer-ivi"}
    server.add("/radar.csv", body=csv_bytes([{**ROWS[0], "Federführung": "Silicon Saxony e. V."}]),
               content_type="text/csv")
    assert run_job(setup["source"])["counts"]["updated"] == 1
    assert _actors_listing(project["id"]) == {"silicon-saxony"}
    from ckan.lib.redis import connect_to_redis

    from ckanext.smartcityatlas.harvesters.job_reindex import job_key

    assert not list(connect_to_redis().scan_iter(match=job_key("*")))  # nothing left behind


def test_every_related_actor_lists_the_projects_of_a_job(setup, server):
    """Many projects naming the same actors (the radar's first run): after
    the job each actor's index document lists every one of them."""
    rows = [{**ROWS[0], "Radar-ID": f"P-{i}", "Titel": f"Vorhaben {i}",
             "Federführung": ("Silicon Saxony e. V." if i % 2 else "Fraunhofer-Institut für Verkehrs- und "
                              "Infrastruktursysteme IVI"), "Partner": "Silicon Saxony e. V."} for i in range(6)]
    server.add("/radar.csv", body=csv_bytes(rows), content_type="text/csv")
    assert run_job(setup["source"])["counts"]["created"] == 6
    found = projects()
    for radar_id, project in found.items():
        expected = {"silicon-saxony"} | ({"fraunhofer-ivi"} if int(radar_id[2:]) % 2 == 0 else set())
        assert _actors_listing(project["id"]) == expected, radar_id


def test_an_interrupted_job_reindexes_the_actors_of_what_it_saved(setup, server):
    """A job that stops half-way (aborted, or a consumer that died until
    harvest_jobs_run times it out): the actors of the projects it saved list
    them; nothing is left waiting for the next job."""
    from ckan.lib.redis import connect_to_redis
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    from ckanext.smartcityatlas.harvesters.job_reindex import job_key

    rows = [{**ROWS[0], "Radar-ID": f"P-{i}", "Titel": f"Vorhaben {i}", "Federführung": "Silicon Saxony e. V.",
             "Partner": ""} for i in range(3)]
    server.add("/radar.csv", body=csv_bytes(rows), content_type="text/csv")
    job = HarvestJob(source=HarvestSource.get(setup["source"]["id"]))
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester("sca_radar")
    ids = queue.gather_stage(harvester, job)
    queue.fetch_and_import_stages(harvester, HarvestObject.get(ids[0]))  # the others never come
    saved = HarvestObject.get(ids[0]).package_id
    assert saved and _actors_listing(saved) == set()  # waiting for the end of the job
    helpers.call_action("harvest_job_abort", {"ignore_auth": True}, id=job.id)
    assert _actors_listing(saved) == {"silicon-saxony"}
    assert not list(connect_to_redis().scan_iter(match=job_key("*")))
