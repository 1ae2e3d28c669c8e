# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data requests: the lifecycle, who may answer, privacy, spam protection."""
import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.datarequests import actions, store
from tests.helpers.datasets import create, minimal_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


@pytest.fixture
def offices():
    editor, central_editor, outsider = factories.User(), factories.User(), factories.User()
    umwelt = factories.Organization(name="umweltamt", title="Umweltamt",
                                    users=[{"name": editor["name"], "capacity": "editor"}],
                                    contact_email="umweltdaten@stadt.example")
    central = factories.Organization(name="smart-city-dresden", title="Open-Data-Team",
                                     users=[{"name": central_editor["name"], "capacity": "editor"}],
                                     contact_email="opendata@stadt.example")
    bau = factories.Organization(name="bauamt", title="Bauamt")
    return {"umwelt": umwelt, "central": central, "bau": bau, "editor": editor,
            "central_editor": central_editor, "outsider": outsider}


def _as(user):
    return {"user": user["name"], "ignore_auth": False}


def test_lifecycle_from_request_to_published_dataset(app, offices, smtp_sink):
    created = helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                                  title="Baumfällungen 2025", description="Alle genehmigten Fällungen mit Ort.",
                                  organization="umweltamt", email="anfrage@buerger.example")
    assert created["status"] == "open" and created["organization"]["name"] == "umweltamt"
    assert "email" not in str(created) and "buerger.example" not in str(created)
    # the office's functional data contact is told, with a direct link
    office_mail = smtp_sink.to("umweltdaten@stadt.example")
    assert len(office_mail) == 1 and f"/datenwuensche/{created['id']}" in smtp_sink.body(office_mail[0])

    listed = helpers.call_action("sca_datarequest_list", {"user": "", "ignore_auth": False})
    assert listed["results"][0]["id"] == created["id"] and "buerger.example" not in str(listed)

    # another office's editor and anonymous callers may not answer
    for context in (_as(offices["outsider"]), {"user": "", "ignore_auth": False}):
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("sca_datarequest_update", context, id=created["id"], status="in_review")
    helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"], status="in_review")
    assert "in Prüfung" in smtp_sink.body(smtp_sink.to("anfrage@buerger.example")[-1])

    with pytest.raises(tk.ValidationError) as exc:
        helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"], status="published")
    assert "dataset" in exc.value.error_dict
    private = create(minimal_dataset(offices["umwelt"], "entwurf", private=True))
    with pytest.raises(tk.ValidationError):
        helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"],
                            status="published", dataset=private["name"])
    dataset = create(minimal_dataset(offices["umwelt"], "faellungen", title="Baumfällungen"))
    done = helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"],
                               status="published", dataset=dataset["name"])
    assert done["status"] == "published" and done["dataset"]["name"] == dataset["name"]
    last = smtp_sink.body(smtp_sink.to("anfrage@buerger.example")[-1])
    assert "veröffentlicht" in last and f"/dataset/{dataset['name']}" in last

    page = app.get(f"/datenwuensche/{created['id']}", status=200).body
    assert "Baumfällungen 2025" in page and f'/dataset/{dataset["name"]}' in page
    assert "buerger.example" not in page and 'name="status"' not in page  # no answer form for the public


def test_unclear_requests_go_to_the_central_team_which_may_forward_them(offices, smtp_sink):
    created = helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                                  title="Parkplätze", description="Belegung der Parkhäuser.")
    assert created["organization"]["name"] == "smart-city-dresden"
    assert smtp_sink.to("opendata@stadt.example")
    with pytest.raises(tk.NotAuthorized):  # not (yet) the environment office's request
        helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"], status="in_review")
    moved = helpers.call_action("sca_datarequest_update", _as(offices["central_editor"]), id=created["id"],
                                organization="umweltamt")
    assert moved["organization"]["name"] == "umweltamt" and smtp_sink.to("umweltdaten@stadt.example")
    declined = helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"],
                                   status="declined", reason="Die Daten liegen beim Verkehrsverbund.")
    assert declined["reason"] == "Die Daten liegen beim Verkehrsverbund."
    with pytest.raises(tk.ValidationError):
        helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                            title="", description="x", email="keine-adresse")


def test_form_honeypot_csrf_and_rate_limit(app, offices):
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()  # this hour's count of earlier tests' posts (the browser test's) starts over
    for key in redis.scan_iter("sca:ratelimit:datarequest:*"):
        redis.delete(key)
    before = store.listing(None, None, 10, 0)[0]  # plugin tables outlive CKAN's reset_db
    form = app.get("/datenwuensche/neu", status=200).body
    assert 'name="website"' in form and 'name="_csrf_token"' in form
    # a bot fills the hidden field: nothing is stored
    with pytest.raises(tk.ValidationError):
        helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                            title="Spam", description="Spam", website="http://spam.example")
    assert store.listing(None, None, 10, 0)[0] == before
    with helpers.changed_config("ckanext.smartcityatlas.rate_limit.datarequest_per_hour", 2):
        for i in range(2):
            app.post("/api/3/action/sca_datarequest_create",
                     json={"title": f"Wunsch {i}", "description": "Bitte."}, status=200)
        response = app.post("/api/3/action/sca_datarequest_create",
                            json={"title": "Noch einer", "description": "Bitte."}, status=429)
        assert int(response.headers["Retry-After"]) > 0
        page = app.get("/datenwuensche/neu", status=200).body  # viewing the form is not limited
        # a person sending the form gets a page that says what to do, not JSON
        token = page.split('name="_csrf_token" value="')[1].split('"')[0]
        refused = app.post("/datenwuensche/neu", data={"_csrf_token": token, "title": "Per Formular",
                                                       "description": "Bitte."}, status=429)
        assert refused.headers["Content-Type"].startswith("text/html") and int(refused.headers["Retry-After"]) > 0
        assert "<h1>Zu viele Anfragen</h1>" in refused.body and "Minuten" in refused.body
        # a logged-in user is accountable and not limited
        token = factories.APIToken(user=offices["editor"]["name"])["token"]
        app.post("/api/3/action/sca_datarequest_create", headers={"Authorization": token},
                 json={"title": "Von der Verwaltung", "description": "Intern."}, status=200)
    assert store.listing(None, None, 10, 0)[0] == before + 3
    listing = app.get("/datenwuensche", status=200).body
    assert "Wunsch 0" in listing and "Von der Verwaltung" in listing
    for key in redis.scan_iter("sca:ratelimit:datarequest:*"):  # later tests' visitors start afresh
        redis.delete(key)


def test_requester_addresses_are_deleted_after_the_retention_time(offices):
    created = helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                                  title="Lärmkarte", description="Aktuelle Lärmkarte.", email="a@buerger.example")
    assert store.get(created["id"])["requester_email"] == "a@buerger.example"
    actions.purge_old_contacts()
    assert store.get(created["id"])["requester_email"] == "a@buerger.example"
    store.update(created["id"], created=store.now() - datetime.timedelta(days=181))
    assert actions.purge_old_contacts() >= 1
    row = store.get(created["id"])
    assert row["requester_email"] is None and row["contact_purged"] and row["title"] == "Lärmkarte"


def test_search_by_word_forms_and_word_parts(app, offices, unique):
    """Issue 29, item 10: /datenwuensche can be searched."""
    anonymous = {"user": "", "ignore_auth": False}
    u = unique  # (the table outlives clean_db: other tests' and runs' requests are there too)
    for title, description in ((f"Baumfällungen {u}", "Alle genehmigten Fällungen mit Ort."),
                               (f"Parkplätze {u}", "Belegung der Parkhäuser in Echtzeit."),
                               (f"Lärmkarte {u}", f"Straßenlärm aller Messpunkte, Spalte {u}ax.")):
        # as a logged-in user: anonymous requests count against the rate limit of 127.0.0.1,
        # which the browser tests' visitor needs
        helpers.call_action("sca_datarequest_create", _as(offices["outsider"]), title=title, description=description)

    def titles(q):
        return sorted(r["title"] for r in helpers.call_action("sca_datarequest_list", anonymous, q=q)["results"])

    assert titles(f"Parkhaus {u}") == [f"Parkplätze {u}"]           # a German word form ("Parkhäuser")
    assert titles(f"fällung {u}") == [f"Baumfällungen {u}"]         # a part of a word
    assert titles(f"Echtzeit Belegung {u}") == [f"Parkplätze {u}"]  # every word
    assert titles(f"Echtzeit Fällungen {u}") == []
    assert titles(f"{u}_x") == [] and titles(f"{u}%x") == []        # LIKE's wildcards are plain characters
    assert titles(f"{u}ax") == [f"Lärmkarte {u}"]
    assert len(titles(u)) == 3

    page = app.get("/datenwuensche", query_string={"q": f"Parkhaus {u}"}, status=200).body
    assert f"Parkplätze {u}" in page and f"Baumfällungen {u}" not in page and f'value="Parkhaus {u}"' in page
    none = app.get("/datenwuensche", query_string={"q": f"Zeppelin {u}"}, status=200).body
    assert "/datenwuensche/neu" in none
    refused = app.get("/datenwuensche", query_string={"q": "x" * 201}, status=400).body
    assert "q:" in refused


def test_answered_is_the_first_answer_and_stays(offices):
    created = helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                                  title="Lärmkarten", description="Lärmkarten als Geodaten.", organization="umweltamt")
    assert created["answered"] is None
    review = helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"],
                                 status="in_review")
    assert review["answered"] is None  # in review is no answer yet
    declined = helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"],
                                   status="declined", reason="Liegen beim Land.")
    assert declined["answered"] is not None and declined["answered"] <= declined["updated"]
    first = declined["answered"]
    # reopened, handed on and answered again: the first answer stays
    helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"], status="in_review")
    dataset = create(minimal_dataset(offices["umwelt"], "laerm", title="Lärmkarten"))
    published = helpers.call_action("sca_datarequest_update", _as(offices["editor"]), id=created["id"],
                                    status="published", dataset=dataset["name"])
    assert published["answered"] == first and published["updated"] > first
    assert store.get(created["id"])["answered"].isoformat() == first
