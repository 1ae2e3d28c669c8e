# SPDX-License-Identifier: AGPL-3.0-or-later
"""/atlas/export.csv and /atlas/export.geojson: the atlas selection for
German spreadsheets and GIS, only what the caller may see, no contact
data, formula injection neutralised, capped, rate-limited."""
import csv
import io
import os

import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.common.spreadsheet import csv_cell as neutralise
from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]


@pytest.fixture
def data(world):
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    a = call("package_create", editor, **actor_data(f"ea-{u}", org, title=f"Exportakteur {u}",
                                                     contact_email="buero@example.org", url="https://example.org"))
    f = call("package_create", editor, **actor_data(f"ef-{u}", org, title=f"=HYPERLINK(\"https://evil.example\") {u}"))
    x = call("package_create", editor, **actor_data(f"ex-{u}", org, title=f"Geheim {u}", private=True))
    p = call("package_create", editor, **project_data(f"ep-{u}", org, title=f"Exportprojekt {u}"))
    return dict(world, a=a, f=f, x=x, p=p)


def _rows(resp):
    body = resp.get_data()
    assert body.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(start):
    assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("Energie" + start) == "Energie" + start


def test_csv_for_anonymous_callers(app, data):
    resp = app.get("/atlas/export.csv", query_string={"organization": data["org_a"]["name"]})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and 'filename="smart-city-atlas-dresden-' in disposition
    rows = _rows(resp)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Typ", "Titel"] and len(body) == 3
    titles = [r[1] for r in body]
    assert data["a"]["title"] in titles and data["p"]["title"] in titles and data["x"]["title"] not in titles
    assert "'" + data["f"]["title"] in titles  # the formula is text
    actor = next(r for r in body if r[1] == data["a"]["title"])
    assert actor[0] == "Akteur" and actor[8] == "13,738300" and actor[9] == "51,050400"
    text = resp.get_data(as_text=True)
    assert "buero@example.org" not in text and "Forschung zu smarten" not in text
    assert resp.headers["X-Total-Count"] == "3" and resp.headers["X-Truncated"] == "false"


def test_members_export_their_private_records(app, data):
    token = factories.APIToken(user=data["users"]["member"]["name"])["token"]
    resp = app.get("/atlas/export.csv", query_string={"organization": data["org_a"]["name"]},
                   headers={"Authorization": token})
    assert data["x"]["title"] in [r[1] for r in _rows(resp)[1:]]
    geo = app.get("/atlas/export.geojson", query_string={"organization": data["org_a"]["name"]},
                  headers={"Authorization": token}).json
    assert data["x"]["id"] in {f["id"] for f in geo["features"]}


def test_geojson_export(app, data):
    resp = app.get("/atlas/export.geojson", query_string={"organization": data["org_a"]["name"]})
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    assert resp.headers["Content-Disposition"].endswith('.geojson"')
    geo = resp.json
    by_id = {f["id"]: f for f in geo["features"]}
    assert set(by_id) == {data[k]["id"] for k in "afp"}
    assert by_id[data["a"]["id"]]["geometry"] == {"type": "Point", "coordinates": [13.7383, 51.0504]}
    assert by_id[data["p"]["id"]]["geometry"] is None  # no location: still part of the selection
    assert by_id[data["a"]["id"]]["properties"]["url"].endswith("/actor/" + data["a"]["name"])
    assert "buero@example.org" not in resp.get_data(as_text=True)


@pytest.mark.ckan_config("ckanext.smartcityatlas.export.max_rows", 2)
def test_row_cap(app, data):
    resp = app.get("/atlas/export.csv", query_string={"organization": data["org_a"]["name"]})
    assert len(_rows(resp)) == 3 and resp.headers["X-Truncated"] == "true" and resp.headers["X-Total-Count"] == "3"
    geo = app.get("/atlas/export.geojson", query_string={"organization": data["org_a"]["name"]}).json
    assert len(geo["features"]) == 2 and geo["truncated"] is True and geo["total"] == 3


def test_bad_filters_give_400(app):
    assert app.get("/atlas/export.csv", query_string={"bbox": "nonsense"}).status_code == 400
    assert app.get("/atlas/export.geojson", query_string={"entity_type": "dataset"}).status_code == 400


@pytest.mark.ckan_config("ckanext.smartcityatlas.rate_limit.export_per_minute", 1)
def test_exports_are_rate_limited_for_anonymous_callers(app):
    ip = {"REMOTE_ADDR": "10.78.%d.%d" % tuple(os.urandom(2))}
    assert app.get("/atlas/export.csv", environ_base=ip).status_code == 200
    assert app.get("/atlas/export.geojson", environ_base=ip).status_code == 429
