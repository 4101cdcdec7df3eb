"""A real SMTP server for the reminder tests (aiosmtpd).

    python tests/smtp_sink.py <port> <directory>

Listens on 127.0.0.1:<port> and writes every message it receives to <directory>/<n>.json as
{"mail_from", "rcpt_tos", "from", "to", "subject", "body"}, the headers and the plain-text
body decoded by Python's email package (as a mail program reads them). Prints "ready" once it
listens, and stops when its standard input closes.
"""

import email
import email.policy
import itertools
import json
import pathlib
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "body": message.get_body(preferencelist=("plain",)).get_content(),
        }
        path = self.out / f"{next(self.numbers)}.json"
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        partial.rename(path)
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


main()
