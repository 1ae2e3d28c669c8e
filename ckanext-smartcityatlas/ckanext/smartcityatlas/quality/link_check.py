# SPDX-License-Identifier: AGPL-3.0-or-later
"""The link checker: are the resources' URLs still reachable?

A check sends HEAD and, where a server answers HEAD with an error (many
answer 403, 405 or 501 to HEAD while GET works), a GET that reads only the
first chunk. Redirects are followed (at most 5) and every address goes
through the harvesters' SSRF rules (``common/fetch.py``): a URL that
points into the city's internal network is *refused*, not checked (the
portal's own host, ``ckan.site_url``, is allowed).

Outcomes: ``ok``; ``broken`` (an HTTP error, too many redirects);
``unreachable`` (timeout, DNS, connection, HTTP 429; checked again an hour
later and counts as a failing link from the second check in a row, so one
hiccup costs nothing);
``refused``. The
scheduler runs ``run_batch`` on every tick: due resources (never checked,
checked longer ago than ``interval_hours``, or with a changed URL), round
robin over hosts with ``host_delay`` seconds between two requests to the
same host, within ``run_seconds``. A dataset whose links changed between
working and failing is scored again (the "Access URL" criterion counts a
failing link as missing).
"""
from __future__ import annotations

import collections
import dataclasses
import datetime
import logging
import math
import time
import urllib.parse

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.quality import link_store
from ckanext.smartcityatlas.capability import Registry

register = Registry()

log = logging.getLogger(__name__)
USER_AGENT = "SmartCityAtlas-LinkChecker/0.1"
RETRY_WITH_GET = frozenset({400, 403, 404, 405, 406, 410, 500, 501, 502, 503})
# an unreachable link is checked again after this long, to confirm or clear it
RETRY_UNREACHABLE = datetime.timedelta(hours=1)


@dataclasses.dataclass(frozen=True)
class Result:
    status: str  # ok | broken | unreachable | refused
    http_status: int | None = None
    reason: str | None = None
    final_url: str | None = None
    response_ms: int | None = None


def _config(key: str):
    return tk.config.get(f"ckanext.smartcityatlas.linkcheck.{key}")


def check_options(config) -> None:
    """At start: the seconds options are numbers (CKAN 2.11 declares no
    float type), so a typo stops the start naming the option instead of
    failing every link-check tick later."""
    from ckan.exceptions import CkanConfigurationException

    for key, zero_allowed in (("host_delay", True), ("timeout", False), ("run_seconds", False)):
        option = f"ckanext.smartcityatlas.linkcheck.{key}"
        value = config.get(option)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number < 0 or (number == 0 and not zero_allowed):
            raise CkanConfigurationException(
                f"{option} must be a {'non-negative' if zero_allowed else 'positive'} number of seconds, not {value!r}")


def limits() -> fetch.Limits:
    timeout = float(_config("timeout"))
    return fetch.Limits(connect_timeout=timeout, read_timeout=timeout, deadline=2 * timeout,
                        max_bytes=fetch.MB, max_redirects=5, max_retries=0)


def policy() -> fetch.NetworkPolicy:
    """The harvesters' address rules, plus the portal's own host: its own
    downloads are links like any other, wherever the portal runs."""
    base = fetch.NetworkPolicy.from_config()
    own = urllib.parse.urlsplit(tk.config.get("ckan.site_url") or "").hostname
    return dataclasses.replace(base, allowed_hosts=base.allowed_hosts | {own.lower()}) if own else base


def check_url(url: str, network: fetch.NetworkPolicy | None = None, lim: fetch.Limits | None = None) -> Result:
    network = network if network is not None else policy()
    lim = lim or limits()
    started = time.monotonic()
    try:
        response = fetch.fetch(url, lim, policy=network, method="HEAD")
    except fetch.FetchError as exc:
        if exc.status not in RETRY_WITH_GET:
            return _failure(exc, started)
        try:
            response = fetch.fetch(url, lim, policy=network, peek=True)
        except fetch.FetchError as again:
            return _failure(again, started)
    return Result("ok", response.status, None, response.url if response.url != url else None,
                  int(1000 * (time.monotonic() - started)))


def _failure(exc: fetch.FetchError, started: float) -> Result:
    text = str(exc)
    elapsed = int(1000 * (time.monotonic() - started))
    if "non-public address" in text or "only http and https" in text:
        return Result("refused", None, text, None, elapsed)
    if exc.status is not None and exc.status != 429:
        return Result("broken", exc.status, text, None, elapsed)
    if "redirects" in text:
        return Result("broken", None, text, None, elapsed)
    return Result("unreachable", exc.status, text, None, elapsed)


def _host(url: str) -> str:
    return (urllib.parse.urlsplit(url).hostname or "").lower()


def _round_robin(items):
    by_host: dict[str, collections.deque] = collections.OrderedDict()
    for item in items:
        by_host.setdefault(_host(item[2]), collections.deque()).append(item)
    while by_host:
        for host in list(by_host):
            yield by_host[host].popleft()
            if not by_host[host]:
                del by_host[host]


@register.periodic_task("link_check")
def run_batch(limit: int | None = None, now: datetime.datetime | None = None, sleep=time.sleep,
              clock=time.monotonic) -> collections.Counter:
    """Check the due resources (scheduler task); counts per outcome."""
    stats: collections.Counter = collections.Counter()
    if not tk.asbool(_config("enabled")):
        return stats
    now = now or datetime.datetime.utcnow()
    due = link_store.due(now - datetime.timedelta(hours=int(_config("interval_hours"))),
                         limit or int(_config("batch_size")), now - RETRY_UNREACHABLE)
    model.Session.commit()  # no transaction held open while waiting for hosts
    network, lim = policy(), limits()
    delay, budget = float(_config("host_delay")), float(_config("run_seconds"))
    started, last_request, changed = clock(), {}, set()
    for resource_id, package_id, url in _round_robin(due):
        if clock() - started > budget:
            stats["deferred"] += 1
            continue
        host = _host(url)
        wait = delay - (clock() - last_request[host]) if host in last_request else 0
        if wait > 0:
            sleep(wait)
        result = check_url(url, network, lim)
        last_request[host] = clock()
        if link_store.record(resource_id, package_id, url, result, datetime.datetime.utcnow()):
            changed.add(package_id)
        model.Session.commit()
        stats[result.status] += 1
    for package_id in changed:
        rescore(package_id)
    if due:
        log.info("link check: %s", dict(stats))
    return stats


def rescore(package_id: str) -> None:
    from ckanext.smartcityatlas.quality import dataset_quality
    from ckanext.smartcityatlas.quality import conformance

    try:
        pkg = conformance.package_dict(package_id)
    except tk.ObjectNotFound:
        return
    if not conformance.applies_to(pkg):
        return
    found = conformance.stored_findings(package_id)
    dataset_quality.score_and_store(pkg, found["status"] if found else None)
    model.Session.commit()
