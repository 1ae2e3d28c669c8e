# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who sees quality scores, and review before publishing: an editor of
office A sees nothing of office B and cannot publish through the API."""
import pytest

from ckan.tests import factories, helpers
from ckan.logic import NotAuthorized

from tests.helpers.datasets import create, minimal_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def call(action, user, **data):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


@pytest.fixture
def offices():
    users = {role: factories.User() for role in ("member_a", "editor_a", "admin_a", "editor_b")}
    org_a = factories.Organization(title="Umweltamt", users=[
        {"name": users["member_a"]["name"], "capacity": "member"},
        {"name": users["editor_a"]["name"], "capacity": "editor"},
        {"name": users["admin_a"]["name"], "capacity": "admin"}])
    org_b = factories.Organization(title="Stadtplanungsamt", users=[
        {"name": users["editor_b"]["name"], "capacity": "editor"}])
    return {"a": org_a, "b": org_b, **users}


def test_quality_list_members_only_and_drafts_of_other_offices_invisible(offices):
    draft_a = create(minimal_dataset(offices["a"], "wa1", private=True))
    public_b = create(minimal_dataset(offices["b"], "wb1"))
    draft_b = create(minimal_dataset(offices["b"], "wb2", private=True))
    with pytest.raises(NotAuthorized):
        call("sca_quality_list", None)
    with pytest.raises(NotAuthorized):
        call("sca_quality_list", offices["editor_a"], organization=offices["b"]["name"])
    mine = call("sca_quality_list", offices["editor_a"])
    assert [r["id"] for r in mine["results"]] == [draft_a["id"]] and mine["count"] == 1
    assert call("sca_quality_list", offices["member_a"], organization=offices["a"]["id"])["count"] == 1
    row = mine["results"][0]
    assert row["private"] is True and row["organization"] == offices["a"]["name"]
    assert {"score", "rating", "violations", "warnings", "stale", "failed", "validation_status"} <= set(row)
    theirs = {r["id"] for r in call("sca_quality_list", offices["editor_b"])["results"]}
    assert theirs == {public_b["id"], draft_b["id"]}
    every = call("sca_quality_list", factories.Sysadmin(), sort="-score")
    assert every["count"] == 3
    # validation findings of office B's draft stay hidden from office A too
    with pytest.raises(NotAuthorized):
        call("sca_validation_show", offices["editor_a"], id=draft_b["id"])
    with pytest.raises(NotAuthorized):
        call("sca_quality_show", offices["editor_a"], id=draft_b["id"])


def test_quality_list_over_get_refuses_anonymous_with_ckans_error(app, offices):
    response = app.get("/api/3/action/sca_quality_list", status=403)
    assert response.json["error"]["__type"] == "Authorization Error"


def test_quality_list_filters_and_bad_parameters(offices):
    create(minimal_dataset(offices["a"], "wa2", theme=["ENVI"], tag_string="Luft"))
    create(minimal_dataset(offices["a"], "wa3"))
    admin = offices["admin_a"]
    by_score = call("sca_quality_list", admin, sort="-score")["results"]
    assert [r["name"] for r in by_score] == ["min-wa2", "min-wa3"]
    assert call("sca_quality_list", admin, q="wa3")["count"] == 1
    assert call("sca_quality_list", admin, stale="true")["count"] == 0
    for bad in ({"sort": "evil"}, {"status": "nope"}, {"limit": 0}, {"stale": "vielleicht"}):
        with pytest.raises(helpers.logic.ValidationError):
            call("sca_quality_list", admin, **bad)


def test_weekly_history_of_an_office(offices):
    create(minimal_dataset(offices["a"], "wa4"))
    weeks = call("sca_quality_history", offices["member_a"], organization=offices["a"]["id"], weeks=4)
    assert len(weeks) == 4 and weeks[-1]["datasets"] == 1 and weeks[-1]["average_score"] == 55
    assert weeks[0]["datasets"] == 0 and weeks[0]["average_score"] is None
    with pytest.raises(NotAuthorized):
        call("sca_quality_history", offices["editor_b"], organization=offices["a"]["id"])


def test_an_editor_cannot_publish_by_create_or_update(offices):
    editor = offices["editor_a"]
    with pytest.raises(NotAuthorized):
        call("package_create", editor, **minimal_dataset(offices["a"], "wa5", private=False))
    with pytest.raises(NotAuthorized):  # CKAN creates public records by default
        data = minimal_dataset(offices["a"], "wa6")
        data.pop("private", None)
        call("package_create", editor, **data)
    draft = call("package_create", editor, **minimal_dataset(offices["a"], "wa7", private=True))
    for action, extra in (("package_patch", {}), ("package_update", minimal_dataset(offices["a"], "wa7"))):
        with pytest.raises(NotAuthorized):
            call(action, editor, **dict(extra, id=draft["id"], private=False))
    with pytest.raises(NotAuthorized):
        call("bulk_update_public", editor, datasets=[draft["id"]], org_id=offices["a"]["id"])
    # drafts stay editable by the editor
    call("package_patch", editor, id=draft["id"], title="Entwurf, überarbeitet")
    assert helpers.call_action("package_show", id=draft["id"])["private"] is True
    # the office's admin publishes; the activity stream records who did
    call("package_patch", offices["admin_a"], id=draft["id"], private=False)
    assert helpers.call_action("package_show", id=draft["id"])["private"] is False
    activity = helpers.call_action("package_activity_list", id=draft["id"])[0]
    assert activity["user_id"] == offices["admin_a"]["id"]
    # a published record stays editable by its editors
    call("package_patch", editor, id=draft["id"], title="Veröffentlicht, korrigiert")


@pytest.mark.ckan_config("ckanext.smartcityatlas.review.reviewers", "zentrales-team")
def test_a_configured_reviewer_publishes_in_every_office(offices):
    reviewer = factories.User(name="zentrales-team")
    helpers.call_action("organization_member_create", id=offices["b"]["id"], username=reviewer["name"],
                        role="editor")
    draft = call("package_create", offices["editor_b"], **minimal_dataset(offices["b"], "wb3", private=True))
    call("package_patch", reviewer, id=draft["id"], private=False)
    assert helpers.call_action("package_show", id=draft["id"])["private"] is False


@pytest.mark.ckan_config("ckanext.smartcityatlas.review.enabled", "false")
def test_review_can_be_switched_off(offices):
    call("package_create", offices["editor_a"], **minimal_dataset(offices["a"], "wa8", private=False))


HOSTILE_PRIVATE = ("on", " true", "TRUE ", "yes ", "maybe", {"a": 1}, [1], 2)


@pytest.mark.parametrize("value", HOSTILE_PRIVATE, ids=repr)
def test_an_editor_cannot_publish_with_a_private_value_ckan_reads_as_public(offices, value):
    """Values CKAN's boolean_validator stores as False (public), or that are
    no boolean at all, are refused on every path that can set ``private``."""
    editor = offices["editor_a"]
    with pytest.raises((NotAuthorized, helpers.logic.ValidationError)):
        call("package_create", editor, **minimal_dataset(offices["a"], "wa9", private=value))
    assert not helpers.call_action("package_search", q="name:min-wa9", include_private=True)["count"]
    draft = call("package_create", editor, **minimal_dataset(offices["a"], "wa10", private=True))
    for action, data in (("package_patch", {"id": draft["id"], "private": value}),
                         ("package_update", dict(minimal_dataset(offices["a"], "wa10"), id=draft["id"],
                                                 private=value)),
                         ("package_revise", {"match": {"id": draft["id"]}, "update": {"private": value}})):
        with pytest.raises((NotAuthorized, helpers.logic.ValidationError)):
            call(action, editor, **data)
        assert helpers.call_action("package_show", id=draft["id"])["private"] is True, action


@pytest.mark.parametrize("value", ("true", "True", "TRUE", "yes", "t", "Y", "1", 1, True), ids=repr)
def test_every_spelling_ckan_reads_as_private_makes_a_draft(offices, value):
    draft = call("package_create", offices["editor_a"], **minimal_dataset(offices["a"], "wa11", private=value))
    assert helpers.call_action("package_show", id=draft["id"])["private"] is True
    # and patching with the same spelling keeps it a draft
    call("package_patch", offices["editor_a"], id=draft["id"], private=value, title="Entwurf")
    assert helpers.call_action("package_show", id=draft["id"])["private"] is True


def test_an_admin_publishes_with_any_spelling_of_false(offices):
    for i, value in enumerate(("false", "False", "no", "0", 0, False)):
        draft = call("package_create", offices["editor_a"],
                     **minimal_dataset(offices["a"], f"wa12{i}", private=True))
        with pytest.raises(NotAuthorized):
            call("package_patch", offices["editor_a"], id=draft["id"], private=value)
        call("package_patch", offices["admin_a"], id=draft["id"], private=value)
        assert helpers.call_action("package_show", id=draft["id"])["private"] is False
