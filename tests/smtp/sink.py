"""A real SMTP server for the tests of `fresk mail`, built on aiosmtpd.

Usage: python3 sink.py FOLDER

Listens on a free port of 127.0.0.1 and prints `ready PORT` once it accepts connections.
Every message received is parsed with Python's own `email` package (an independent MIME
reader) and stored as FOLDER/NNNN.json: the envelope's recipients, the decoded From, To,
Reply-To and Subject, the text body, and each attachment (file name, content type, and its
bytes saved beside as FOLDER/NNNN-<file name>); the raw message is FOLDER/NNNN.eml.
Recipients whose address starts with `refused` are refused (550), as a server refuses an
unknown mailbox.
"""

import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refused"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = os.path.join(self.folder, "%04d" % self.count)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        attachments = []
        for part in message.iter_attachments():
            name = part.get_filename()
            data = part.get_content()
            saved = "%s-%s" % (stem, os.path.basename(name or "unnamed"))
            with open(saved, "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())
            attachments.append(
                {"filename": name, "content_type": part.get_content_type(), "saved": saved}
            )
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "reply_to": str(message["Reply-To"]) if message["Reply-To"] else None,
            "subject": str(message["Subject"]),
            "content_type": message.get_content_type(),
            "body": body.get_content() if body is not None else None,
            "attachments": attachments,
        }
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False)
        os.replace(stem + ".json.tmp", stem + ".json")
        return "250 Message accepted"


async def main(folder):
    loop = asyncio.get_running_loop()
    sink = Sink(folder)  # one for every connection: the messages are numbered in order
    server = await loop.create_server(
        lambda: SMTP(sink, enable_SMTPUTF8=True), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    print("ready %d" % port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
