# SPDX-License-Identifier: AGPL-3.0-or-later
"""A live portal for browser tests: CKAN's server on the test configuration."""
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import ckan.plugins.toolkit as tk


def serve(tmp_path_factory, site_url: str, port: int):
    """CKAN's server on 127.0.0.1:port with the test configuration and ``site_url``."""
    base = f"http://127.0.0.1:{port}"
    ini = tmp_path_factory.mktemp("live") / "live.ini"
    text = Path(tk.config["__file__"]).read_text(encoding="utf-8")
    ini.write_text(re.sub(r"(?m)^ckan\.site_url = .*$", f"ckan.site_url = {site_url}", text), encoding="utf-8")
    ckan = str(Path(sys.executable).with_name("ckan"))
    # the server's log goes to a file: a pipe nobody reads fills up after a
    # few hundred requests and then blocks the server
    log = ini.with_name("ckan.log")
    with log.open("w") as sink:
        proc = subprocess.Popen([ckan, "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port),
                                 "--disable-reloader"], stdout=subprocess.DEVNULL, stderr=sink, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/3/action/status_show", timeout=5)
                break
            except OSError:
                assert proc.poll() is None, log.read_text(encoding="utf-8", errors="replace")[-5000:]
                assert time.monotonic() < deadline, "CKAN did not start within 60 s"
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
