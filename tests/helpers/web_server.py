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
