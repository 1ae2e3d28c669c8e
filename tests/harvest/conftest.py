# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvest test helpers: a local HTTP server with programmable answers, and
running a harvest job's stages in-process as ckanext-harvest's own tests do
(gather, fetch+import per object, then harvest_jobs_run), on the real stack."""
from __future__ import annotations

import gzip
import http.server
import json
import socket
import threading
import time
from pathlib import Path

import pytest

import ckan.plugins as p
from ckan.tests import factories, helpers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest"
CATALOG_PAGES = {
    "/catalog-p1.ttl": ("catalog-p1.ttl", "text/turtle"),
    "/catalog-p2.rdf": ("catalog-p2.rdf", "application/rdf+xml"),
    "/catalog-p3.jsonld": ("catalog-p3.jsonld", "application/ld+json"),
}
# the local test server is on 127.0.0.1: allowed explicitly, as a sysadmin would
ALLOW_LOCAL = pytest.mark.ckan_config("ckanext.smartcityatlas.harvest.allowed_networks", "127.0.0.1/32")


class Route:
    """One answer: status, headers, body; or a callable(handler) doing it all."""

    def __init__(self, body=b"", status=200, content_type="text/turtle", headers=None, handler=None):
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status = status
        self.headers = {"Content-Type": content_type, **(headers or {})}
        self.handler = handler
        self.hits = 0


class CatalogServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.routes: dict[str, Route] = {}
        self.prefixes: dict[str, Route] = {}  # every path (with query) starting with the key
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                route = server.routes.get(self.path) or next(
                    (r for prefix, r in server.prefixes.items() if self.path.startswith(prefix)), None)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route.hits += 1
                if route.handler is not None:
                    route.handler(self, route)
                    return
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(route.body)

            do_HEAD = do_GET  # handlers see req.command

        server_class = http.server.ThreadingHTTPServer
        if ":" in host:
            server_class = type("IPv6Server", (server_class,), {"address_family": socket.AF_INET6})
        self.httpd = server_class((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def add(self, path: str, **kwargs) -> Route:
        self.routes[path] = Route(**kwargs)
        return self.routes[path]

    def add_prefix(self, prefix: str, handler) -> Route:
        self.prefixes[prefix] = Route(handler=handler)
        return self.prefixes[prefix]

    def serve_catalog(self) -> None:
        for path, (name, ctype) in CATALOG_PAGES.items():
            self.add(path, body=(FIXTURES / name).read_bytes(), content_type=ctype)


def _serve(host: str):
    srv = CatalogServer(host)
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def server():
    yield from _serve("127.0.0.1")


@pytest.fixture
def server_v6():
    """The same server on IPv6 loopback (::1)."""
    yield from _serve("::1")


@pytest.fixture
def harvest_org():
    return factories.Organization(name="stadt-musterstadt", title="Stadt Musterstadt")


def create_source(url: str, org: dict, config: dict | None = None, name: str = "musterstadt",
                  user: dict | None = None, source_type: str = "sca_dcat_rdf") -> dict:
    user = user or factories.Sysadmin()
    return helpers.call_action(
        "harvest_source_create", context={"user": user["name"]},
        name=name, title=f"Quelle {name}", url=url, source_type=source_type,
        owner_org=org["id"], config=json.dumps(config or {}), frequency="MANUAL")


def run_job(source: dict) -> dict:
    """Run one harvest job of ``source`` in-process; the job's report."""
    from ckanext.harvest.model import HarvestJob, HarvestSource
    from ckanext.harvest.tests.lib import run_harvest_job

    job = HarvestJob(source=HarvestSource.get(source["id"]))
    job.save()
    run_harvest_job(job, p.get_plugin(source.get("source_type") or "sca_dcat_rdf"))
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
    its stored findings (v2.0-spec-konventionen); empty when all are valid."""
    from ckanext.smartcityatlas.dcat import shacl

    failures = {}
    for key, dataset in datasets.items():
        result = shacl.validate(app.get(f"/dataset/{dataset['id']}.ttl", status=200).body,
                                     "v2.0-spec-konventionen")
        if result.violations:
            failures[key] = result.summary()
        stored = helpers.call_action("sca_validation_show", {"ignore_auth": True}, id=dataset["id"])
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


def slow_body(chunks: int, delay: float, content_type="text/turtle"):
    """A handler that trickles ``chunks`` bytes, one every ``delay`` seconds."""
    def handler(req, route):
        req.send_response(200)
        req.send_header("Content-Type", content_type)
        req.send_header("Content-Length", str(chunks))
        req.end_headers()
        try:
            for _ in range(chunks):
                req.wfile.write(b"#")
                req.wfile.flush()
                time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            pass
    return handler


def huge_body(total_bytes: int, content_type="text/turtle", gzipped=False):
    """A handler that streams ``total_bytes`` without holding them in memory."""
    block = (b"# " + b"x" * 1021 + b"\n") * 64  # 64 KiB of valid Turtle comments

    def handler(req, route):
        req.send_response(200)
        req.send_header("Content-Type", content_type)
        if gzipped:
            req.send_header("Content-Encoding", "gzip")
            payload = gzip.compress(block * (total_bytes // len(block)))
            req.send_header("Content-Length", str(len(payload)))
            req.end_headers()
            try:
                req.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        sent = 0
        try:
            while sent < total_bytes:
                req.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                sent += len(block)
            req.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
    return handler
