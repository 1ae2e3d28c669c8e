# SPDX-License-Identifier: AGPL-3.0-or-later
"""The fetcher against a real local HTTP server: SSRF, size cap, gzip,
deadlines, redirects, 429 and HTTP errors."""
import gzip
import time

import pytest

from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.common.fetch import FetchError, Limits, NetworkPolicy
from tests.helpers.local_server import huge_body, slow_body

LOCAL = NetworkPolicy.build(networks=["127.0.0.1/32"])
NOBODY = NetworkPolicy.build()


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "198.18.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1",
])
def test_non_public_addresses_are_refused(address):
    with pytest.raises(FetchError, match="non-public address"):
        NOBODY.check("example.org", address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "::ffff:93.184.215.14"])
def test_public_addresses_pass(address):
    NOBODY.check("example.org", address)


def test_a_sysadmin_allows_hosts_or_networks():
    NetworkPolicy.build(hosts=["intranet.stadt.example"]).check("intranet.stadt.example", "10.1.2.3")
    NetworkPolicy.build(networks=["10.1.0.0/16"]).check("x", "10.1.2.3")
    NetworkPolicy.build(networks=["10.1.0.0/16"]).check("x", "::ffff:10.1.2.3")
    with pytest.raises(FetchError):
        NetworkPolicy.build(networks=["10.1.0.0/16"]).check("x", "10.2.0.1")


def test_local_server_is_refused_unless_allowed(server):
    route = server.add("/c.ttl", body="<a:b> <a:c> <a:d> .")
    with pytest.raises(FetchError, match="non-public"):
        fetch.fetch(server.url("/c.ttl"), policy=NOBODY)
    with pytest.raises(FetchError, match="non-public"):  # a host name resolving to loopback
        fetch.fetch(f"http://localhost:{server.port}/c.ttl", policy=NOBODY)
    assert route.hits == 0  # refused before connecting
    assert fetch.fetch(server.url("/c.ttl"), policy=LOCAL).body == b"<a:b> <a:c> <a:d> ."


@pytest.mark.parametrize("target,message", [
    ("http://169.254.169.254/latest/meta-data/", "non-public"),
    ("http://10.0.0.1/", "non-public"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://127.0.0.1:25/", "only http and https"),
])
def test_every_redirect_target_is_checked(server, target, message):
    server.add("/go", status=302, headers={"Location": target})
    with pytest.raises(FetchError, match=message):
        fetch.fetch(server.url("/go"), policy=LOCAL)


def test_redirects_are_followed_and_limited(server):
    server.add("/a", status=301, headers={"Location": "/b"})
    server.add("/b", status=302, headers={"Location": server.url("/c")})
    server.add("/c", body="ok", content_type="text/plain")
    response = fetch.fetch(server.url("/a"), policy=LOCAL)
    assert response.body == b"ok" and response.url == server.url("/c")
    server.add("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch.fetch(server.url("/loop"), policy=LOCAL)


def test_200_mb_answer_stops_at_the_cap_while_streaming(server):
    sent = {"bytes": 0}
    inner = huge_body(200 * fetch.MB)

    def counting(req, route):
        original = req.wfile.write

        def write(data):
            sent["bytes"] += len(data)
            return original(data)

        req.wfile.write = write
        inner(req, route)

    server.add("/huge.ttl", handler=counting)
    started = time.monotonic()
    with pytest.raises(FetchError, match="more than the limit of 50 MB"):
        fetch.fetch(server.url("/huge.ttl"), policy=LOCAL)
    assert time.monotonic() - started < 30
    time.sleep(0.2)
    # the client hung up at the cap: the server could not send the other 150 MB
    assert sent["bytes"] < 120 * fetch.MB


def test_announced_size_over_the_cap_is_refused_before_reading(server):
    def handler(req, route):
        req.send_response(200)
        req.send_header("Content-Type", "text/turtle")
        req.send_header("Content-Length", str(200 * fetch.MB))
        req.end_headers()

    server.add("/big.ttl", handler=handler)
    with pytest.raises(FetchError, match="200.0 MB announced"):
        fetch.fetch(server.url("/big.ttl"), policy=LOCAL)


def test_gzip_is_decompressed_and_a_gzip_bomb_stops_at_the_cap(server):
    server.add("/z.ttl", body=gzip.compress("<a:b> <a:c> \"Grünflächen\" .".encode()),
               headers={"Content-Encoding": "gzip"})
    assert fetch.fetch(server.url("/z.ttl"), policy=LOCAL).body.decode() == "<a:b> <a:c> \"Grünflächen\" ."
    bomb = gzip.compress(b"\0" * (64 * fetch.MB))
    assert len(bomb) < fetch.MB
    server.add("/bomb.ttl", body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="more than the limit of 8 MB"):
        fetch.fetch(server.url("/bomb.ttl"), Limits(max_bytes=8 * fetch.MB), policy=LOCAL)


def test_a_slow_server_hits_the_deadline(server):
    server.add("/slow.ttl", handler=slow_body(200, 0.1))  # 20 s for 200 bytes
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 1 s"):
        fetch.fetch(server.url("/slow.ttl"), Limits(read_timeout=0.5, deadline=1), policy=LOCAL)
    assert time.monotonic() - started < 3


def test_a_server_trickling_its_headers_hits_the_deadline(server):
    def trickle_headers(req, route):
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                req.wfile.write(bytes([byte]))
                req.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    server.add("/headers.ttl", handler=trickle_headers)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 1 s"):
        fetch.fetch(server.url("/headers.ttl"), Limits(read_timeout=0.5, deadline=1), policy=LOCAL)
    assert time.monotonic() - started < 3


def test_a_silent_server_hits_the_read_timeout(server):
    def silent(req, route):
        time.sleep(3)

    server.add("/silent.ttl", handler=silent)
    with pytest.raises(FetchError, match="no answer within 0.5 s"):
        fetch.fetch(server.url("/silent.ttl"), Limits(read_timeout=0.5), policy=LOCAL)


def test_429_is_retried_after_the_given_time(server):
    def limited(req, route):
        if route.hits == 1:
            req.send_response(429)
            req.send_header("Retry-After", "7")
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        body = b"<a:b> <a:c> <a:d> ."
        req.send_response(200)
        req.send_header("Content-Type", "text/turtle")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    route = server.add("/limited.ttl", handler=limited)
    waited = []
    response = fetch.fetch(server.url("/limited.ttl"), policy=LOCAL, sleep=waited.append)
    assert response.body == b"<a:b> <a:c> <a:d> ." and waited == [7.0] and route.hits == 2


def test_429_with_a_long_retry_after_is_a_clear_error(server):
    route = server.add("/busy.ttl", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="HTTP 429 Too Many Requests \\(Retry-After 3600; giving up\\)"):
        fetch.fetch(server.url("/busy.ttl"), policy=LOCAL, sleep=lambda s: None)
    assert route.hits == 1
    always = server.add("/always.ttl", status=429, headers={"Retry-After": "1"})
    with pytest.raises(FetchError, match="HTTP 429") as exc:
        fetch.fetch(server.url("/always.ttl"), policy=LOCAL, sleep=lambda s: None)
    assert exc.value.status == 429 and always.hits == 3  # two retries, then the error


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500, 502, 503])
def test_http_errors_are_clear(server, status):
    server.add("/e", status=status, body="Fehler", content_type="text/plain")
    with pytest.raises(FetchError, match=f"HTTP {status}") as exc:
        fetch.fetch(server.url("/e"), policy=LOCAL)
    assert exc.value.status == status


def test_file_urls_only_when_allowed(tmp_path):
    path = tmp_path / "katalog.ttl"
    path.write_text("<a:b> <a:c> <a:d> .", encoding="utf-8")
    with pytest.raises(FetchError, match="that a sysadmin created"):
        fetch.fetch(path.as_uri(), policy=NOBODY)
    assert fetch.fetch(path.as_uri(), policy=NOBODY, allow_file=True).body == b"<a:b> <a:c> <a:d> ."


def test_https_checks_the_certificate_of_the_host_name(tmp_path):
    """The connection goes to the checked address, TLS still verifies the name."""
    import http.server
    import shutil
    import ssl
    import subprocess
    import threading

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem"),
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FetchError, match="TLS: .*certificate verify failed"):
            fetch.fetch(f"https://localhost:{httpd.server_address[1]}/", policy=LOCAL)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_closed_port_is_a_clear_error(server):
    port = server.port
    server.httpd.shutdown()
    server.httpd.server_close()
    with pytest.raises(FetchError, match="cannot connect: .*(refused|Connection)"):
        fetch.fetch(f"http://127.0.0.1:{port}/c.ttl", policy=LOCAL)
