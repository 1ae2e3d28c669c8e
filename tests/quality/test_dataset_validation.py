# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every dataset save stores its DCAT-AP.de findings (sca_validation_show)."""
import pytest
import sqlalchemy as sa

from ckan import model
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import shacl
from ckanext.smartcityatlas.quality import conformance
from tests.helpers.datasets import create, full_dataset, minimal_dataset
from tests.helpers.entities import actor_data

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def show(**params):
    return helpers.call_action("sca_validation_show", **params)


def test_api_create_stores_what_the_published_rdf_gives(app, org):
    dataset = create(full_dataset(org, "v1"))
    found = show(id=dataset["name"])
    assert found["id"] == dataset["id"]
    assert found["profile"] == "v2.0-spec-konventionen"
    assert found["status"] == "conforms" and found["conforms"] is True
    assert found["violations"] == [] and found["warnings"] == []
    assert found["computed_at"]
    # the stored findings are those of the record as /dataset/<id>.ttl publishes it
    ttl = app.get(f"/dataset/{dataset['id']}.ttl", status=200).body
    assert shacl.validate(ttl, "v2.0-spec-konventionen").conforms


def test_update_recomputes_warnings_with_message_path_and_severity(org):
    sysadmin = factories.Sysadmin()["name"]
    dataset = create(full_dataset(org, "v2"))
    first = show(id=dataset["id"])
    helpers.call_action("package_patch", context={"user": sysadmin}, id=dataset["id"],
                        tags=[], theme=[], url="")
    found = show(id=dataset["id"])
    assert found["status"] == "warnings" and found["computed_at"] > first["computed_at"]
    paths = {w["path"] for w in found["warnings"]}
    assert {"dcat:keyword", "dcat:theme", "dcat:landingPage"} <= paths
    warning = next(w for w in found["warnings"] if w["path"] == "dcat:theme")
    assert warning["severity"] == "Warning"
    assert "Kategorien" in warning["message"]
    assert warning["focus"].endswith(f"/dataset/{dataset['id']}")


def test_violations_of_a_harvested_dict_are_found_and_stored(org):
    # the forms and the API refuse most broken values; harvested dicts
    # are validated before they are saved (strict sources reject them)
    dataset = create(minimal_dataset(org, "v3"))
    broken = dict(helpers.call_action("package_show", id=dataset["id"]), notes="", license_id="")
    findings = conformance.validate_dataset_dict(broken)
    assert findings.status == "violations" and not findings.conforms
    assert any(v["path"] == "dct:description" for v in findings.violations)
    conformance.store(dataset["id"], findings)
    model.Session.commit()
    found = show(id=dataset["id"])
    assert found["status"] == "violations" and found["conforms"] is False
    assert found["violations"] == findings.violations


def test_get_works_and_private_findings_follow_package_show(app, org):
    member = factories.User()
    helpers.call_action("organization_member_create", id=org["id"], username=member["name"], role="member")
    private = create(minimal_dataset(org, "v4", private=True))
    url = "/api/3/action/sca_validation_show"
    app.get(url, query_string={"id": private["id"]}, status=403)
    body = app.get(url, query_string={"id": private["id"]},
                   headers={"Authorization": factories.APIToken(user=member["name"])["token"]},
                   status=200).json
    assert body["result"]["id"] == private["id"]
    app.get(url, query_string={"id": "does-not-exist"}, status=404)


def test_actors_are_not_validated_as_datasets(org):
    actor = create(actor_data("v5", org))
    assert show(id=actor["id"])["status"] == "not_applicable"


def _rows(package_id):
    return model.Session.execute(
        sa.text("select count(*) from sca_validation where package_id = :id"), {"id": package_id}).scalar()


def test_purge_removes_findings_and_refresh_recomputes(cli, org):
    from ckan.cli.cli import ckan

    dataset = create(minimal_dataset(org, "v6"))
    model.Session.execute(sa.text("delete from sca_validation"))
    model.Session.commit()
    assert show(id=dataset["id"])["status"] == "not_validated"
    result = cli.invoke(ckan, ["sca", "validation-refresh"])
    assert result.exit_code == 0, result.output
    assert "1 warnings" in result.output or "1 conforms" in result.output
    assert show(id=dataset["id"])["status"] in ("warnings", "conforms")
    helpers.call_action("dataset_purge", context={"user": factories.Sysadmin()["name"]}, id=dataset["id"])
    assert _rows(dataset["id"]) == 0


@pytest.mark.ckan_config("ckanext.smartcityatlas.validation.on_save", "false")
def test_switched_off_nothing_is_stored(org):
    dataset = create(minimal_dataset(org, "v7"))
    assert show(id=dataset["id"])["status"] == "not_validated"


def test_a_record_that_cannot_be_validated_is_saved_with_an_error_finding(org, monkeypatch):
    def broken(_pkg):
        raise ValueError("serialiser exploded")

    monkeypatch.setattr(conformance, "_graph", broken)
    dataset = create(minimal_dataset(org, "v8"))
    found = show(id=dataset["id"])
    assert found["status"] == "error" and not found["conforms"]
    assert "serialiser exploded" in found["violations"][0]["message"]


def test_precomputed_findings_are_stored_without_validating_twice(org, monkeypatch):
    data = minimal_dataset(org, "v9", id="6f1c6a52-1f0e-4c55-9a43-0d5b3f6c9b01")
    findings = conformance.validate_dataset_dict(dict(data, resources=[]))
    calls = []
    monkeypatch.setattr(conformance, "validate_dataset_dict", lambda d: calls.append(d))
    helpers.call_action("package_create", context={"user": factories.Sysadmin()["name"],
                                                   "sca_validation": findings}, **data)
    assert calls == []
    assert show(id=data["id"])["computed_at"] == findings.computed_at.isoformat()
