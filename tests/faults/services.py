"""Real services the fault tests start, stop and restart themselves: a `redis-server` of their
own on a free port (never the machine's Redis, which other tests use), and the Celery app's
broker pointed at it."""

import contextlib
import socket
import subprocess
import time
from pathlib import Path

import kombu.pools
import redis

from mentorat.celery import app as celery_app

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
