# SPDX-License-Identifier: AGPL-3.0-or-later
"""Each dataset's RDF built in the background, so catalog pages find it stored.

What changes a dataset's RDF (``record_key``) queues its datasets:

- a dataset saved, deleted or made private: the change hook marks the
  session, and after the commit its id joins a Redis set;
- an organisation edited (its functional contact goes into its datasets
  without one): all its datasets;
- the site's inputs (configuration, city, the code after an upgrade): the
  scheduler's task sees a new site fingerprint and queues every dataset.

One job is queued for all of them (debounced as the atlas open data: ids
arriving while a job waits join it). The job reads the datasets as an
anonymous visitor does, through the catalog's filter, builds every stored
format of the profiles in ``ckanext.smartcityatlas.dcat.record_cache_profiles``
(``record_cache.refresh``) and drops the texts of datasets that left the
catalog. Nothing here decides what a page shows: a text that is missing or
stale when a page is requested is built then.
"""
from __future__ import annotations

import logging
import time
import uuid
from typing import Iterable

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import after_commit
from ckanext.smartcityatlas.dcat import catalog, record_cache, record_key, record_store

log = logging.getLogger(__name__)

register = Registry()

PENDING = "sca:dcat_record:pending"  # dataset ids, "org:<id>", or EVERYTHING
QUEUED = "sca:dcat_record:queued"  # a job is waiting
QUEUED_TTL = 3600
SITE = "sca:dcat_record:site"  # the site fingerprint the last full build was queued for
# What a running job took from PENDING, until it is done (+ a token per job),
# and the job's lease: taken ids without a lease belong to a job whose
# worker died (kill -9, OOM); the scheduler's task puts them back.
TAKEN = "sca:dcat_record:taken:"
LEASE = "sca:dcat_record:lease:"
# the tokens of the jobs that took something: the scheduler's check reads
# this set instead of scanning the whole Redis database every tick
TOKENS = "sca:dcat_record:tokens"
EVERYTHING = "*"
ORG = "org:"
BATCH = 200
ID_PAGE = 1000
# a job's share of the worker (CKAN's job timeout is 180 s by default)
JOB_SECONDS = 60
LEASE_SECONDS = 5 * JOB_SECONDS  # past CKAN's job timeout, the job is surely over
# what ckanext-dcat's catalog search leaves out itself
STOCK_EXCLUDED = ("-dataset_type:harvest", "-dataset_type:showcase")


def profiles() -> list[str]:
    return (tk.config.get("ckanext.smartcityatlas.dcat.record_cache_profiles") or "").split()


# ---- what to build ------------------------------------------------------------

def on_entity_change(entity, operation: str) -> None:
    """Change hook (before the commit): the dataset is queued after the commit."""
    if getattr(entity, "type", None) in catalog.ENTITY_TYPES or not record_cache.enabled():
        return
    after_commit.remember("dcat_records", entity.id, request)


@register.action
@tk.chained_action
def organization_update(up, context, data_dict):
    """An office's contact goes into its datasets' RDF: build them again."""
    result = up(context, data_dict)
    if record_cache.enabled() and profiles():
        try:
            request([ORG + result["id"]])
        except Exception:
            log.exception("could not queue the DCAT record build of organisation %s", result["id"])
    return result


@register.periodic_task("dcat_record_cache")
def queue_after_site_change() -> bool:
    """Scheduler task: after a change of the site's inputs (an upgrade, the
    configuration, the city) build every dataset again, and take back what
    died with a worker; True if a job was queued."""
    from ckan.lib.redis import connect_to_redis

    if not (record_cache.enabled() and profiles()):
        return False
    recovered = recover_from_dead_jobs()
    site = record_key.site_fingerprint() + " ".join(profiles())
    redis = connect_to_redis()
    if redis.get(SITE) == site.encode():
        return recovered
    request([EVERYTHING])
    redis.set(SITE, site)
    return True


def recover_from_dead_jobs() -> bool:
    """Put the ids of jobs whose lease ran out back into PENDING; True if a job was queued."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    orphaned = set()
    for token in redis.smembers(TOKENS):
        token = token.decode() if isinstance(token, bytes) else token
        if redis.exists(LEASE + token):
            continue  # its job is still running
        orphaned |= {m.decode() for m in redis.smembers(TAKEN + token)}
        with redis.pipeline() as pipe:
            pipe.delete(TAKEN + token)
            pipe.srem(TOKENS, token)
            pipe.execute()
    if orphaned:
        log.warning("a DCAT record job died with %d target(s); queued again", len(orphaned))
    return request(orphaned)


def request(targets: Iterable[str]) -> bool:
    """Add dataset ids (or ``org:<id>``, ``*``) to the pending set and queue
    one job unless one is waiting; True if a job was queued."""
    from ckan.lib.redis import connect_to_redis

    targets = list(targets)
    if not targets or not profiles():
        return False
    with connect_to_redis().pipeline(transaction=False) as pipe:  # one round trip per save
        pipe.sadd(PENDING, *targets)
        pipe.set(QUEUED, "1", nx=True, ex=QUEUED_TTL)
        _added, queue = pipe.execute()
    if not queue:
        return False
    tk.enqueue_job(build_job, title="Smart City Atlas: build the DCAT RDF of changed datasets")
    return True


# ---- the job ------------------------------------------------------------------

def build_job() -> None:
    """The background job: take the pending set (what arrives later queues
    the next job); what does not fit into ``JOB_SECONDS`` goes back to it
    for the next job, so other jobs run in between and none hits the worker's timeout."""
    from ckan.lib.redis import connect_to_redis

    redis = connect_to_redis()
    redis.delete(QUEUED)
    token, members = take()
    left = build(members, seconds=JOB_SECONDS)["left"]
    request(left)
    with redis.pipeline() as pipe:
        pipe.delete(TAKEN + token, LEASE + token)
        pipe.srem(TOKENS, token)
        pipe.execute()


def take() -> tuple[str, set[str]]:
    """Move the pending set to this job's TAKEN set under a lease, at once."""
    from ckan.lib.redis import connect_to_redis

    token = uuid.uuid4().hex
    with connect_to_redis().pipeline() as pipe:  # MULTI
        pipe.set(LEASE + token, "1", ex=LEASE_SECONDS)
        pipe.sadd(TOKENS, token)
        pipe.smembers(PENDING)
        pipe.sunionstore(TAKEN + token, [PENDING])
        pipe.delete(PENDING)
        _, _, members, _, _ = pipe.execute()
    return token, {m.decode() for m in members}


def build(targets: set[str], seconds: float | None = None) -> dict:
    """Build the stored RDF of the targets' datasets in every warmed profile,
    within ``seconds`` if given; counts of datasets read, built and dropped,
    and the dataset ids ``left`` for later."""
    from ckanext.dcat.processors import RDFSerializer

    deadline = time.monotonic() + seconds if seconds else None
    serializers = [RDFSerializer(profiles=[name]) for name in profiles()]
    serializers = [s for s in serializers if record_cache.cacheable(s)]
    ids, dropped = _dataset_ids(targets)
    todo = sorted(ids)
    read = built = 0
    while todo and not (deadline and time.monotonic() > deadline):
        batch, todo = todo[:BATCH], todo[BATCH:]
        datasets = _catalog_datasets("id:(" + " OR ".join(f'"{i}"' for i in batch) + ")", BATCH)["results"]
        read += len(datasets)
        for serializer in serializers:
            built += record_cache.refresh(serializer, datasets)
        dropped += record_store.delete(set(batch) - {d["id"] for d in datasets})
    log.info("DCAT record cache: %d datasets read, %d built, %d texts dropped, %d left for the next job",
             read, built, dropped, len(todo))
    return {"read": read, "built": built, "dropped": dropped, "left": set(todo)}


def _dataset_ids(targets: set[str]) -> tuple[set[str], int]:
    """The dataset ids the targets stand for (an organisation's datasets,
    the whole catalog), and how many texts of datasets no longer in the
    catalog were dropped on the way (a whole-catalog target)."""
    ids = {t for t in targets if t != EVERYTHING and not t.startswith(ORG)}
    queries = [f'owner_org:"{t[len(ORG):]}"' for t in targets if t.startswith(ORG)]
    if EVERYTHING in targets:
        queries = [None]
    for query in queries:
        start = 0
        while True:
            page = _catalog_datasets(query, ID_PAGE, start, fl=["id"])
            ids.update(row["id"] for row in page["results"])
            start += ID_PAGE
            if start >= page["count"] or not page["results"]:
                break
    dropped = record_store.delete(record_store.stored_ids() - ids) if EVERYTHING in targets else 0
    return ids, dropped


def _catalog_datasets(query: str | None, rows: int, start: int = 0, fl: list[str] | None = None) -> dict:
    """The catalog's datasets (matching ``query``) as an anonymous visitor gets them."""
    search = {"q": "*:*", "fq": catalog.restricted_fq(query), "fq_list": list(STOCK_EXCLUDED), "rows": rows,
              "start": start, "sort": "id asc"}
    if fl:
        search["fl"] = fl
    return tk.get_action("package_search")({"user": "", "ignore_auth": False}, search)
