# SPDX-License-Identifier: AGPL-3.0-or-later
"""A remote CKAN portal for the ``sca_ckan`` tests: the Action API's
``package_search`` (q, fq — ``id:(…)``, ``organization:…`` —, rows, start,
sort, fl) and ``package_show`` with CKAN 2.10's answer envelope, over
datasets shaped as real portals publish them: ckanext-dcat's scheming
fields, ckanext-dcat's extras, the older German OGD extras (GovData's
sample, unchanged, in ``fixtures/harvest/ckan``), CKAN's own licence ids.
Served by the tests' local HTTP server."""
from __future__ import annotations

import copy
import json
import re
import urllib.parse
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest" / "ckan"
_ID_FILTER = re.compile(r'id:\(([^)]*)\)')


def govdata_sample() -> dict:
    return json.loads((FIXTURES / "govdata-package_show-response.json").read_text("utf-8"))["result"]


def portal_datasets(count: int = 24) -> list[dict]:
    """``count`` datasets of a fictitious city portal plus GovData's sample."""
    orgs = [{"name": "umweltamt", "title": "Umweltamt", "id": "0b5f3f7e-0000-4000-8000-000000000001"},
            {"name": "strassen-und-tiefbauamt", "title": "Straßen- und Tiefbauamt",
             "id": "0b5f3f7e-0000-4000-8000-000000000002"}]
    licences = ["dl-de-by-2.0", "cc-by", "cc-zero", "odc-odbl", "dl-by-de/2.0", "cc-by-4.0"]
    formats = ["CSV", "json", "WMS", "GeoJSON", "XLSX", "application/pdf", "Shapefile"]
    out = []
    for i in range(1, count + 1):
        org = orgs[i % 2]
        pkg = {
            "id": f"7d1c0a52-{i:04d}-4c1e-9a0b-5f2d3c4b{i:04d}",
            "name": f"datensatz-{i:02d}",
            "title": f"Messreihe {i:02d} – Lärm und Luft an Hauptstraßen",
            "notes": f"Tägliche Messwerte der Station {i} im Stadtgebiet, geprüft und veröffentlicht "
                     "vom Fachamt. Umlaute: äöüß.",
            "type": "dataset", "state": "active", "private": False,
            "metadata_created": f"2024-01-{(i % 27) + 1:02d}T08:00:00.000000",
            "metadata_modified": f"2025-03-{(i % 27) + 1:02d}T10:15:{i % 60:02d}.123456",
            "license_id": licences[i % len(licences)],
            "license_title": "", "url": f"https://stadt.example/daten/{i}",
            "organization": dict(org, type="organization", is_organization=True),
            "owner_org": org["id"],
            "maintainer": "Umweltamt, Sachgebiet Immissionsschutz", "maintainer_email": "umwelt@stadt.example",
            "author": None, "author_email": None,
            "tags": [{"name": "Luftqualität", "display_name": "Luftqualität"}, {"name": "Lärm"},
                     {"name": "x"}],
            "groups": [{"name": "umwelt_klima", "title": "Umwelt und Klima", "display_name": "Umwelt und Klima"}],
            "extras": [{"key": "frequency", "value": "http://publications.europa.eu/resource/authority/frequency/DAILY"},
                       {"key": "temporal_start", "value": "2020-01-01"},
                       {"key": "spatial", "value": json.dumps({"type": "Point", "coordinates": [13.74, 51.05]})}],
            "resources": [
                {"id": f"r{i:03d}-1", "url": f"https://stadt.example/daten/{i}/werte.csv", "format": "CSV",
                 "name": "Messwerte", "description": "Tageswerte", "created": "2024-01-02T08:00:00.000000",
                 "last_modified": "2025-03-01T10:00:00.000000", "size": "20480", "mimetype": "text/csv"},
                {"id": f"r{i:03d}-2", "url": f"https://stadt.example/daten/{i}/anhang", "format": formats[i % len(formats)],
                 "name": "Anhang", "created": "2024-01-02T08:00:00"},
            ],
            "num_resources": 2, "num_tags": 3,
        }
        if i % 3 == 0:  # ckanext-dcat's scheming fields (ckanext-dcat ≥ 2.0 portals)
            pkg["contact"] = [{"name": "Open-Data-Team", "email": "opendata@stadt.example"}]
            pkg["publisher"] = [{"name": "Landeshauptstadt Musterstadt", "uri": "https://stadt.example"}]
            pkg["temporal_coverage"] = [{"start": "2021-01-01", "end": "2021-12-31"}]
            pkg["theme"] = ["http://publications.europa.eu/resource/authority/data-theme/TRAN"]
            pkg["language"] = ["http://publications.europa.eu/resource/authority/language/DEU"]
        if i % 4 == 0:  # a person as maintainer: withheld by default
            pkg["maintainer"] = "Erika Mustermann"
            pkg["maintainer_email"] = "erika.mustermann@stadt.example"
            pkg.pop("contact", None)
        out.append(pkg)
    out.append(govdata_sample())
    return out


class FakeCKAN:
    """The portal's state (datasets by id) and its Action API as a route handler."""

    def __init__(self, datasets: list[dict], ignore_fl: bool = False):
        self.datasets = {d["id"]: copy.deepcopy(d) for d in datasets}
        self.ignore_fl = ignore_fl
        self.calls: list[dict] = []
        self.fail_with: tuple[int, bytes] | None = None

    def route(self, server, prefix: str = "/portal") -> str:
        """Serve under ``prefix`` of the test server; the portal's URL."""
        server.add_prefix(f"{prefix}/api/3/action/", self.handler)
        return server.url(prefix)

    def handler(self, req, route):
        path, _, query = req.path.partition("?")
        params = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
        action = path.rsplit("/", 1)[-1]
        self.calls.append({"action": action, **params})
        if self.fail_with:
            status, body = self.fail_with
            return _send(req, status, body)
        if action == "package_show":
            pkg = self.datasets.get(params.get("id", ""))
            if pkg is None:
                return _send(req, 404, _envelope(action, error={"__type": "Not Found Error",
                                                                  "message": "Nicht gefunden"}))
            return _send(req, 200, _envelope(action, result=pkg))
        found = sorted(self.datasets.values(), key=lambda d: d["id"])
        fq = params.get("fq", "")
        ids = _ID_FILTER.search(fq)
        if ids:
            wanted = {x.strip().strip('"') for x in ids.group(1).split(" OR ")}
            found = [d for d in found if d["id"] in wanted]
        org = re.search(r"organization:([\w-]+)", fq)
        if org:
            found = [d for d in found if (d.get("organization") or {}).get("name") == org.group(1)]
        start, rows = int(params.get("start", 0)), int(params.get("rows", 10))
        page = found[start:start + rows]
        if params.get("fl") and not self.ignore_fl:
            fields = params["fl"].split(",")
            page = [{f: d.get(f) for f in fields} for d in page]
        result = {"count": len(found), "results": page, "facets": {}, "search_facets": {},
                  "sort": params.get("sort", "score desc, metadata_modified desc")}
        return _send(req, 200, _envelope(action, result=result))


def _envelope(action: str, result=None, error=None) -> bytes:
    body = {"help": f"https://portal.example/api/3/action/help_show?name={action}",
            "success": error is None}
    body["error" if error else "result"] = error or result
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _send(req, status: int, body: bytes):
    req.send_response(status)
    req.send_header("Content-Type", "application/json;charset=utf-8")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)
