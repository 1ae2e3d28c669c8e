# SPDX-License-Identifier: AGPL-3.0-or-later
"""The end of a harvest job's imports, recognised once, with any number of
fetch consumers.

A job's last record triggers work deferred during the job (the harvester's
``job_imported``, e.g. the radar's reindex of partner actors) and one Solr
commit. Whoever imports a record asks whether the job's other records are
done (``others_unfinished``). With several consumers, two records finishing
at the same moment each see the other still importing, inside their import,
so the consumer asks once more after the record's state is committed
(``after_object``): of two consumers that both committed before asking, the
later one sees every record done. A Redis key per job makes sure that only
one of them, once, runs the end.
"""
from __future__ import annotations

import json
import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.lib.search.common import make_connection

from ckanext.harvest.model import HarvestObject

from ckanext.smartcityatlas.harvesters import worker as harvest_worker

log = logging.getLogger(__name__)

UNFINISHED = ("WAITING", "FETCH", "IMPORT")
# a job's end is claimed for this long (a job never runs for a week)
CLAIM_SECONDS = 7 * 24 * 3600
# job id → ids of its objects this process has not yet seen finished (the
# last few jobs: a consumer may take objects of several running jobs in turn)
_unfinished: dict[str, list[str]] = {}
_UNFINISHED_JOBS_KEPT = 8


def claim_key(job_id: str) -> str:
    return f"{tk.config.get('ckan.site_id')}:sca:harvest:job-end:{job_id}"


def others_unfinished(obj) -> bool:
    """Whether another object of ``obj``'s job is still to be imported.

    A job's objects only ever leave the unfinished states, so the ids still
    unfinished are read once per job and process, and each call asks the
    database about a few of them by primary key, dropping those finished
    meanwhile (by any consumer). Asking for the job's unfinished objects
    each time read most of the job's rows near its end (1.4 ms per record
    with 5,000)."""
    ids = _unfinished.get(obj.harvest_job_id)
    if ids is None:
        ids = [r[0] for r in model.Session.query(HarvestObject.id)
               .filter(HarvestObject.harvest_job_id == obj.harvest_job_id)
               .filter(HarvestObject.state.in_(UNFINISHED)).order_by(HarvestObject.id)]
        while len(_unfinished) >= _UNFINISHED_JOBS_KEPT:
            del _unfinished[next(iter(_unfinished))]  # the job seen first
        _unfinished[obj.harvest_job_id] = ids
    while ids:
        batch = [i for i in ids[:20] if i != obj.id]
        still = {r[0] for r in model.Session.query(HarvestObject.id)
                 .filter(HarvestObject.id.in_(batch), HarvestObject.state.in_(UNFINISHED))} if batch else set()
        if still:
            ids[:20] = [i for i in ids[:20] if i in still or i == obj.id]
            return True
        del ids[:20]
    return False


def finish(obj, job_imported=None) -> bool:
    """The job's records are all imported: stop this process's worker and,
    if nobody did yet, run ``job_imported(obj)`` and commit the index.
    True when this call ran the end."""
    harvest_worker.stop()  # forked again for the next job
    if not connect_to_redis().set(claim_key(obj.harvest_job_id), "1", nx=True, ex=CLAIM_SECONDS):
        return False
    if job_imported is not None:
        job_imported(obj)
    if tk.asbool(tk.config.get("ckan.search.solr_commit")):
        # like CKAN's own commits: wait until the records are searchable
        make_connection().commit(waitSearcher=True)
    return True


def after_object(body) -> None:
    """A fetch consumer finished a queue message (its object's state is
    committed): end the job if this was its last record and the import
    itself could not tell."""
    try:
        object_id = json.loads(body)["harvest_object_id"]
        obj = HarvestObject.get(object_id)
        if obj is None or obj.state in UNFINISHED or others_unfinished(obj):
            return
        harvester = _harvester(obj.source.type)
        finish(obj, getattr(harvester, "end_of_job", None))
    except Exception:  # noqa: BLE001 - the consumer goes on; the next job's end repeats deferred work
        log.exception("harvest: ending the job of message %r failed", body)
    finally:
        model.Session.remove()


def _harvester(source_type: str):
    from ckan.plugins import PluginImplementations

    from ckanext.harvest.interfaces import IHarvester

    for harvester in PluginImplementations(IHarvester):
        if harvester.info()["name"] == source_type:
            return harvester
    return None
