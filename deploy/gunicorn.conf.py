# SPDX-License-Identifier: AGPL-3.0-or-later
"""gunicorn settings of the portal: the native stack (`deploy/sca up`), the
container image and the load bench use this one file.

    CKAN_INI=/path/ckan.ini gunicorn -c deploy/gunicorn.conf.py

Environment (all optional):
  SCA_WEB_BIND        address to listen on (default 127.0.0.1:5000)
  SCA_WEB_WORKERS     worker processes (default "auto": one per CPU core, plus one)
  SCA_WEB_THREADS     threads per worker (default "auto": 1, sync workers)
  SCA_WEB_ACCESS_LOG  access log file ("-" = standard output; default: none)
  SCA_FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-Proto (default 127.0.0.1)

Why these defaults (deploy/sca bench load, docs/performance.md): one sync
worker per core plus one keeps two cores busy (98 %) while a request waits
for Solr or PostgreSQL; every further worker made each request dearer (4
workers: 20.2 ms of server CPU per request and 79 requests/s, 3 workers:
16.5 ms and 97 requests/s, 2 workers: 15.2 ms and 96 requests/s at 90 %
busy; 2026-12-06, 50 clients), because CKAN's large working set is evicted
from the caches when more workers than cores take turns. Threads in a
worker share its GIL: 3 workers × 8 threads gave 75 requests/s and twice
the p95 of sync workers, so threads are opt-in (SCA_WEB_THREADS, e.g. for
many slow clients without a buffering proxy in front; CSRF and CKAN's
registries are thread-safe here). A sync worker is held by a slow request:
put the portal behind a buffering reverse proxy (docs/production.md) and raise
SCA_WEB_WORKERS for many slow exports. Each worker holds a full CKAN (about
250 MB).
"""
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value in ("", "auto"):
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise SystemExit(f"{name} must be at least 1, not {number}")
    return number


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


wsgi_app = "ckanext.smartcityatlas.platform.wsgi:application"
bind = os.environ.get("SCA_WEB_BIND", "127.0.0.1:5000")
workers = _int("SCA_WEB_WORKERS", _cores() + 1)
threads = _int("SCA_WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# uploads and DCAT exports of large catalogs may take longer than the default 30 s
timeout = 120
# running requests finish on reload (HUP) and stop (TERM)
graceful_timeout = 30
# recycle workers against slow memory growth; the jitter keeps them from restarting together.
# Rarely: a new worker loads all of CKAN (seconds of CPU) and starts with cold caches; at 2,000
# every worker restarted about every 25 s under the load bench and cost 15 % of the server's CPU.
max_requests = 20000
max_requests_jitter = 2000
# keep-alive for browsers loading a page's assets (gthread only)
keepalive = 5
forwarded_allow_ips = os.environ.get("SCA_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("SCA_WEB_ACCESS_LOG") or None
# the worker's pid tells which process served a request
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" pid=%(p)s'
errorlog = "-"
proc_name = "sca-web"
# No preload: every worker builds its own app (CKAN opens connections at
# start), and a HUP then loads new code and configuration in new workers.
preload_app = False


def post_worker_init(worker):
    # Loading CKAN applies the ini's logging sections (fileConfig), which
    # closes the handlers already there and disables the loggers the ini does
    # not name: gunicorn's access and error logs would go silent.
    worker.log.setup(worker.cfg)
    worker.log.access_log.disabled = False
    worker.log.error_log.disabled = False
