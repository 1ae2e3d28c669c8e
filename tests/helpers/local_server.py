# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tests' local HTTP server with programmable answers (harvest sources,
radar files, checked links), handlers that trickle or stream a body, and
ALLOW_LOCAL, which lets the portal fetch from it."""
from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time

import pytest

from tests.helpers.harvest import FIXTURES

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


def serve(host: str):
    """The server on ``host``, running until the generator resumes (a fixture's body)."""
    srv = CatalogServer(host)
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


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
