# SPDX-License-Identifier: AGPL-3.0-or-later
"""Real catalogue exports (tests/fixtures/harvest/real/) harvested with
``sca_dcat_rdf``: what each import did (upstream, imported, repaired,
degraded, refused, withheld from the DCAT exports) and how each imported
record re-exports (DCAT-AP.de 2.0 with the conventions, 3.0)."""
from __future__ import annotations

from ckan.tests import helpers

from tests.helpers.harvest import FIXTURES, create_source, harvested, run_job

REAL = FIXTURES / "real"
# file → nodes typed dcat:Dataset in it (real/README.md)
UPSTREAM = {
    "sh-opendata-catalog-page50.xml": 100,
    "sh-opendata-with-collection.xml": 8,
    "sh-opendata-two-organizations.xml": 2,
    "sh-opendata-invalid-iri.xml": 1,
    "sh-transparenzportal-catalog.rdf": 37,
    "sh-lasd-collection.rdf": 10,
    "SPEC-EXAMPLE_dcat-ap-de-2.0-RefImp-ADVANCED.rdf": 2,
}
DEGRADED_KINDS = ("degraded", "unmapped", "flagged")
# the page-50 file names page 51 on the web: one page is all there is here
CONFIG = {"max_pages": 1}


def harvest(name: str, org: dict, config: dict | None = None) -> tuple[dict, list[dict]]:
    """Harvest one real file (a file: source of a sysadmin); the job's report and the datasets."""
    slug = name.lower().replace("_", "-").replace(".", "-")[:60]
    source = create_source((REAL / name).as_uri(), org, config={**CONFIG, **(config or {})}, name=slug)
    report = run_job(source)
    return report, harvested(source["id"])


def tally(name: str, report: dict, datasets: list[dict]) -> dict:
    """What the import of one file did, by record."""
    imported = {d["id"] for d in datasets}
    records = [r for r in report["records"] if r["package_id"] in imported]
    kinds = [{n["kind"] for n in r["notes"]} for r in records]
    return {
        "file": name, "upstream": UPSTREAM[name], "imported": len(imported),
        "repaired": sum("repair" in k for k in kinds),
        "degraded": sum(bool(k & set(DEGRADED_KINDS)) for k in kinds),
        "refused": UPSTREAM[name] - len(imported),
        "reasons": sorted({n["message"] for r in report["records"] if r["package_id"] not in imported
                           for n in r["notes"] if n["kind"] == "error"}
                          | {m for m in report["gather"] if m.startswith("[error]")}),
    }


def in_catalog(app, source_id: str) -> int:
    """How many of the source's records /catalog.ttl lists (one page of 100;
    needs ckanext.smartcityatlas.dcat.export_harvested)."""
    import rdflib
    from rdflib.namespace import DCAT, RDF

    body = app.get("/catalog.ttl", query_string={"fq": f"harvest_source_id:{source_id}"}, status=200).body
    return len(set(rdflib.Graph().parse(data=body, format="turtle").subjects(RDF.type, DCAT.Dataset)))


def reexport(app, datasets: list[dict]) -> dict[str, dict]:
    """name → violations of /dataset/<id>.ttl in v2.0-spec-konventionen
    and v3.0-spec (``withheld`` when the export answers 404)."""
    from ckanext.smartcityatlas.dcat import shacl

    out = {}
    for dataset in datasets:
        url = f"/dataset/{dataset['id']}.ttl"
        first = app.get(url)
        if first.status_code == 404:
            out[dataset["name"]] = {"withheld": True}
            continue
        assert first.status_code == 200, (url, first.status_code)
        v2 = shacl.validate(first.body, "v2.0-spec-konventionen")
        v3 = shacl.validate(app.get(url, query_string={"profiles": "sca_dcatap_de_3"}, status=200).body,
                            "v3.0-spec")
        out[dataset["name"]] = {"withheld": False, "v2": len(v2.violations), "v3": len(v3.violations),
                                "summary": (v2.summary() if v2.violations else "")
                                + (v3.summary() if v3.violations else "")}
    return out


def table(rows: list[dict]) -> str:
    """The per-file figures as a table (printed by the test)."""
    head = ("file", "upstream", "imported", "repaired", "degraded", "refused", "withheld", "v2 viol.", "v3 viol.")
    lines = [" | ".join(head)]
    for row in rows:
        lines.append(" | ".join(str(row.get(key, "")) for key in
                                ("file", "upstream", "imported", "repaired", "degraded", "refused", "withheld",
                                 "v2", "v3")))
    lines.append(" | ".join(["total"] + [str(sum(r.get(k, 0) for r in rows))
                                         for k in ("upstream", "imported", "repaired", "degraded", "refused",
                                                   "withheld", "v2", "v3")]))
    return "\n".join(lines)


def stored_findings(dataset_id: str) -> dict:
    return helpers.call_action("sca_validation_show", {"ignore_auth": True}, id=dataset_id)
