# SPDX-License-Identifier: AGPL-3.0-or-later
"""The vendored front-end libraries are exactly what npm installed (package-lock.json)."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_vendored_assets_match_node_modules():
    proc = subprocess.run([sys.executable, str(REPO / "deploy" / "lib" / "vendor_assets.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
