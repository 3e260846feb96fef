"""A real SMTP server for the mail tests (Debian's python3-aiosmtpd), run as
`/usr/bin/python3 smtp_sink.py DIR [--starttls]`.

It listens on 127.0.0.1 on a port the kernel picks and prints that port on one line of stdout
once it accepts connections, so the test neither guesses a free port nor sleeps. Each message
becomes one file in DIR, written before the server answers 250 to DATA, so a client that saw its
delivery succeed can read the file at once:

    TLS:yes                    (or TLS:no: whether the session had upgraded with STARTTLS)
    MAIL FROM:<address>
    RCPT TO:<address>          (one line per recipient)
                               (blank line)
    the message bytes exactly as received after the DATA dot-unstuffing

Without --starttls the server offers no STARTTLS at all. With it, the server first makes a
throwaway self-signed certificate for 127.0.0.1 with the openssl command (DIR/tls/cert.pem, the
file a client must trust), offers STARTTLS and refuses mail before the upgrade.
"""

import asyncio
import os
import ssl
import subprocess
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
            out.write(f"TLS:{'no' if session.ssl is None else 'yes'}\r\n".encode())
            out.write(f"MAIL FROM:<{envelope.mail_from}>\r\n".encode())
            for rcpt in envelope.rcpt_tos:
                out.write(f"RCPT TO:<{rcpt}>\r\n".encode())
            out.write(b"\r\n")
            out.write(envelope.original_content)
        os.rename(temp, os.path.join(self.directory, name))
        return "250 Message accepted"


def self_signed_context(directory):
    tls = os.path.join(directory, "tls")
    os.makedirs(tls, exist_ok=True)
    cert, key = os.path.join(tls, "cert.pem"), os.path.join(tls, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days",
                    "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main(directory, starttls):
    handler = SaveToDirectory(directory)
    context = self_signed_context(directory) if starttls else None
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", decode_data=False, tls_context=context,
                     require_starttls=starttls),
        "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], "--starttls" in sys.argv[2:]))
