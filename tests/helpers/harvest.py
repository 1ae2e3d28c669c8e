# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest sources and jobs: a job's stages run in-process as ckanext-harvest's
own tests do (gather, fetch+import per object, then harvest_jobs_run), on the
real stack; the job's report, its messages and the harvested datasets; the
pages of a DCAT-AP.de catalogue in Turtle as a source serves them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import ckan.plugins as p
from ckan.tests import factories, helpers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest"


def create_source(url: str, org: dict, config: dict | None = None, name: str = "musterstadt",
                  user: dict | None = None, source_type: str = "sca_dcat_rdf", frequency: str = "MANUAL") -> dict:
    user = user or factories.Sysadmin()
    return helpers.call_action(
        "harvest_source_create", context={"user": user["name"]},
        name=name, title=f"Quelle {name}", url=url, source_type=source_type,
        owner_org=org["id"], config=json.dumps(config or {}), frequency=frequency)


def run_job(source: dict, plugin: str | None = None) -> dict:
    """Run one harvest job of ``source`` in-process; the job's report.
    ``plugin``: the harvester's plugin name when it differs from its source type."""
    from ckanext.harvest.model import HarvestJob, HarvestSource
    from ckanext.harvest.tests.lib import run_harvest_job

    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    run_harvest_job(job, p.get_plugin(plugin or source.get("source_type") or "sca_dcat_rdf"))
    report = helpers.call_action("sca_harvest_job_report", {"ignore_auth": True}, id=job.id)
    stock = helpers.call_action("harvest_job_report", {"ignore_auth": True}, id=job.id)
    return {**report, "stock": stock, "messages": messages(report)}


def refused_config(source_type: str, org: dict, config: str) -> str:
    """The error a harvest source with this configuration gets at creation (it must get one)."""
    import ckan.plugins.toolkit as tk

    with pytest.raises(tk.ValidationError) as exc:
        helpers.call_action("harvest_source_create", context={"user": factories.Sysadmin()["name"]},
                            name="q", title="Q", url="https://stadt.example/quelle", source_type=source_type,
                            owner_org=org["id"], config=config)
    return json.dumps(exc.value.error_dict, ensure_ascii=False)


def reexport_violations(app, datasets: dict) -> dict:
    """key → DCAT-AP.de violations of each dataset's /dataset/<id>.ttl and of
    its stored findings (v2.0-spec-konventionen); empty when all are valid.
    A record the import flagged as lacking what DCAT-AP.de requires must be
    absent from the export instead (404) and carry that finding."""
    from ckanext.smartcityatlas.dcat import import_flags, shacl

    failures = {}
    for key, dataset in datasets.items():
        response = app.get(f"/dataset/{dataset['id']}.ttl")
        stored = helpers.call_action("sca_validation_show", {"ignore_auth": True}, id=dataset["id"])
        if response.status_code == 404:
            if not any(v.get("code") == import_flags.MISSING for v in stored["violations"]):
                failures[f"{key} (withheld, not flagged)"] = stored["violations"]
            continue
        result = shacl.validate(response.body, "v2.0-spec-konventionen")
        if result.violations:
            failures[key] = result.summary()
        if not stored["conforms"]:
            failures[f"{key} (stored)"] = stored["violations"]
    return failures


def messages(report: dict) -> list[str]:
    out = list(report["gather"])
    for record in report["records"]:
        out.extend(f"[{n['kind']}] {n['message']}" for n in record["notes"])
    return out


def harvested(source_id: str, include_private: bool = True) -> list[dict]:
    result = helpers.call_action(
        "package_search", {"ignore_auth": True}, fq=f"+harvest_source_id:{source_id}",
        rows=1000, include_private=include_private)
    return result["results"]


PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""


def record(slug, title="Datensatz", identifier=None, contact_email=True, licence="dl-by-de/2.0"):
    ident = f'dct:identifier "{identifier}" ;' if identifier else ""
    email = '; vcard:hasEmail <mailto:opendata@stadt.example>' if contact_email else ""
    return f"""
<https://stadt.example/dataset/{slug}> a dcat:Dataset ;
  dct:title "{title} {slug}"@de ; dct:description "Beschreibung von {slug}: Straßen und Plätze."@de ;
  {ident}
  dct:publisher [ a foaf:Organization ; foaf:name "Stadtverwaltung" ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open-Data-Team" {email} ] ;
  dcat:distribution <https://stadt.example/dataset/{slug}/csv> .
<https://stadt.example/dataset/{slug}/csv> a dcat:Distribution ;
  dcat:accessURL <https://stadt.example/files/{slug}.csv> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
  dct:license <http://dcat-ap.de/def/licenses/{licence}> .
"""


def page(*records, next_page=None):
    paging = f'<https://stadt.example/catalog> a hydra:PagedCollection ; hydra:nextPage "{next_page}" .' \
        if next_page else ""
    return PREFIXES + "".join(records) + paging
