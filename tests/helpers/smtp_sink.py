# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tests' SMTP sink: deploy/lib/mailsink.py on a free port of
127.0.0.1, keeping the mails in memory (``messages``)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "sca_mailsink", Path(__file__).resolve().parents[2] / "deploy" / "lib" / "mailsink.py")
_mailsink = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mailsink)


class SMTPSink(_mailsink.SMTPSink):
    def __init__(self):
        self.messages: list = []
        super().__init__(self.messages.append)

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Sink-Recipients"]]

    def body(self, message) -> str:
        part = message.get_body(preferencelist=("plain",)) or message
        return part.get_content()
