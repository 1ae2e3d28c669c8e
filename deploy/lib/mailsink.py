#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A local SMTP sink: ``mailsink.py HOST PORT DIR`` keeps every mail as an
``.eml`` file in DIR instead of delivering it.

``deploy/sca up`` runs it for the demo portal unless SCA_SMTP_SERVER names a
real mail server, so digests and data-request notices can be read in
``var/mail/`` without sending anything anywhere. The tests use the same
sink (``tests/helpers/smtp_sink.py``). Enough SMTP for smtplib: EHLO/HELO, MAIL,
RCPT, DATA, RSET, NOOP, QUIT; no relaying, no authentication, loopback only.
"""
from __future__ import annotations

import datetime
import email
import email.policy
import pathlib
import socketserver
import sys
import threading
import uuid


class SMTPSink:
    """Accepts mails on HOST:PORT (0: any free port) and hands each to ``on_message``."""

    def __init__(self, on_message, host: str = "127.0.0.1", port: int = 0):
        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write((line + "\r\n").encode("ascii"))

            def handle(self):
                self.reply("220 sca-mailsink ESMTP")
                recipients, in_data, lines = [], False, []
                for raw in self.rfile:
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if in_data:
                        if line == ".":
                            message = email.message_from_string("\n".join(lines), policy=email.policy.default)
                            message["X-Sink-Recipients"] = ", ".join(recipients)
                            on_message(message)
                            in_data, lines, recipients = False, [], []
                            self.reply("250 queued")
                        else:
                            lines.append(line[1:] if line.startswith("..") else line)
                        continue
                    verb = line.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sca-mailsink")
                    elif verb == "RCPT":
                        recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 ok")
                    elif verb == "DATA":
                        in_data = True
                        self.reply("354 go ahead")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:  # MAIL, RSET, NOOP
                        self.reply("250 ok")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


def main(host: str, port: str, directory: str) -> int:
    out = pathlib.Path(directory)
    out.mkdir(parents=True, exist_ok=True)

    def keep(message) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = out / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(message.as_bytes())
        print(f"{path.name}: {message['Subject']} → {message['X-Sink-Recipients']}", flush=True)

    sink = SMTPSink(keep, host, int(port))
    print(f"mail sink on {host}:{sink.port}, mails in {out}", flush=True)
    sink.server.serve_forever()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
