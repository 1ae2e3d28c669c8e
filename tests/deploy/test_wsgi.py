# SPDX-License-Identifier: AGPL-3.0-or-later
"""The production entry point serves the portal under gunicorn."""
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import ckan.plugins.toolkit as tk

PORT = 25080


def test_gunicorn_serves_the_api_with_our_wsgi_module():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn, "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "ckanext.smartcityatlas.platform.wsgi:application"],
        env={"CKAN_INI": tk.config["__file__"], "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/3/action/status_show", timeout=5) as resp:
                    result = json.load(resp)["result"]
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.5)
        assert "smartcityatlas" in result["extensions"]
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/3/action/sca_status_show", timeout=15) as resp:
            assert json.load(resp)["result"]["services"]["solr"]["status"] == "up"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
