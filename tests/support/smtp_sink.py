"""A real SMTP server for the mail tests (Debian's python3-aiosmtpd), run as
`/usr/bin/python3 smtp_sink.py DIR`.

It listens on 127.0.0.1 on a port the kernel picks and prints that port on one line of stdout
once it accepts connections, so the test neither guesses a free port nor sleeps. Each message
becomes one file in DIR, written before the server answers 250 to DATA, so a client that saw its
delivery succeed can read the file at once:

    MAIL FROM:<address>
    RCPT TO:<address>          (one line per recipient)
                               (blank line)
    the message bytes exactly as received after the DATA dot-unstuffing
"""

import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP


class SaveToDirectory:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = f"{self.count:06d}.msg"
        temp = os.path.join(self.directory, f".{name}.tmp")
        with open(temp, "wb") as out:
            out.write(f"MAIL FROM:<{envelope.mail_from}>\r\n".encode())
            for rcpt in envelope.rcpt_tos:
                out.write(f"RCPT TO:<{rcpt}>\r\n".encode())
            out.write(b"\r\n")
            out.write(envelope.original_content)
        os.rename(temp, os.path.join(self.directory, name))
        return "250 Message accepted"


async def main(directory):
    handler = SaveToDirectory(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", decode_data=False), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
