# SPDX-License-Identifier: AGPL-3.0-or-later
"""Real catalogue exports of German portals (tests/fixtures/harvest/real/)
through ``sca_dcat_rdf``: every dataset of every file is imported (repaired
or degraded, never lost for a fixable reason), and every imported record
re-exports without a DCAT-AP.de violation (2.0 with the conventions, 3.0) or
is flagged and absent from the DCAT exports."""
import pytest

from tests.helpers.harvest import run_job
from tests.helpers.local_server import ALLOW_LOCAL
from tests.helpers.real_catalogs import UPSTREAM, harvest, in_catalog, reexport, table, tally

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL,
              pytest.mark.ckan_config("ckanext.smartcityatlas.dcat.export_harvested", "true")]


def test_every_real_dataset_is_imported_and_reexports_valid_or_withheld(app, harvest_org, capsys):
    rows, problems = [], {}
    for name in UPSTREAM:
        report, datasets = harvest(name, harvest_org)
        row = tally(name, report, datasets)
        exports = reexport(app, datasets)
        row["withheld"] = sum(e["withheld"] for e in exports.values())
        # what /dataset/<id>.ttl withholds, the catalog leaves out too
        assert in_catalog(app, report["source_id"]) == row["imported"] - row["withheld"], name
        row["v2"] = sum(e.get("v2", 0) for e in exports.values())
        row["v3"] = sum(e.get("v3", 0) for e in exports.values())
        rows.append(row)
        invalid = {k: e["summary"] for k, e in exports.items() if not e["withheld"] and (e["v2"] or e["v3"])}
        if row["refused"] or invalid:
            problems[name] = {"refused": row["reasons"], "invalid": invalid}
    with capsys.disabled():
        print("\n" + table(rows))
    assert problems == {}


def test_a_real_page_harvested_again_is_unchanged(harvest_org):
    """Places given as GeoJSON and WKT, distributions as blank nodes, an
    old namespace: the same page builds the same records every time."""
    name = "sh-opendata-catalog-page50.xml"
    report, datasets = harvest(name, harvest_org)
    assert report["stats"]["added"] == 100
    again = run_job({"id": report["source_id"], "source_type": "sca_dcat_rdf"})
    assert again["stats"]["not modified"] == 100 and again["stats"]["updated"] == 0, again["messages"][:5]
