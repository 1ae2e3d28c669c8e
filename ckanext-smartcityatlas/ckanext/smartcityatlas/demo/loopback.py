# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the local replay servers (openSenseMap, SensorThings) share: a
threaded JSON server on 127.0.0.1 with a free port, the paths it was asked
for, and ``faults`` that let a test answer a path prefix differently.
Loopback only: for the tests and the demo, never for production."""
from __future__ import annotations

import http.server
import threading
import urllib.parse


class LoopbackJSONServer:
    """Subclasses answer ``answer(path) -> (status, body bytes, headers)``."""

    # record paths decoded (SensorThings' $filter is easier to assert so)
    DECODE_RECORDED_PATHS = False

    def __init__(self):
        self.faults: dict[str, object] = {}
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(urllib.parse.unquote(self.path) if server.DECODE_RECORDED_PATHS
                                       else self.path)
                status, body, headers = server.answer(self.path)
                self.send_response(status)
                for key, value in {"Content-Type": "application/json; charset=utf-8", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fault_for(self, path: str, decoded: bool = False):
        """The configured fault's answer for this path, or None."""
        parsed = urllib.parse.urlsplit(path)
        target = urllib.parse.unquote(parsed.path) if decoded else parsed.path
        for prefix, fault in self.faults.items():
            if target.startswith(prefix):
                result = fault(path) if callable(fault) else fault
                if result is not None:
                    status, body, headers = result
                    return status, body.encode("utf-8") if isinstance(body, str) else body, headers
        return None

    def answer(self, path: str) -> tuple[int, bytes, dict]:
        raise NotImplementedError
