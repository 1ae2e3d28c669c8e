# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo loader: creates, leaves unchanged entries alone, updates changed ones."""
import shutil
from pathlib import Path

import pytest
import yaml

from ckan.tests import helpers

from ckanext.smartcityatlas.demo import loader

pytestmark = [pytest.mark.usefixtures("with_plugins")]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "demo_small"


def _activities(name):
    """All activities of a record (the site user's are hidden from the API lists)."""
    from ckan import model
    from ckanext.activity.model import Activity

    pkg_id = helpers.call_action("package_show", id=name)["id"]
    return model.Session.query(Activity).filter(Activity.object_id == pkg_id).all()


def test_load_twice_changes_nothing_then_an_edit_updates_one(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(FIXTURE, folder)
    first = loader.load(folder)
    assert not first.failed
    assert set(first.created) >= {"demo-test-institut", "demo-test-massnahme", "demo-test-projekt"}

    project = helpers.call_action("package_show", id="demo-test-projekt")
    assert project["location_source"] == "district_centroid"
    assert [d["name"] for d in project["sca_districts"]] == ["Johannstadt-Nord"]
    measure = helpers.call_action("package_show", id="demo-test-massnahme")
    assert measure["location_source"] == "city_boundary" and len(measure["sca_districts"]) > 50
    assert project["part_of"] == measure["id"]
    before = {n: (helpers.call_action("package_show", id=n)["metadata_modified"], len(_activities(n)))
              for n in ("demo-test-institut", "demo-test-massnahme", "demo-test-projekt")}

    second = loader.load(folder)
    assert second.created == [] and second.updated == [] and not second.failed
    after = {n: (helpers.call_action("package_show", id=n)["metadata_modified"], len(_activities(n)))
             for n in before}
    assert after == before  # no update, no new activity

    data = yaml.safe_load((folder / "projects.yaml").read_text(encoding="utf-8"))
    data["projects"][1]["status"] = "running"
    (folder / "projects.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    third = loader.load(folder)
    assert third.updated == ["demo-test-projekt"]
    assert helpers.call_action("package_show", id="demo-test-projekt")["status"] == "running"
    assert len(_activities("demo-test-projekt")) == before["demo-test-projekt"][1] + 1


def test_a_bad_entry_is_reported_and_the_rest_loads(tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(FIXTURE, folder)
    data = yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))
    data["actors"].append({**data["actors"][0], "name": "demo-test-kaputt", "actor_kind": "raumschiff"})
    (folder / "actors.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = loader.load(folder)
    assert list(report.failed) == ["demo-test-kaputt"]
    assert "actor_kind" in report.failed["demo-test-kaputt"]


def test_each_partner_actor_is_reindexed_once_per_load(tmp_path, monkeypatch):
    """Projects naming the same actor: the actor's index document is written
    once at the end of the load (not after every project) and lists them all."""
    from ckan import logic

    folder = tmp_path / "demo"
    shutil.copytree(FIXTURE, folder)
    data = yaml.safe_load((folder / "projects.yaml").read_text(encoding="utf-8"))
    for i in range(3):
        data["projects"].append({**data["projects"][1], "name": f"demo-test-projekt-{i}", "radar_id": f"DD-T1{i}",
                                 "title": f"Demo-Testprojekt {i}"})
    (folder / "projects.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    reindexed = []
    index_update_package = logic.index_update_package

    def counting(context, package_id, *args, **kwargs):
        reindexed.append(package_id)
        return index_update_package(context, package_id, *args, **kwargs)

    monkeypatch.setattr(logic, "index_update_package", counting)
    assert not loader.load(folder).failed
    actor = helpers.call_action("package_show", id="demo-test-institut")
    assert reindexed.count(actor["id"]) == 1
    listed = helpers.call_action("package_search", fq=f'+dataset_type:project +sca_partner_ids:"{actor["id"]}"',
                                 rows=10)["results"]
    found = helpers.call_action("package_search", fq=f'+dataset_type:actor +name:demo-test-institut',
                                fl="id,sca_project_ids")["results"]
    assert len(listed) == 4 and sorted(found[0]["sca_project_ids"]) == sorted(p["id"] for p in listed)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_demo_load_creates_the_data_contact_once_as_editor_of_the_datasets_office(cli):
    """A demo visitor can log in as a Fachamt's data contact (a functional
    account, no person); its password is printed once, never again."""
    from ckan.cli.cli import ckan as ckan_cli

    from ckanext.smartcityatlas.demo import accounts

    first = cli.invoke(ckan_cli, ["sca", "demo-load"])
    assert first.exit_code == 0, first.output
    assert f"Created the demo data contact '{accounts.NAME}'" in first.output
    office = loader.read_datasets(loader.demo_folder())[0]["owner_org"]
    members = helpers.call_action("member_list", id=office, object_type="user")
    user = helpers.call_action("user_show", id=accounts.NAME)
    assert (user["id"], "user", "Editor") in [tuple(m) for m in members]
    assert not user["sysadmin"]
    again = cli.invoke(ckan_cli, ["sca", "demo-load"])
    assert again.exit_code == 0 and "password unchanged" in again.output and "with password" not in again.output
