# SPDX-License-Identifier: AGPL-3.0-or-later
"""End to end: a paged 30-record catalog (Turtle, RDF/XML, JSON-LD pages)
harvested from a local HTTP server through the real stack."""
import json

import pytest

from ckan.tests import helpers

from ckanext.smartcityatlas.dcat import validation
from tests.harvest.conftest import ALLOW_LOCAL, create_source, harvested, run_job

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]


def _by_slug(datasets):
    return {d["sca_original_uri"].rsplit("/", 1)[-1]: d for d in datasets}


def test_paged_catalog_harvests_repairs_and_validates(app, server, harvest_org):
    server.serve_catalog()
    source = create_source(server.url("/catalog-p1.ttl"), harvest_org)
    report = run_job(source)
    stats = report["stats"]
    assert stats.get("added") == 28, report["messages"]
    # only what needs a person counts as an error in ckanext-harvest's report
    needs_attention = {r["guid"] for r in report["records"]
                       if any(n["kind"] in ("error", "violation", "unmapped") for n in r["notes"])}
    assert stats.get("errored") == len(needs_attention)
    messages = report["messages"]
    # the two records that cannot be repaired are reported, not dropped silently
    assert any("Alle Rechte vorbehalten" in m and m.startswith("[error]") for m in messages)
    assert any("no description" in m for m in messages)
    # repairs are listed per record: field, from → to
    assert any(m.startswith("[repair] license: 'CC BY 4.0' → 'cc-by/4.0'") or
               "'CC BY 4.0' → 'cc-by/4.0'" in m for m in messages), messages
    assert any("'http://publications.europa.eu/resource/authority/file-type/WMS' → 'WMS_SRVC'" in m
               for m in messages)
    assert any("frequency: 'http://publications.europa.eu/resource/authority/frequency/IRREGULAR' → 'IRREG'"
               in m for m in messages)
    assert any("language: 'http://publications.europa.eu/resource/authority/language/GER' → 'DEU'"
               in m for m in messages)
    assert any("'Datenlizenz Deutschland – Namensnennung – Version 2.0' → 'dl-by-de/2.0'" in m
               for m in messages)
    assert any("'01.03.2021' → '2021-03-01'" in m for m in messages)
    assert any(m.startswith("[unmapped] modified: '2024-13-45T25:00:00'") for m in messages)

    datasets = _by_slug(harvested(source["id"]))
    assert len(datasets) == 28
    baum = helpers.call_action("package_show", id=datasets["baumkataster"]["id"])
    assert baum["title"] == "Baumkataster"
    assert baum["sca_original_identifier"] == "urn:de:musterstadt:opendata:baumkataster"
    assert baum["sca_harvest_source"] == source["id"]
    assert baum["sca_harvested_at"]
    assert {r["format"] for r in baum["resources"]} == {"CSV", "GeoJSON", "WMS"}
    assert baum["frequency"] == "IRREG" and baum["language"] == ["DEU"]
    assert baum["tags"] and {t["name"] for t in baum["tags"]} == {"Bäume", "Stadtgrün"}

    failures = {}
    for slug, dataset in datasets.items():
        ttl = app.get(f"/dataset/{dataset['id']}.ttl", status=200).body
        result = validation.validate(ttl, "v2.0-spec-konventionen")
        if result.violations:
            failures[slug] = result.summary()
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
