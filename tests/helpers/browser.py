# SPDX-License-Identifier: AGPL-3.0-or-later
"""Browser tests' scripts (tests/browser/*.mjs) run in node with Playwright."""
import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_node(script: str, *args: str) -> dict:
    node = shutil.which("node")
    assert node, "node is missing"
    assert (REPO / "node_modules" / "playwright-core").exists(), "run `deploy/sca test` (it runs npm ci)"
    proc = subprocess.run([node, str(REPO / "tests" / "browser" / script), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
