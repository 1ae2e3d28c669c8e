# SPDX-License-Identifier: AGPL-3.0-or-later
"""CKAN web servers the tests start as processes of their own: a free port,
and waiting until one answers (or failing with its log)."""
from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_answering(base: str, proc: subprocess.Popen, log: Path, timeout: float, what: str) -> None:
    """Until ``base``'s status_show answers; fails with the log's tail when
    the process ends first or ``timeout`` seconds pass."""
    def tail() -> str:
        return log.read_text(errors="replace")[-5000:] if log.exists() else ""

    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{base}/api/3/action/status_show", timeout=10).ok:
                return
        except requests.ConnectionError:
            pass
        assert proc.poll() is None, f"{what} ended:\n{tail()}"
        assert time.monotonic() < deadline, f"{what} did not answer within {timeout:.0f} s\n{tail()}"
        time.sleep(0.5)


def serve_ckan(folder: Path, site_url: str, port: int, settings: dict | None = None):
    """CKAN's server on 127.0.0.1:port with the test configuration, ``site_url``
    and ``settings`` (options of [app:main] set or replaced), running until
    the generator resumes (a fixture's body); yields its base URL. Its log
    goes to a file: a pipe nobody reads fills up after a few hundred requests
    and then blocks the server."""
    import re
    import sys

    import ckan.plugins.toolkit as tk

    base = f"http://127.0.0.1:{port}"
    ini = folder / "live.ini"
    text = Path(tk.config["__file__"]).read_text(encoding="utf-8")
    for key, value in {"ckan.site_url": site_url, **(settings or {})}.items():
        line = f"{key} = {value}"
        pattern = re.compile(r"(?m)^" + re.escape(key) + r" = .*$")
        text = pattern.sub(lambda _m: line, text) if pattern.search(text) else \
            text.replace("[app:main]\n", f"[app:main]\n{line}\n", 1)
    ini.write_text(text, encoding="utf-8")
    ckan = str(Path(sys.executable).with_name("ckan"))
    log = folder / "ckan.log"
    with log.open("w") as sink:
        proc = subprocess.Popen([ckan, "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port),
                                 "--disable-reloader"], stdout=subprocess.DEVNULL, stderr=sink, text=True)
    try:
        wait_answering(base, proc, log, 60, "CKAN")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
