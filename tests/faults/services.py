"""Real services the fault tests start, stop and restart themselves: a `redis-server` of their
own on a free port (never the machine's Redis, which other tests use), and the Celery app's
broker pointed at it."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import redis

from mentorat.celery import app as celery_app

# How long the cache leaves a failed Redis alone in these tests (15 s in production).
RETRY_SECONDS = 0.3
# Longer than any test lasts: the outage is seen once.
LONG_RETRY_SECONDS = 600

START_TIMEOUT_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server process on 127.0.0.1, without persistence; stop() and start() again on the
    same port, as an operator restarting it would."""

    def __init__(self, binary: str, directory: Path):
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                with self.client() as client:
                    client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=START_TIMEOUT_SECONDS)
        self.process = None


def _forget_broker_connections() -> None:
    """Closes kombu's pools and empties its registry (as after a fork): the next task is queued
    on a new connection to the broker the configuration names now."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str):
    """Tasks are queued on the broker at `url` (not run in-process), as in production."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    _forget_broker_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_broker_connections()


def queued_tasks(server: RedisServer) -> list[str]:
    """The names of the tasks waiting in the broker's default queue."""
    import json

    with server.client() as client:
        return [json.loads(raw)["headers"]["task"] for raw in client.lrange("celery", 0, -1)]


REPOSITORY = Path(__file__).resolve().parents[2]
WORKER_READY_TIMEOUT = 60


def database_url() -> str:
    """The URL of the test database, for another process to use the very rows of the test."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}{password}@{host}/{db['NAME']}"


class WorkerProcess:
    """A real `celery -A mentorat worker` process (one task at a time, acks late), on the test
    database, the test's redis-server and SMTP server: a process that SIGKILL really kills."""

    def __init__(self, *, broker_url: str, smtp_port: int, log_path: Path, **settings: str):
        self.log_path = log_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentorat.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "mentorat", "worker",
                    "--pool=solo", "--concurrency=1", "--loglevel=INFO",
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "--hostname", f"faults-{os.getpid()}-{time.monotonic_ns()}@localhost",
                ],
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while b" ready." not in self.log_path.read_bytes()[offset:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{self.log()}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing committed after this."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=START_TIMEOUT_SECONDS)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=START_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None
