# SPDX-License-Identifier: AGPL-3.0-or-later
"""Neighbours of a harvest job's records reindexed once, when the job ends.

A saved project changes the index documents of the actors it names
(``entities.relations``: the actors list its id). Reindexing them after
every project costs most of a radar run (an actor named by 200 projects
would be reindexed 200 times), so during a job the base only collects
them (``collecting``, around each record's import) in a Redis set per job:
a job's objects may be imported by several consumers. The set is reindexed
once

* when the job's last record has been imported (``job_ended``, called by
  the base before the job's one Solr commit), and
* when a job ends any other way: ``harvest_jobs_run`` marks it finished
  (also after a timeout, e.g. a consumer that died mid-job) or
  ``harvest_job_abort`` stops it; both are chained here and reindex the
  sets of every job that is no longer running, so the records saved before
  an interruption have their neighbours right, too.
"""
from __future__ import annotations

import contextlib
import logging

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.entities import relations

register = Registry()
log = logging.getLogger(__name__)

KEY_TTL = 7 * 24 * 3600  # a job that never ends leaves no set behind for long


def job_key(job_id: str) -> str:
    return f"{tk.config.get('ckan.site_id')}:sca:harvest:neighbour-reindex:{job_id}"


@contextlib.contextmanager
def collecting(job_id: str):
    """Around one record's import: the actors its save would reindex go into
    the job's set instead (also when the import fails after a save)."""
    with relations.collected_actor_reindex() as ids:
        try:
            yield
        finally:
            if ids:
                redis = connect_to_redis()
                redis.sadd(job_key(job_id), *sorted(ids))
                redis.expire(job_key(job_id), KEY_TTL)


def reindex_jobs(job_ids) -> int:
    """Reindex the collected neighbours of these jobs (each once); the number of actors reindexed."""
    redis = connect_to_redis()
    keys = [job_key(job_id) for job_id in job_ids]
    if not keys:
        return 0
    ids = set()
    for key in keys:
        ids |= {i.decode() if isinstance(i, bytes) else i for i in redis.smembers(key)}
    count = relations.reindex_actors(ids)
    redis.delete(*keys)
    return count


def ended_jobs() -> list[str]:
    """Jobs with a collected set that no longer run (finished, aborted, timed out, or gone)."""
    from ckanext.harvest.model import HarvestJob

    ended = []
    for key in connect_to_redis().scan_iter(match=job_key("*"), count=1000):
        job_id = (key.decode() if isinstance(key, bytes) else key).rsplit(":", 1)[-1]
        job = HarvestJob.get(job_id)
        if job is None or job.status == "Finished":
            ended.append(job_id)
    return ended


def job_ended(job_id: str) -> None:
    """The job's last record is imported: its neighbours, and those of jobs
    whose end nobody saw (two consumers finishing at once each see the other
    still running)."""
    reindex_jobs({job_id, *ended_jobs()})


def _reindex_ended(what: str) -> None:
    try:
        count = reindex_jobs(ended_jobs())
    except Exception:  # noqa: BLE001 - the job's own state change is done; the next end retries
        log.exception("harvest: reindexing the neighbours of ended jobs after %s failed", what)
        return
    if count and tk.asbool(tk.config.get("ckan.search.solr_commit")):
        from ckan.lib.search.common import make_connection

        make_connection().commit(waitSearcher=True)


def _then_reindex_ended(action: str, doc: str):
    """A chain of ckanext-harvest's ``action`` that, once it ran, reindexes
    the neighbours collected by jobs that no longer run."""
    def chained(up, context, data_dict):
        result = up(context, data_dict)
        _reindex_ended(action)
        return result

    chained.__name__, chained.__doc__ = action, doc
    # ckanext-harvest's actions: chained only while its plugin is loaded
    return register.action(when_plugin="harvest")(tk.chained_action(chained))


harvest_jobs_run = _then_reindex_ended(
    "harvest_jobs_run", "ckanext-harvest's: also reindexes the neighbours collected by the jobs it marked finished.")
harvest_job_abort = _then_reindex_ended(
    "harvest_job_abort", "ckanext-harvest's: the records an aborted job saved have their neighbours reindexed too.")
