# SPDX-License-Identifier: AGPL-3.0-or-later
"""The floor everything stands on: plugin, real Solr, real Redis jobs."""
import pytest

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.lib.search.common import make_connection
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.platform import jobs as sca_jobs
from ckanext.smartcityatlas.platform import heartbeats, scheduler

from tests.helpers.plugins import ALL_PLUGINS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", ALL_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]

# the DCAT-AP.de dataset schema requires a description and a licence
DCAT_REQUIRED = {"notes": "Testdaten.", "license_id": "dl-by-de/2.0"}


def test_plugin_and_dependencies_load():
    for name in ALL_PLUGINS.split():
        assert plugins.plugin_loaded(name), name


def test_plugin_registers_its_cli_group(cli):
    from ckan.cli.cli import ckan as ckan_cli

    result = cli.invoke(ckan_cli, ["sca", "--help"])
    assert result.exit_code == 0, result.output
    assert "ensure-sysadmin" in result.output
    assert "scheduler" in result.output


def test_package_create_is_indexed_in_real_solr_and_found(unique, sysadmin_context):
    org = factories.Organization()
    title = f"Luftqualitaet Messnetz {unique}"
    dataset = helpers.call_action(
        "package_create",
        context=dict(sysadmin_context),
        name=f"luft-{unique}",
        title=title,
        notes="Stündliche Mittelwerte",
        license_id="dl-by-de/2.0",
        owner_org=org["id"],
    )

    found = helpers.call_action("package_search", q=f"title:{unique}")
    assert [d["id"] for d in found["results"]] == [dataset["id"]]

    # The document is really in the Solr core of the test configuration.
    solr = make_connection()
    docs = solr.search(q=f'id:"{dataset["id"]}"', fl="id,title,site_id")
    assert docs.hits == 1
    assert list(docs)[0]["title"] == title
    assert list(docs)[0]["site_id"] == tk.config["ckan.site_id"]


def test_private_dataset_is_not_found_anonymously(unique, sysadmin_context):
    org = factories.Organization()
    helpers.call_action(
        "package_create", context=dict(sysadmin_context),
        name=f"privat-{unique}", private=True, owner_org=org["id"], **DCAT_REQUIRED,
    )
    # Visible to the sysadmin, so the anonymous miss below means something.
    assert helpers.call_action(
        "package_search", context=dict(sysadmin_context),
        q=f"name:privat-{unique}", include_private=True,
    )["count"] == 1
    anonymous = helpers.call_action(
        "package_search", context={"user": "", "ignore_auth": False},
        q=f"name:privat-{unique}",
    )
    assert anonymous["count"] == 0


def test_deleted_dataset_leaves_the_index(unique, sysadmin_context):
    org = factories.Organization()
    dataset = helpers.call_action(
        "package_create", context=dict(sysadmin_context),
        name=f"weg-{unique}", owner_org=org["id"], **DCAT_REQUIRED,
    )
    assert helpers.call_action("package_search", q=f"name:weg-{unique}")["count"] == 1
    helpers.call_action("package_delete", context=dict(sysadmin_context), id=dataset["id"])
    found = helpers.call_action("package_search", q=f"name:weg-{unique}")
    assert found["count"] == 0


def test_redis_backed_job_runs_in_a_worker(unique):
    job = jobs.enqueue(sca_jobs.ping, [unique], queue=f"smoke-{unique}")
    assert sca_jobs.ping_seen(unique) is None  # queued, not yet run
    jobs.Worker([f"smoke-{unique}"]).work(burst=True)
    assert sca_jobs.ping_seen(unique) is not None
    assert job.get_status(refresh=True) == "finished"


def test_scheduler_tick_runs_harvest_job_control_and_beats():
    outcome = scheduler.tick()
    assert {"harvest_jobs_run", "purge_submission_contacts", "quality_staleness", "link_check", "digests",
            "purge_datarequest_contacts"} <= set(outcome)
    assert all(value == "ok" for value in outcome.values()), outcome
    assert heartbeats.age("scheduler") < 5


@pytest.mark.usefixtures("clean_db")
def test_ensure_sysadmin_creates_once_and_keeps_the_password(cli):
    from ckan import model
    from ckan.cli.cli import ckan as ckan_cli

    first = cli.invoke(ckan_cli, ["sca", "ensure-sysadmin", "atlasadmin", "--email", "opendata@example.org"])
    assert first.exit_code == 0, first.output
    assert "password:" in first.output
    user = model.User.by_name("atlasadmin")
    assert user.sysadmin
    hashed = user.password

    second = cli.invoke(ckan_cli, ["sca", "ensure-sysadmin", "atlasadmin", "--email", "opendata@example.org"])
    assert second.exit_code == 0, second.output
    assert "password:" not in second.output
    model.Session.expire_all()
    assert model.User.by_name("atlasadmin").password == hashed


@pytest.mark.usefixtures("clean_db")
def test_steps_run_in_one_process_in_order_and_stop_at_the_first_failure(cli):
    """`deploy/sca up` runs its idempotent steps through `ckan sca steps`:
    each step's own output, the failing step named, an optional one skipped."""
    from ckan import model
    from ckan.cli.cli import ckan as ckan_cli

    def admin(n):
        return f"ensure-sysadmin 'atlasadmin{n}' --email 'opendata{n}@example.org'"  # quoted as deploy/sca quotes

    both = cli.invoke(ckan_cli, ["sca", "steps", admin(2), admin(2)])
    assert both.exit_code == 0, both.output
    assert both.output.count("password:") == 1 and "Sysadmin 'atlasadmin2' exists" in both.output
    assert "step ensure-sysadmin:" in both.output  # the timing of each step
    assert model.User.by_name("atlasadmin2").sysadmin

    stopped = cli.invoke(ckan_cli, ["sca", "steps", "ensure-sysadmin atlasadmin3", admin(4)])
    assert stopped.exit_code == 1
    assert "Missing option '--email'" in stopped.output and "step ensure-sysadmin failed" in stopped.output
    assert model.User.by_name("atlasadmin4") is None  # nothing after the failed step

    skipped = cli.invoke(ckan_cli, ["sca", "steps", "--optional", "ensure-sysadmin", "ensure-sysadmin atlasadmin5",
                                    admin(6)])
    assert skipped.exit_code == 0, skipped.output
    assert "(optional: skipped)" in skipped.output and model.User.by_name("atlasadmin6") is not None

    for step in ("no-such-step", "steps demo-load", ""):
        unknown = cli.invoke(ckan_cli, ["sca", "steps", step])
        assert unknown.exit_code == 2 and "unknown step" in unknown.output, (step, unknown.output)
