# SPDX-License-Identifier: AGPL-3.0-or-later
"""Private projects and measures never leak through the status history, the
monitoring or the radar report; the history records changes only."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.radar import create_source, csv_bytes, run_job

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _project(org, user, **extra):
    return helpers.call_action("package_create", {"user": user["name"]}, type="project", owner_org=org["id"],
                               title="Quartiersenergie", project_kind="measure", status="planned", **extra)


def test_history_records_changes_only_and_respects_privacy():
    member = factories.User()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
    private = _project(org, member, name="geheim", private=True, status_updated="2024-01-10")
    helpers.call_action("package_patch", {"user": member["name"]}, id=private["id"], title="Neuer Titel")
    helpers.call_action("package_patch", {"user": member["name"]}, id=private["id"], status="running",
                        status_updated="2024-06-01")
    history = helpers.call_action("sca_status_history", {"user": member["name"]}, id=private["id"])
    assert [(h["status"], h["effective_date"]) for h in history] == [("planned", "2024-01-10"),
                                                                    ("running", "2024-06-01")]
    for user in ("", factories.User()["name"]):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("sca_status_history", {"user": user, "ignore_auth": False}, id=private["id"])
        seen = helpers.call_action("sca_monitoring", {"user": user, "ignore_auth": False})
        assert seen["measures"] == []
    mine = helpers.call_action("sca_monitoring", {"user": member["name"], "ignore_auth": False}, quarters=2)
    assert [m["name"] for m in mine["measures"]] == ["geheim"]
    for bad in ({"quarters": 0}, {"quarters": "viele"}, {"today": "morgen"}):
        with pytest.raises(tk.ValidationError):
            helpers.call_action("sca_monitoring", {"user": member["name"]}, **bad)


@ALLOW_LOCAL
def test_the_radar_report_is_for_who_may_see_the_job(server):
    org = factories.Organization()
    rows = [{"Radar-ID": "A-1", "Titel": "Eins", "Typ": "Projekt", "Status": "Idee"}]
    server.add("/radar.csv", body=csv_bytes(rows), content_type="text/csv")
    report = run_job(create_source(server.url("/radar.csv"), org))
    assert report["counts"]["created"] == 1
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("sca_radar_report", {"user": factories.User()["name"], "ignore_auth": False},
                            id=report["job_id"])
