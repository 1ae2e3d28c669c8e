# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the smart-city monitor reads from the portal, always as an
anonymous visitor sees it (the public view): records through
``package_search`` with the anonymous context (Solr's permission labels
leave out private records), sensor tables through ``datastore_search``
with the same context, and only stored figures of those public records
(quality scores, DCAT-AP.de findings). Data requests are public as a whole
(the requesters' addresses are never read)."""
from __future__ import annotations

import datetime
import json
import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.smartcityatlas.common.ids import resource_id

log = logging.getLogger(__name__)

PAGE = 1000
# more records than any city portal holds; the monitor stops reading there
MAX_RECORDS = 100_000
# a sensor dataset counts for a district when its district table has a day
# within this many days (today included)
ACTIVE_DAYS = 7
SENSOR_TABLE_KEY = "daily-district"
SENSOR_TABLE_NAME = "Tageswerte je Stadtteil"


def public_context() -> dict:
    """An anonymous visitor's action context, also in the scheduler and CLI."""
    return {"user": "", "auth_user_obj": None, "ignore_auth": False}


def _search(params: dict) -> dict:
    return tk.get_action("package_search")(public_context(), {"include_private": False, **params})


def _all(fq: str, **params) -> list[dict]:
    out: list[dict] = []
    while len(out) < MAX_RECORDS:
        found = _search({"fq": fq, "rows": PAGE, "start": len(out), "sort": "id asc", **params})
        out.extend(found["results"])
        if len(found["results"]) < PAGE or len(out) >= found["count"]:
            break
    return out


def facet_counts(fq: str, field: str) -> list[dict]:
    """[{name, display_name, count}] of ``field`` over the public records of ``fq``."""
    found = _search({"fq": fq, "rows": 0, "facet.field": json.dumps([field]), "facet.limit": -1})
    return (found.get("search_facets") or {}).get(field, {}).get("items", [])


def count(fq: str) -> int:
    return _search({"fq": fq, "rows": 0})["count"]


def projects() -> list[dict]:
    """The public project records (measures, projects, activities, topics)."""
    return _all("+dataset_type:project")


def datasets() -> list[dict]:
    """id and organization (name) of every public dataset."""
    return _all("+dataset_type:dataset", fl=["id", "organization"])


def quality_scores(package_ids: list[str]) -> dict[str, int]:
    """The stored quality score of each of these datasets that has one."""
    from ckanext.smartcityatlas.quality.quality_store import quality

    out: dict[str, int] = {}
    for start in range(0, len(package_ids), PAGE):
        found = model.Session.execute(sa.select(quality.c.package_id, quality.c.score).where(
            quality.c.package_id.in_(package_ids[start:start + PAGE])).where(quality.c.score.isnot(None)))
        out.update({row.package_id: row.score for row in found})
    return out


def validation_statuses(package_ids: list[str]) -> dict[str, str]:
    """The stored DCAT-AP.de validation status of each of these datasets that has one."""
    from ckanext.smartcityatlas.quality.conformance_store import validation

    out: dict[str, str] = {}
    for start in range(0, len(package_ids), PAGE):
        found = model.Session.execute(sa.select(validation.c.package_id, validation.c.status).where(
            validation.c.package_id.in_(package_ids[start:start + PAGE])))
        out.update({row.package_id: row.status for row in found})
    return out


def _district_table(pkg: dict) -> str | None:
    wanted = resource_id(pkg["id"], SENSOR_TABLE_KEY)
    for res in pkg.get("resources") or []:
        if res.get("id") == wanted or (res.get("name") == SENSOR_TABLE_NAME and res.get("url_type") == "datastore"):
            return res["id"]
    return None


def sensor_districts(today: datetime.date) -> dict[str, int]:
    """{district name: number of public sensor datasets with a daily value
    there within ACTIVE_DAYS}; read from the datasets' "daily values per
    district" DataStore tables as a visitor reads them."""
    if not p.plugin_loaded("datastore"):
        return {}
    days = [(today - datetime.timedelta(days=n)).isoformat() for n in range(ACTIVE_DAYS)]
    out: dict[str, int] = {}
    for pkg in _all("+sca_sensor_source:*"):
        table = _district_table(pkg)
        if table is None:
            continue
        try:
            found = tk.get_action("datastore_search")(public_context(), {
                "resource_id": table, "filters": {"day": days}, "fields": ["district"], "distinct": True,
                "limit": 32000, "include_total": False})
        except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as exc:
            log.info("monitor: sensor table %s not read: %s", table, exc)
            continue
        for name in {r["district"] for r in found["records"] if r.get("district")}:
            out[name] = out.get(name, 0) + 1
    return out


def datarequests() -> list[dict]:
    """status, created, updated and answered of every data request."""
    from ckanext.smartcityatlas.datarequests.store import datarequest

    found = model.Session.execute(sa.select(datarequest.c.status, datarequest.c.created, datarequest.c.updated,
                                            datarequest.c.answered))
    return [dict(r) for r in found.mappings()]
