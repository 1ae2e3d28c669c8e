# SPDX-License-Identifier: AGPL-3.0-or-later
"""E-mail digests of the offices' data contacts, into a local SMTP sink."""
import datetime

import pytest

from ckan import model
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.quality import digest, link_check, link_store
from ckanext.smartcityatlas.quality import conformance
from tests.helpers.datasets import create, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.harvest.allowed_networks", "127.0.0.1/32"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.linkcheck.host_delay", "0"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.digest.hour", "7")]
MONDAY_8 = datetime.datetime(2026, 11, 23, 7, 0)  # 08:00 in Berlin (UTC+1)


def _violations(dataset):
    broken = dict(helpers.call_action("package_show", id=dataset["id"]), notes="", license_id="")
    conformance.store(dataset["id"], conformance.validate_dataset_dict(broken))
    model.Session.commit()


def test_daily_digest_lists_what_is_new_with_links_and_stays_quiet_otherwise(server, smtp_sink):
    server.add("/ok.csv", body="a\n1\n", content_type="text/csv")
    server.add("/weg.csv", body="", status=404, content_type="text/plain")
    office = factories.Organization(name="umweltamt", title="Umweltamt", contact_email="umweltdaten@stadt.example",
                                    digest_frequency="daily")
    factories.Organization(name="ohne-kontakt")  # no data contact: no digest
    url = server.url
    faulty = create(minimal_dataset(office, "fehlerhaft", title="Lärmkarte",
                                    resources=[{"url": url("/ok.csv"), "format": "CSV"}]))
    _violations(faulty)
    create(minimal_dataset(office, "alt", title="Pegelstände", frequency="DAILY", modified="2020-01-01",
                           resources=[{"url": url("/ok.csv"), "format": "CSV"}]))
    linked = create(minimal_dataset(office, "links", title="Baumkataster",
                                    resources=[{"url": url("/weg.csv"), "format": "CSV"}]))
    link_check.run_batch()
    request = helpers.call_action("sca_datarequest_create", {"user": "", "ignore_auth": False},
                                  title="Straßenbäume", description="Mit Art und Alter.", organization="umweltamt")
    smtp_sink.messages.clear()  # the data request's own notice

    outcome = digest.run(now=MONDAY_8)
    assert outcome["umweltamt"] == "sent (4 new)" and "ohne-kontakt" not in outcome
    [mail] = smtp_sink.to("umweltdaten@stadt.example")
    body = smtp_sink.body(mail)
    assert "4 neue Hinweise für Umweltamt" in mail["Subject"]
    assert "Lärmkarte" in body and "/dataset/edit/min-fehlerhaft" in body
    assert "Pegelstände" in body and "zuletzt aktualisiert 01.01.2020" in body
    assert "Baumkataster" in body and "HTTP 404" in body
    assert f"/dataset/min-links/resource/{linked['resources'][0]['id']}/edit" in body
    assert f"/datenwuensche/{request['id']}" in body and "Straßenbäume (offen)" in body
    assert "/dashboard/quality?organization=umweltamt" in body

    # the same day again, and the next day with nothing new: no mail
    assert digest.run(now=MONDAY_8 + datetime.timedelta(hours=3)) == {}
    assert digest.run(now=MONDAY_8 + datetime.timedelta(days=1))["umweltamt"] == "nothing new"
    assert len(smtp_sink.messages) == 1

    # something new: only that is listed
    helpers.call_action("sca_datarequest_update", {"user": factories.Sysadmin()["name"], "ignore_auth": False},
                        id=request["id"], status="in_review")
    assert digest.run(now=MONDAY_8 + datetime.timedelta(days=2))["umweltamt"] == "sent (1 new)"
    body = smtp_sink.body(smtp_sink.to("umweltdaten@stadt.example")[-1])
    assert "Straßenbäume (in Prüfung)" in body and "Lärmkarte" not in body
    assert "Insgesamt: 1 Datensätze mit Verstößen, 1 defekte Links" in body


def test_frequency_none_and_mail_errors(server, smtp_sink):
    office = factories.Organization(name="bauamt", contact_email="bau@stadt.example", digest_frequency="none")
    _violations(create(minimal_dataset(office, "x")))
    assert digest.run(now=MONDAY_8) == {}
    assert digest.run(now=MONDAY_8, force=True)["bauamt"].startswith("sent")
    weekly = factories.Organization(name="kaemmerei", contact_email="kasse@stadt.example")
    _violations(create(minimal_dataset(weekly, "y")))
    with helpers.changed_config("smtp.server", "127.0.0.1:1"):  # nobody listens: retried later
        assert digest.run(now=MONDAY_8, only="kaemmerei")["kaemmerei"].startswith("not sent")
    assert digest.run(now=MONDAY_8, only="kaemmerei")["kaemmerei"] == "sent (1 new)"


def test_an_address_that_is_no_web_address_is_quoted_text_on_one_line(smtp_sink):
    """A stored resource address with a newline (an older or harvested
    record) neither becomes a link nor adds lines of its own to the mail."""
    office = factories.Organization(name="stadtarchiv", contact_email="archiv@stadt.example",
                                    digest_frequency="daily")
    pkg = create(minimal_dataset(office, "skript", title="Archivbestände"))
    url = "https://example.org/daten\n  https://evil.example/anmelden"
    res = model.Resource.get(pkg["resources"][0]["id"])
    res.url = url
    link_store.record(res.id, pkg["id"], url, link_check.Result("broken", 404), datetime.datetime.utcnow())
    model.Session.commit()

    assert digest.run(now=MONDAY_8)["stadtarchiv"] == "sent (1 new)"
    body = smtp_sink.body(smtp_sink.to("archiv@stadt.example")[-1])
    lines = body.splitlines()
    assert ("- Archivbestände: „https://example.org/daten\\u000a  https://evil.example/anmelden“ "
            "(keine Webadresse) (HTTP 404") in body
    assert not any("evil.example" in line and not line.startswith("- Archivbestände") for line in lines)


@pytest.mark.parametrize("now,frequency,expected", [
    # daily at 07:00 Berlin: 06:00 UTC in winter, 05:00 UTC in summer
    (datetime.datetime(2026, 11, 23, 5, 59), "daily", datetime.datetime(2026, 11, 22, 6, 0)),
    (datetime.datetime(2026, 11, 23, 6, 0), "daily", datetime.datetime(2026, 11, 23, 6, 0)),
    (datetime.datetime(2026, 7, 1, 12, 0), "daily", datetime.datetime(2026, 7, 1, 5, 0)),
    # weekly on Monday: the Monday before, across the change to summer time (29 March 2026)
    (datetime.datetime(2026, 3, 29, 12, 0), "weekly", datetime.datetime(2026, 3, 23, 6, 0)),
    (datetime.datetime(2026, 3, 30, 5, 30), "weekly", datetime.datetime(2026, 3, 30, 5, 0)),
    (datetime.datetime(2026, 3, 30, 4, 30), "weekly", datetime.datetime(2026, 3, 23, 6, 0)),
    (datetime.datetime(2026, 3, 30, 4, 30), "none", None),
])
def test_time_slots_in_berlin_time(now, frequency, expected):
    assert digest.last_slot(frequency, now) == expected
