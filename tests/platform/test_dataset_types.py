# SPDX-License-Identifier: AGPL-3.0-or-later
"""A dataset type no plugin registered is refused: it broke the dataset
search and the organisation pages for everyone (500) and skipped review
before publishing."""
import pytest

from ckan.logic import NotAuthorized, ValidationError
from ckan.tests import factories, helpers

from tests.helpers.datasets import minimal_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

UNKNOWN_TYPES = ("Dataset", "DATASET", "dataset ", "foo", ["dataset"], {"a": 1})


@pytest.fixture
def office():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    return {"org": org, "editor": editor}


@pytest.mark.parametrize("kind", UNKNOWN_TYPES, ids=repr)
def test_an_editor_cannot_publish_under_an_unknown_type(app, office, kind):
    context = {"user": office["editor"]["name"], "ignore_auth": False}
    with pytest.raises((ValidationError, NotAuthorized)) as refused:
        helpers.call_action("package_create", context=context,
                            **minimal_dataset(office["org"], "t1", type=kind, private=False))
    if isinstance(refused.value, ValidationError):
        assert "type" in refused.value.error_dict
    assert not helpers.call_action("package_search", q="name:min-t1", include_private=True)["count"]
    app.get("/dataset", status=200)
    app.get(f"/organization/{office['org']['name']}", status=200)


@pytest.mark.parametrize("kind", UNKNOWN_TYPES, ids=repr)
def test_nobody_saves_an_unknown_type(app, office, kind):
    sysadmin = {"user": factories.Sysadmin()["name"], "ignore_auth": False}
    with pytest.raises(ValidationError) as refused:
        helpers.call_action("package_create", context=dict(sysadmin),
                            **minimal_dataset(office["org"], "t2", type=kind))
    assert "type" in refused.value.error_dict
    saved = helpers.call_action("package_create", context=dict(sysadmin), **minimal_dataset(office["org"], "t3"))
    with pytest.raises(ValidationError) as refused:
        helpers.call_action("package_update", context=dict(sysadmin),
                            **minimal_dataset(office["org"], "t3", id=saved["id"], type=kind))
    assert "type" in refused.value.error_dict
    assert helpers.call_action("package_show", id=saved["id"])["type"] == "dataset"
    app.get("/dataset", status=200)


def test_the_registered_types_are_saved(office):
    from ckanext.smartcityatlas.platform import dataset_types

    assert {"dataset", "actor", "project", "harvest"} <= dataset_types.registered()
    sysadmin = {"user": factories.Sysadmin()["name"], "ignore_auth": False}
    saved = helpers.call_action("package_create", context=sysadmin, **minimal_dataset(office["org"], "t4"))
    assert saved["type"] == "dataset"
