# SPDX-License-Identifier: AGPL-3.0-or-later
"""Opt-in plugins: a city enables only what it needs (plugin.py, README).
Two reduced portals work on their own, show nothing of what is off, and a
plugin without what it needs stops the start-up naming it."""
import pytest

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas import plugin
from ckanext.smartcityatlas.platform import scheduler
from tests.helpers.datasets import create, minimal_dataset
from tests.helpers.entities import actor_data, call

DCAT_AND_HARVEST = ("scheming_datasets scheming_organizations dcat harvest "
                    "sca_platform sca_dcat sca_harvest sca_dcat_rdf sca_ckan sca_csw")
ATLAS_WITHOUT_SENSORS = ("activity scheming_datasets scheming_organizations spatial_metadata spatial_query "
                         "sca_platform sca_entities sca_matching sca_atlas")


def _missing(action: str) -> bool:
    try:
        tk.get_action(action)
    except KeyError:
        return True
    return False


@pytest.mark.ckan_config("ckan.plugins", DCAT_AND_HARVEST)
@pytest.mark.ckan_config("scheming.dataset_schemas", "ckanext.smartcityatlas.schemas:dataset.yaml")
@pytest.mark.usefixtures("with_plugins")
def test_dcat_profiles_and_harvesters_only(app, org):
    dataset = create(minimal_dataset(org, f"nur-dcat-{factories.fake.unique.pyint()}"))
    assert helpers.call_action("package_show", id=dataset["id"])["license_id"] == "dl-zero-de/2.0"
    # the DCAT-AP.de catalog with the record, the harvest job report, the source guard
    assert f"/dataset/{dataset['id']}" in app.get("/catalog.ttl", status=200).body
    assert not _missing("sca_harvest_job_report")
    with pytest.raises(tk.ValidationError, match="control character"):
        helpers.call_action("harvest_source_create", context={"user": factories.Sysadmin()["name"]},
                            name="lokal", title="Lokal", url="\x01file:///etc/passwd", source_type="sca_dcat_rdf",
                            owner_org=org["id"], frequency="MANUAL")
    # nothing of what is off: no atlas, entities, data requests, quality
    for action in ("sca_search", "sca_actor_projects", "sca_datarequest_list", "sca_quality_show", "sca_sensor_layer"):
        assert _missing(action), action
    app.get("/atlas", status=404)
    page = app.get(f"/dataset/{dataset['name']}", status=200).body
    assert "/datenwuensche" not in page and "link-status" not in page.lower().replace("_", "-")
    assert "Impressum" in page or "Legal notice" in page  # the platform's legal pages stay
    # one ``ckan sca`` group with the commands of the plugins loaded, and their periodic tasks
    commands = set(p.get_plugin("sca_platform").get_commands()[0].commands)
    assert {"ensure-sysadmin", "scheduler", "opendata-regenerate", "harvest-report"} <= commands
    assert not {"demo-load", "digest-send"} & commands
    assert [name for name, _task in scheduler.periodic_tasks()] == ["harvest_jobs_run", "dcat_record_cache", "opendata_catch_up"]


@pytest.mark.ckan_config("ckan.plugins", ATLAS_WITHOUT_SENSORS)
@pytest.mark.usefixtures("with_plugins")
def test_atlas_without_sensors(app, org):
    sysadmin = factories.Sysadmin()
    unique = factories.fake.unique.pyint()
    actor = call("package_create", sysadmin, **actor_data(f"ohne-sensoren-{unique}", org))
    found = helpers.call_action("sca_search", q=f"ohne-sensoren-{unique}")
    assert [r["id"] for r in found["results"]] == [actor["id"]]
    assert helpers.call_action("sca_match", actor_id=actor["id"]) is not None
    page = app.get("/atlas", status=200).body
    assert actor["title"] in page
    assert "data-sca-sensor-panel" not in page and "/atlas/sensoren" not in page
    assert "&#34;sensors&#34;" not in page and "&quot;sensors&quot;" not in page  # no sensor layer settings
    app.get(f"/actor/{actor['name']}", status=200)
    for action in ("sca_sensor_layer", "sca_sensor_geojson", "sca_quality_show", "dcat_catalog_show"):
        assert _missing(action), action
    # the atlas warms its map data, the monitor snapshots; no sensor, DCAT or harvest task
    assert [name for name, _task in scheduler.periodic_tasks()] == ["purge_submission_contacts", "warm_map_cache",
                                                                    "monitor_snapshot"]
    # the smart-city monitor without the capabilities it reads from: their indicators are left out
    monitor = {i["id"] for i in helpers.call_action("sca_monitor_show")["indicators"]}
    assert "open_datasets" in monitor and not {"sensor_coverage", "dataset_quality", "datarequests_answered"} & monitor
    assert "Smart-City-Monitor" in app.get("/atlas/monitor", status=200).body


def test_a_plugin_without_what_it_needs_stops_the_start_up_naming_it():
    # the test portal runs ``smartcityatlas``: none of the sca_* plugins is loaded
    with pytest.raises(RuntimeError, match="'sca_atlas' needs the plugin\\(s\\) sca_entities, sca_matching"):
        plugin.AtlasPlugin().update_config({})


def test_the_opt_in_plugins_together_bring_every_capability_once():
    classes = (plugin.PlatformPlugin, plugin.EntitiesPlugin, plugin.MatchingPlugin, plugin.AtlasPlugin,
               plugin.DcatPlugin, plugin.HarvestPlugin, plugin.QualityPlugin, plugin.SensorsPlugin,
               plugin.DatarequestsPlugin, plugin.DemoPlugin)
    names = [cap.name for cls in classes for cap in cls.capabilities]
    assert sorted(names) == sorted(cap.name for cap in plugin.CAPABILITIES)
