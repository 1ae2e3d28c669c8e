# SPDX-License-Identifier: AGPL-3.0-or-later
"""/atlas/umwelt, its embed and its CSV downloads: tables without script,
the "indicative" notice, German and English, the embed's rules (anonymous,
no cookie, frame-ancestors), CSV of exactly the shown table, formula-safe."""
import csv
import io

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.environment import tables
from tests.helpers.local_server import ALLOW_LOCAL

DAY = {"start": "2024-10-27", "end": "2024-10-27"}


@pytest.mark.usefixtures("clean_db", "clean_index")
@ALLOW_LOCAL
def test_page_tables_notice_charts_and_sources(app, harvested):
    page = app.get("/atlas/umwelt", query_string=DAY)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for marker in ('class="alert alert-info sca-env-notice"', 'id="sca-env-caption-pm10"',
                   'id="sca-env-caption-pm25"', 'id="sca-env-caption-noise"', 'id="sca-env-caption-hours"',
                   'role="img"', "table=pm10&amp;start=2024-10-27", 'method="get"', "/dataset/"):
        assert marker in html, marker
    assert "<script" not in html.split('<article class="module sca-environment">')[1].split("</article>")[0]
    english = app.get("/en/atlas/umwelt", query_string=DAY).get_data(as_text=True)
    assert "Indicative values of citizen sensors." in english and "Whole city" in english
    assert "Indicative values of citizen sensors." not in html  # German by default


@pytest.mark.usefixtures("clean_db", "clean_index")
@ALLOW_LOCAL
@pytest.mark.ckan_config("ckanext.smartcityatlas.embed.frame_ancestors", "https://www.dresden.de")
def test_embed_is_anonymous_without_cookie(app, harvested):
    pkg = next(p for p in helpers.call_action("package_search", {"ignore_auth": True}, fq="+sca_sensor_source:*",
                                              include_private=True, rows=50)["results"]
               if "pm10" in [t["name"] for t in p["tags"]])
    helpers.call_action("package_patch", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        id=pkg["id"], private=True)
    token = factories.APIToken(user=factories.Sysadmin()["name"])["token"]
    resp = app.get("/atlas/umwelt/embed", query_string=DAY, headers={"Authorization": token})
    assert resp.status_code == 200
    assert resp.headers["Content-Security-Policy"] == "frame-ancestors https://www.dresden.de"
    assert "Set-Cookie" not in resp.headers and "X-Frame-Options" not in resp.headers
    html = resp.get_data(as_text=True)
    assert 'id="sca-env-caption-pm10"' not in html and 'id="sca-env-caption-pm25"' in html
    assert "/user/login" not in html and 'target="_blank"' in html
    # the page itself shows the private table to the sysadmin
    assert 'id="sca-env-caption-pm10"' in app.get("/atlas/umwelt", query_string=DAY,
                                                 headers={"Authorization": token}).get_data(as_text=True)


@pytest.mark.usefixtures("clean_db", "clean_index")
@ALLOW_LOCAL
def test_csv_holds_the_shown_table(app, harvested):
    resp = app.get("/atlas/umwelt.csv", query_string={"table": "noise", **DAY})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    body = resp.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].split(";")[:5] == ["Gebiet", "Lday (dB(A))", "Levening (dB(A))", "Lnight (dB(A))", "Lden (dB(A))"]
    assert lines[1].startswith("Ganze Stadt;57,4;57,4;57,4;")
    assert app.get("/atlas/umwelt.csv", query_string={"table": "nope", **DAY}).status_code == 400


def test_bad_parameters_are_shown_not_crashed(app):
    resp = app.get("/atlas/umwelt", query_string={"year": "zwanzig"})
    assert resp.status_code == 400 and "alert-danger" in resp.get_data(as_text=True)
    assert app.get("/atlas/umwelt.csv", query_string={"table": "pm10", "start": "2024-01-01"}).status_code == 400


def test_csv_cells_are_formula_safe():
    table = tables.Table("x", "caption", [tables.Column("Area", "text"), tables.Column("Mean"),
                                         tables.Column("Share", "percent")],
                         [["=HYPERLINK(\"http://x\")", -1.25, 0.5], ["+1", None, None]])
    rows = list(csv.reader(io.StringIO(tables.csv_body(table).decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Area", "Mean", "Share (%)"], ["'=HYPERLINK(\"http://x\")", "-1,2", "50,0"], ["'+1", "", ""]]


def test_the_atlas_and_the_sensor_table_link_to_the_dashboard(app):
    assert 'href="/atlas/umwelt"' in app.get("/atlas").get_data(as_text=True)
    assert 'href="/atlas/umwelt"' in app.get("/atlas/sensoren").get_data(as_text=True)
