# SPDX-License-Identifier: AGPL-3.0-or-later
"""The optional geocoding service (ckanext.smartcityatlas.radar.geocoder_url):
asked only for addresses the offline gazetteer does not know, its answer
accepted only inside the city, a failing service never stops a row."""
import json
import urllib.parse

import pytest

from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.radar import create_source, csv_bytes, projects, run_job

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"), ALLOW_LOCAL]


def test_geocoding_service(server, radar_org, ckan_config):
    asked = []

    def geocoder(req, route):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(req.path).query)["q"][0]
        asked.append(query)
        answers = {"Königsbrücker Straße 96, Dresden": [{"lat": "51.0784", "lon": "13.7589"}],
                   "Alexanderplatz 1, Dresden": [{"lat": "52.5219", "lon": "13.4132"}]}
        if query.startswith("Kaputt"):
            req.send_response(500)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        body = json.dumps(answers.get(query, [])).encode()
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    # the local server answers every path under /search through one route per query
    class Routes(dict):
        def get(self, path, default=None):
            return super().get(path.split("?")[0], default)

    server.routes = Routes(server.routes)
    server.add("/search", handler=geocoder)
    ckan_config["ckanext.smartcityatlas.radar.geocoder_url"] = server.url("/search")
    rows = [{"Radar-ID": "G-1", "Titel": "Hof", "Typ": "Projekt", "Status": "Idee",
             "Adresse": "Königsbrücker Straße 96"},
            {"Radar-ID": "G-2", "Titel": "Berlin", "Typ": "Projekt", "Status": "Idee",
             "Adresse": "Alexanderplatz 1"},
            {"Radar-ID": "G-3", "Titel": "Fehler", "Typ": "Projekt", "Status": "Idee", "Adresse": "Kaputt 1"},
            {"Radar-ID": "G-4", "Titel": "Bekannt", "Typ": "Projekt", "Status": "Idee",
             "Adresse": "Rathaus Dresden"}]
    server.add("/radar.csv", body=csv_bytes(rows), content_type="text/csv")
    report = run_job(create_source(server.url("/radar.csv"), radar_org))
    found = projects()
    assert found["G-1"]["location_source"] == "address"
    assert json.loads(found["G-1"]["spatial"])["coordinates"] == [13.7589, 51.0784]
    assert not found["G-2"].get("spatial") and not found["G-3"].get("spatial")
    assert found["G-4"]["location_source"] == "address"  # the gazetteer: the service is not asked
    assert sorted(asked) == ["Alexanderplatz 1, Dresden", "Kaputt 1, Dresden", "Königsbrücker Straße 96, Dresden"]
    messages = [w["message"] for w in report["warnings"]]
    assert any("placed 'Alexanderplatz 1' outside Dresden" in m for m in messages)
    assert any("the geocoding service failed for 'Kaputt 1'" in m for m in messages), messages
