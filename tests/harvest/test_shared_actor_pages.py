# SPDX-License-Identifier: AGPL-3.0-or-later
"""A curator's split and merge of shared actors on the actor page (issue 30,
item 3; harvesters/views.py, templates/smartcityatlas/shared_actor_*.html):
buttons only for those the actions allow, CSRF-protected forms, 403 for
anyone else even posting directly, a refusal as a message with its reason,
the result on the pages, and re-harvests keeping the curator's decision."""
import re

import pytest
from ckan import model
from ckan.tests import factories

from tests.helpers.atlas_exchange import FEED, atlas_source, copies_by_iri, exchange_item, harvest_atlas, serve_page
from tests.helpers.datasets import create
from tests.helpers.entities import actor_data, call
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]

FORMS = "/atlas/shared-actor/"


def _feed(server, branch_description="Beschreibung."):
    """Musterstadt's atlas: the institute under Dresden's website (matched), the
    public utility's branch under a website of its own (missed), a project with both."""
    server.routes.clear()
    items = [exchange_item(server, 1, title="Fraunhofer IVI, Außenstelle Musterstadt",
                           homepage="https://www.ivi.fraunhofer.example/aussenstelle"),
             exchange_item(server, 2, title="Stadtwerke, Niederlassung Musterstadt",
                           homepage="https://niederlassung.example", description=branch_description),
             exchange_item(server, 3, kind="Project", partners=[
                 {"actor": server.url("/actor/id-001"), "role": "lead"},
                 {"actor": server.url("/actor/id-002"), "role": "partner"}])]
    serve_page(server, FEED, {"totalItems": len(items), "items": items})


@pytest.fixture
def shared(server):
    dresden = factories.Organization(title="Amt für Wirtschaftsförderung")
    institute = create(actor_data("ivi", dresden, title="Fraunhofer IVI", url="https://www.ivi.fraunhofer.example"))
    utility = create(actor_data("stadtwerke", dresden, title="Stadtwerke Dresden", url="https://stadtwerke.example"))
    office = factories.Organization(title="Harvesting-Amt")
    curator = factories.User()
    other_editor = factories.User()
    call("organization_member_create", factories.Sysadmin(), id=office["id"], username=curator["name"], role="editor")
    call("organization_member_create", factories.Sysadmin(), id=dresden["id"], username=other_editor["name"],
         role="editor")
    _feed(server)
    source = atlas_source(server, office)
    report = harvest_atlas(source)
    assert report["stats"].get("added") == 3, report["messages"]
    copies = copies_by_iri(source)
    copy, branch = copies[server.url("/actor/id-001")], copies[server.url("/actor/id-002")]
    assert copy["sca_same_as"] == institute["id"] and not branch.get("sca_same_as")
    return {"institute": institute, "utility": utility, "curator": curator, "other_editor": other_editor,
            "source": source, "copy": copy, "branch": branch}


def _as(app, user) -> None:
    app.set_session_user(user["id"] if user else None)


def _page(app, actor, lang="/en") -> str:
    return app.get(f"{lang}/actor/{actor['name']}", status=200).get_data(as_text=True)


def _post(app, path, page_html, **form):
    """A form post as the browser sends it, with the CSRF token of the page shown before
    (a form's field, or the page head's meta element: pages without our forms)."""
    token = re.search(r'name="_csrf_token" (?:value|content)="([^"]+)"', page_html).group(1)
    return app.post(path, data={"_csrf_token": token, **form})


def _reload(record) -> dict:
    return call("package_show", factories.Sysadmin(), id=record["id"])


def _copies_section(html) -> str:
    found = re.search(r'<section class="sca-entity-shared".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_buttons_are_shown_only_to_those_the_actions_allow(app, shared):
    institute, copy, branch = shared["institute"], shared["copy"], shared["branch"]
    for user in (None, _editor_of_another_office(), factories.User()):
        _as(app, user)
        for actor in (institute, branch):
            html = _page(app, actor)
            assert FORMS not in html, (user, actor["name"])
        assert "Also in other atlases" in _page(app, institute)  # the list itself is public
    # the office of the actor a copy is shown under may split it off, not merge the other office's entries
    _as(app, shared["other_editor"])
    assert f'action="/en{FORMS}{copy["id"]}/split"' in _page(app, institute)
    assert FORMS not in _page(app, branch)

    _as(app, shared["curator"])
    html = _page(app, institute)
    assert f'action="/en{FORMS}{copy["id"]}/split"' in html
    assert "Split off the entry from Musterstadt" in html and 'aria-describedby="sca-split-help-1"' in html
    html = _page(app, branch)
    assert f'action="/en{FORMS}{branch["id"]}/merge"' in html
    assert '<label for="sca-merge-target"' in html and 'aria-describedby="sca-merge-help"' in html
    select = re.search(r'<select id="sca-merge-target".*?</select>', html, re.S).group(0)
    options = dict(re.findall(r'<option value="([^"]*)">([^<]*)</option>', select))
    # what a merge accepts: public actors that are no copies, not from the same source, not itself
    assert options == {"": "Choose an actor", institute["id"]: "Fraunhofer IVI",
                       shared["utility"]["id"]: "Stadtwerke Dresden"}
    # a matched copy is merged already; a local actor is not harvested: no merge form there
    assert "sca-merge-target" not in _page(app, institute)
    assert "sca-merge-target" not in _page(app, copy)


def test_a_split_needs_the_csrf_token_then_the_copy_stands_alone(app, shared):
    institute, copy = shared["institute"], shared["copy"]
    _as(app, shared["curator"])
    html = _page(app, institute)
    refused = app.post(f"/en{FORMS}{copy['id']}/split", data={}, follow_redirects=False)
    assert refused.status_code == 400
    assert _reload(copy)["sca_same_as"] == institute["id"]

    done = _post(app, f"/en{FORMS}{copy['id']}/split", html)
    assert done.status_code == 200 and done.request.path == f"/en/actor/{institute['name']}"
    body = done.get_data(as_text=True)
    assert "is now an actor of its own" in body and "Fraunhofer IVI, Außenstelle Musterstadt" in body
    assert _copies_section(body) == ""  # the institute's list of other atlases is empty now
    alone = _reload(copy)
    assert alone["private"] is False and not alone["sca_same_as"]
    assert alone["sca_same_as_rule"] == "split by a curator" and alone["sca_same_as_by"] == shared["curator"]["id"]
    _as(app, None)
    standalone = _page(app, copy)  # public now, and no copy of anything
    assert "Fraunhofer IVI, Außenstelle Musterstadt" in standalone and _copies_section(standalone) == ""


def _editor_of_another_office():
    user, office = factories.User(), factories.Organization()
    call("organization_member_create", factories.Sysadmin(), id=office["id"], username=user["name"], role="editor")
    return user


def test_unauthorised_users_get_403_even_posting_directly(app, shared):
    copy, branch, utility = shared["copy"], shared["branch"], shared["utility"]
    for user in (None, _editor_of_another_office()):
        _as(app, user)
        token_page = _page(app, shared["institute"])
        split = _post(app, f"{FORMS}{copy['id']}/split", token_page)
        merge = _post(app, f"{FORMS}{branch['id']}/merge", token_page, same_as=utility["id"])
        assert (split.status_code, merge.status_code) == (403, 403), user
    _as(app, shared["other_editor"])  # the office of the actor the copy is shown under: no merging for the other
    merge = _post(app, f"{FORMS}{branch['id']}/merge", _page(app, shared["institute"]), same_as=utility["id"])
    assert merge.status_code == 403
    assert _reload(copy)["sca_same_as"] == shared["institute"]["id"]
    assert not _reload(branch).get("sca_same_as")


def test_a_merge_shows_the_copy_under_the_actor_and_a_re_harvest_keeps_it(app, server, shared):
    branch, utility = shared["branch"], shared["utility"]
    _as(app, shared["curator"])
    html = _page(app, branch)
    assert app.post(f"/en{FORMS}{branch['id']}/merge", data={"same_as": utility["id"]},
                    follow_redirects=False).status_code == 400  # no CSRF token
    done = _post(app, f"/en{FORMS}{branch['id']}/merge", html, same_as=utility["id"])
    assert done.status_code == 200 and done.request.path == f"/en/actor/{utility['name']}"
    body = done.get_data(as_text=True)
    assert "is now shown as the same actor as" in body
    listed = _copies_section(body).replace("&#39;", "'")
    assert "Smart City Atlas Musterstadt" in listed and "a curator's decision" in listed, listed
    assert f"{FORMS}{branch['id']}/split" in listed  # and the curator can split it again

    _feed(server, branch_description="Neu beschrieben.")  # changed at the source: written again
    report = harvest_atlas(shared["source"])
    again = _reload(branch)
    assert again["notes"] == "Neu beschrieben.", report["messages"]
    assert again["private"] is True and again["sca_same_as"] == utility["id"] and again["sca_same_as_rule"] == "curator"
    _as(app, None)
    assert "Smart City Atlas Musterstadt" in _copies_section(_page(app, utility))


@pytest.mark.parametrize("same_as,reason", [
    ("", "choose the actor this entry is the same as"),
    ("gibt-es-nicht", "There is no actor with this id or name."),
    pytest.param("x" * 500, "At most", id="too-long"),
    ("self", "An actor cannot be merged with itself."),
    ("private copy", "This actor is itself a copy of another actor"),
])
def test_a_refused_merge_comes_back_with_the_reason(app, shared, same_as, reason):
    branch = shared["branch"]
    same_as = {"self": branch["id"], "private copy": shared["copy"]["id"]}.get(same_as, same_as)
    _as(app, shared["curator"])
    done = _post(app, f"/en{FORMS}{branch['id']}/merge", _page(app, branch), same_as=same_as)
    assert done.status_code == 200 and done.request.path == f"/en/actor/{branch['name']}"
    body = done.get_data(as_text=True)
    assert "Not merged:" in body and reason in body.replace("&#39;", "'"), body[:200]
    assert not _reload(branch).get("sca_same_as")


def test_a_refused_split_and_bad_addresses_never_answer_500(app, shared):
    branch, institute = shared["branch"], shared["institute"]
    _as(app, shared["curator"])
    html = _page(app, branch)
    done = _post(app, f"/en{FORMS}{branch['id']}/split", html)  # never matched: nothing to split
    assert done.status_code == 200 and "Not split off: This actor is not marked as the same as another actor." \
        in done.get_data(as_text=True)
    for path, status in ((f"{FORMS}gibt-es-nicht/split", 404), (f"{FORMS}{'x' * 500}/merge", 400),
                         (f"{FORMS}{institute['id']}/split", 403),  # a local actor: not the curator's office
                         (f"{FORMS}{branch['id']}/split?x=%00", 400)):
        assert _post(app, path, html).status_code == status, path
    assert app.get(f"{FORMS}{branch['id']}/split").status_code in (404, 405)  # no GET for a write
    assert model.Package.get(branch["id"]).private is False


def test_the_office_of_the_actor_splits_off_a_match_another_office_made(app, shared):
    """An attacker with an office account cannot pin its harvested entries
    on another office's actor for good: that office splits them off."""
    institute, copy = shared["institute"], shared["copy"]
    _as(app, shared["other_editor"])
    done = _post(app, f"/en{FORMS}{copy['id']}/split", _page(app, institute))
    assert done.status_code == 200, done.status_code
    assert _copies_section(_page(app, institute)) == ""
    assert _reload(copy)["sca_same_as_rule"] == "split by a curator" and not _reload(copy)["sca_same_as"]


def test_the_forms_and_messages_speak_german(app, shared):
    branch, utility = shared["branch"], shared["utility"]
    # the rule that recognised the institute, in the page's language
    shown = _copies_section(_page(app, shared["institute"], lang=""))
    assert "erkannt an Website-Domain: ivi.fraunhofer.example" in shown, shown
    assert "website domain" not in shown
    _as(app, shared["curator"])
    html = _page(app, branch, lang="")
    assert "Derselbe Akteur wie" in html and "Als denselben Akteur kennzeichnen" in html
    body = _post(app, f"{FORMS}{branch['id']}/merge", html, same_as=utility["id"]).get_data(as_text=True)
    assert "wird jetzt als derselbe Akteur wie" in body
    assert "Abspalten" in body and "Entscheidung der Redaktion" in body
    assert re.search(r'<div class="alert[^"]*success[^"]*" role="status">', body), "the message is a status message"
