# SPDX-License-Identifier: AGPL-3.0-or-later
"""A local SMTP sink for the tests: accepts every mail on 127.0.0.1 and keeps
it (``messages``: parsed ``email.message.Message``). Enough SMTP for CKAN's
mailer (smtplib): EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""
from __future__ import annotations

import email
import email.policy
import socketserver
import threading


class SMTPSink:
    def __init__(self):
        self.messages: list = []
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write((line + "\r\n").encode("ascii"))

            def handle(self):
                self.reply("220 sink ESMTP")
                recipients, in_data, lines = [], False, []
                for raw in self.rfile:
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if in_data:
                        if line == ".":
                            message = email.message_from_string("\n".join(lines), policy=email.policy.default)
                            message["X-Sink-Recipients"] = ", ".join(recipients)
                            sink.messages.append(message)
                            in_data, lines, recipients = False, [], []
                            self.reply("250 queued")
                        else:
                            lines.append(line[1:] if line.startswith("..") else line)
                        continue
                    verb = line.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
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

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Sink-Recipients"]]

    def body(self, message) -> str:
        part = message.get_body(preferencelist=("plain",)) or message
        return part.get_content()
