"""A small SMTP server of the tests' own, on a free port: it accepts mail as a mail server does,
refuses recipients with the answers it is given (4xx, then 5xx…), and can hold a message
before accepting it (a slow server), for a worker to be killed meanwhile.

A message counts as delivered only once the server has said « 250 » to a client still
connected, as RFC 5321 has it: a message whose sender died before that answer is dropped."""

import collections
import email
import socket
import socketserver
import threading
from dataclasses import dataclass

from .services import free_port

HOLD_TIMEOUT_SECONDS = 60


@dataclass
class Delivered:
    recipients: list[str]
    message: email.message.Message

    @property
    def subject(self) -> str:
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))


class _Handler(socketserver.StreamRequestHandler):
    server: "_Server"

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        smtp = self.server.smtp
        self.reply("220 localhost ESMTP test")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250-8BITMIME")
                self.reply("250 SMTPUTF8")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 2.1.0 OK")
            elif verb == "RCPT":
                address = command.partition(":")[2].split()[0].strip("<>")
                answer = smtp.next_answer()
                if answer.startswith("250"):
                    recipients.append(address)
                self.reply(answer.replace("{address}", address))
            elif verb == "DATA":
                if not recipients:
                    self.reply("503 5.5.1 No valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.receive(list(recipients))
                recipients = []
            elif verb == "RSET":
                recipients = []
                self.reply("250 2.0.0 OK")
            elif verb == "NOOP":
                self.reply("250 2.0.0 OK")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not implemented")

    def receive(self, recipients: list[str]) -> None:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        if not line:
            return
        smtp = self.server.smtp
        if smtp.take_hold():
            smtp.holding.set()
            smtp.released.wait(HOLD_TIMEOUT_SECONDS)
            if not self.client_connected():
                smtp.dropped += 1
                return
        self.reply("250 2.0.0 Queued")
        smtp.deliver(Delivered(recipients, email.message_from_bytes(b"".join(lines))))

    def client_connected(self) -> bool:
        try:
            data = self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return data != b""


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SMTPTestServer:
    """`refuse(*answers)`: the next RCPT commands get these answers, in order (then 250).
    `hold_message(n)`: the n-th message (1-based, from now) waits after its data until
    `release()`; `holding` is set while it waits."""

    def __init__(self):
        self.port = free_port()
        self.delivered: list[Delivered] = []
        self.dropped = 0
        self._answers: collections.deque[str] = collections.deque()
        self._lock = threading.Lock()
        self._hold_countdown = 0
        self.holding = threading.Event()
        self.released = threading.Event()
        self._server: _Server | None = None

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.smtp = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def settings(self) -> dict:
        """Django's SMTP settings pointing at this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def refuse(self, *answers: str) -> None:
        with self._lock:
            self._answers.extend(answers)

    def next_answer(self) -> str:
        with self._lock:
            return self._answers.popleft() if self._answers else "250 2.1.5 OK"

    def hold_message(self, n: int = 1) -> None:
        self.holding.clear()
        self.released.clear()
        self._hold_countdown = n

    def take_hold(self) -> bool:
        with self._lock:
            if self._hold_countdown == 0:
                return False
            self._hold_countdown -= 1
            return self._hold_countdown == 0

    def release(self) -> None:
        self.released.set()

    def deliver(self, delivered: Delivered) -> None:
        with self._lock:
            self.delivered.append(delivered)

    def recipients(self) -> list[str]:
        """Every delivered message's recipients, in the order delivered."""
        with self._lock:
            return [address for item in self.delivered for address in item.recipients]
