# SPDX-License-Identifier: AGPL-3.0-or-later
"""The link checker against a local HTTP server on the real stack."""
import datetime
import time

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.quality import link_check
from tests.helpers.datasets import create, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.harvest.allowed_networks", "127.0.0.1/32"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.linkcheck.timeout", "1"),
              pytest.mark.ckan_config("ckanext.smartcityatlas.linkcheck.host_delay", "0")]


def _head_not_allowed(req, route):
    req.send_response(405)
    req.send_header("Content-Length", "0")
    req.end_headers()


def _redirect_to(path):
    def handler(req, route):
        req.send_response(302)
        req.send_header("Location", path)
        req.send_header("Content-Length", "0")
        req.end_headers()
    return handler


def _no_answer(req, route):
    time.sleep(3)  # longer than the configured timeout of 1 s
    try:
        req.send_response(200)
        req.send_header("Content-Length", "0")
        req.end_headers()
    except (BrokenPipeError, ConnectionResetError):
        pass


def _serve(server):
    server.add("/ok.csv", body="a;b\n1;2\n", content_type="text/csv")
    server.add("/missing.csv", body="", status=404, content_type="text/plain")
    server.add("/error.csv", body="", status=500, content_type="text/plain")
    server.add("/slow.csv", handler=_no_answer)
    server.add("/loop", handler=_redirect_to("/loop"))


def _dataset(org, server, *paths, name="links", **extra):
    resources = [{"url": server.url(p), "format": "CSV", "name": p} for p in paths]
    return create(minimal_dataset(org, name, resources=resources, **extra))


def _status(pkg_id, user=None, **extra):
    context = {"user": user, "ignore_auth": False} if user else {"ignore_auth": True}
    return helpers.call_action("sca_link_status_show", context, id=pkg_id, **extra)


def test_outcomes_of_real_answers(server):
    _serve(server)

    def get_only(req, route):
        if req.command == "HEAD":
            return _head_not_allowed(req, route)
        req.send_response(200)
        req.send_header("Content-Type", "text/csv")
        req.send_header("Content-Length", "4")
        req.end_headers()
        req.wfile.write(b"a;b\n")

    server.add("/get-only.csv", handler=get_only)
    results = {path: link_check.check_url(server.url(path)) for path in
               ("/ok.csv", "/missing.csv", "/error.csv", "/slow.csv", "/loop", "/get-only.csv")}
    assert results["/ok.csv"].status == "ok" and results["/ok.csv"].http_status == 200
    assert (results["/missing.csv"].status, results["/missing.csv"].http_status) == ("broken", 404)
    assert (results["/error.csv"].status, results["/error.csv"].http_status) == ("broken", 500)
    assert results["/slow.csv"].status == "unreachable"
    assert results["/loop"].status == "broken" and "redirects" in results["/loop"].reason
    assert results["/get-only.csv"].status == "ok"
    assert server.routes["/get-only.csv"].hits == 2  # HEAD, then GET


def test_private_addresses_are_refused_not_checked(server):
    _serve(server)
    with helpers.changed_config("ckanext.smartcityatlas.harvest.allowed_networks", ""):
        result = link_check.check_url(server.url("/ok.csv"))
    assert result.status == "refused" and "non-public address" in result.reason
    assert server.routes["/ok.csv"].hits == 0


def test_batch_stores_results_scores_and_shows_them(app, server):
    _serve(server)
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    pkg = _dataset(org, server, "/ok.csv", "/missing.csv")
    private = _dataset(org, server, "/error.csv", name="entwurf", private=True)
    before = helpers.call_action("sca_quality_show", id=pkg["id"])
    assert "access_url" not in before["failed"]

    stats = link_check.run_batch()
    assert stats["ok"] == 1 and stats["broken"] == 2
    shown = _status(pkg["id"], history=True)
    assert shown["broken"] == 1
    by_name = {r["url"].rsplit("/", 1)[-1]: r for r in shown["resources"]}
    assert by_name["missing.csv"]["status"] == "broken" and by_name["missing.csv"]["http_status"] == 404
    assert by_name["missing.csv"]["failing_since"] and len(by_name["missing.csv"]["history"]) == 1
    assert by_name["ok.csv"]["status"] == "ok"
    # the broken link costs the "Access URL" points
    after = helpers.call_action("sca_quality_show", id=pkg["id"])
    assert "access_url" in after["failed"] and after["score"] < before["score"]

    # nothing is due again until the interval has passed
    assert sum(link_check.run_batch().values()) == 0
    # the fixed link is checked at once when its URL changes, and the score recovers
    resources = helpers.call_action("package_show", id=pkg["id"])["resources"]
    server.add("/fixed.csv", body="a;b\n1;2\n", content_type="text/csv")
    resources[1]["url"] = server.url("/fixed.csv")
    helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]},
                        id=pkg["id"], resources=resources)
    assert link_check.run_batch()["ok"] == 1
    assert _status(pkg["id"])["broken"] == 0
    assert "access_url" not in helpers.call_action("sca_quality_show", id=pkg["id"])["failed"]

    # a day later everything is due again; history grows per check
    later = datetime.datetime.utcnow() + datetime.timedelta(hours=25)
    assert sum(link_check.run_batch(now=later).values()) == 3
    assert len(_status(pkg["id"], history=True)["resources"][0]["history"]) == 2

    # whoever may not read the dataset may not read its links
    outsider = factories.User()
    import ckan.plugins.toolkit as tk

    with pytest.raises(tk.NotAuthorized):
        _status(private["id"], user=outsider["name"])
    assert _status(private["id"], user=editor["name"])["broken"] == 1

    # the dashboard counts and lists broken links
    token = factories.APIToken(user=editor["name"])["token"]
    page = app.get("/dashboard/quality", headers={"Authorization": token}, status=200).body
    assert f'href="/dataset/{private["name"]}/links"' in page  # its link still fails
    assert f'href="/dataset/{pkg["name"]}/links"' not in page  # fixed
    csv_text = app.get("/dashboard/quality.csv", headers={"Authorization": token}, status=200).body
    assert "broken_links" in csv_text.splitlines()[0]


def test_polite_per_host_and_within_the_time_budget(server):
    _serve(server)
    org = factories.Organization()
    _dataset(org, server, "/ok.csv", "/missing.csv", "/error.csv")
    slept = []
    with helpers.changed_config("ckanext.smartcityatlas.linkcheck.host_delay", "2"):
        stats = link_check.run_batch(sleep=slept.append)
    assert sum(stats.values()) == 3
    assert len(slept) == 2 and all(0 < s <= 2 for s in slept)  # same host: waits between requests

    org2 = factories.Organization()
    # (the slow host is unreachable once: not yet a failing link)
    _dataset(org2, server, "/slow.csv", "/ok.csv", name="langsam")
    with helpers.changed_config("ckanext.smartcityatlas.linkcheck.run_seconds", "0"):
        stats = link_check.run_batch(now=datetime.datetime.utcnow() + datetime.timedelta(days=2))
    assert stats["deferred"] >= 4 and stats["unreachable"] + stats["ok"] + stats["broken"] <= 1


def test_disabled_checks_nothing(server):
    _serve(server)
    _dataset(factories.Organization(), server, "/ok.csv")
    with helpers.changed_config("ckanext.smartcityatlas.linkcheck.enabled", "false"):
        assert sum(link_check.run_batch().values()) == 0
    assert server.routes["/ok.csv"].hits == 0


def test_unreachable_counts_from_the_second_check_in_a_row(server):
    _serve(server)
    pkg = _dataset(factories.Organization(), server, "/slow.csv", name="zeitweise")
    assert link_check.run_batch()["unreachable"] == 1
    assert _status(pkg["id"])["broken"] == 0  # one timeout is not a broken link
    assert "access_url" not in helpers.call_action("sca_quality_show", id=pkg["id"])["failed"]
    assert sum(link_check.run_batch().values()) == 0  # retried after an hour, not at once
    link_check.run_batch(now=datetime.datetime.utcnow() + datetime.timedelta(hours=1, minutes=1))
    shown = _status(pkg["id"])
    assert shown["broken"] == 1 and shown["resources"][0]["failures"] == 2
    assert "access_url" in helpers.call_action("sca_quality_show", id=pkg["id"])["failed"]


def test_link_page_for_people(app, server):
    """/dataset/<id>/links: the checker's results with resource names, for
    whoever may read the dataset; names and addresses escaped; a private
    dataset's page is 'not found' for outsiders."""
    _serve(server)
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    resources = [{"url": server.url("/ok.csv"), "format": "CSV", "name": "Tabelle <b>fett</b>"},
                 {"url": server.url("/missing.csv") + "?a=<x>", "format": "CSV", "name": "Fehlt"}]
    pkg = create(minimal_dataset(org, "seite", resources=resources))
    private = _dataset(org, server, "/error.csv", name="entwurf-seite", private=True)
    link_check.run_batch()

    page = app.get(f"/dataset/{pkg['name']}/links", status=200).body  # public: anyone
    assert "Tabelle &lt;b&gt;fett&lt;/b&gt;" in page and "<b>fett</b>" not in page
    assert "?a=&lt;x&gt;" in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    broken = [r for r in rows if 'class="sca-link-broken"' in r]
    assert len(broken) == 1 and "Fehlt" in broken[0] and "<td>404</td>" in broken[0]
    assert len([r for r in rows if 'class="sca-link-ok"' in r]) == 1
    assert f'href="/dataset/{pkg["name"]}/links"' in app.get(f"/dataset/{pkg['name']}", status=200).body

    outsider = factories.APIToken(user=factories.User()["name"])["token"]
    app.get(f"/dataset/{private['name']}/links", headers={"Authorization": outsider}, status=404)
    app.get(f"/dataset/{private['name']}/links", status=404)
    app.get("/dataset/no-such-dataset/links", status=404)
    token = factories.APIToken(user=editor["name"])["token"]
    own = app.get(f"/dataset/{private['name']}/links", headers={"Authorization": token}, status=200).body
    assert 'class="sca-link-broken"' in own and "<td>500</td>" in own


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("host_delay", "0.5", True), ("host_delay", "0", True), ("timeout", "2.5", True),
    ("host_delay", "soon", None), ("host_delay", "-1", None), ("timeout", "0", None), ("timeout", "nan", None),
    ("run_seconds", "", None),
])
def test_link_check_seconds_are_checked_at_start(key, value, expected):
    """A bad number stops the start naming the option (CKAN validates the
    declared options on load), instead of failing every link-check tick."""
    from ckan.common import config
    from ckan.exceptions import CkanConfigurationException

    option = f"ckanext.smartcityatlas.linkcheck.{key}"
    settings = {**config, option: value}
    if expected is None:
        with pytest.raises(CkanConfigurationException, match=option):
            link_check.check_options(settings)
    else:
        link_check.check_options(settings)
