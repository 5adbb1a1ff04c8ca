import shutil

import pytest
from django.core.cache import cache
from django.test import override_settings

from .services import LONG_RETRY_SECONDS, RETRY_SECONDS, RedisServer, WorkerProcess, celery_broker
from .smtp import SMTPTestServer


@pytest.fixture
def redis_server(tmp_path):
    """A running redis-server of the test's own. Absent from the machine, the test is skipped
    locally; in CI (CI=true) that skip is a failure (tests/conftest.py)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(binary, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server():
    """A running SMTP server of the test's own (tests/faults/smtp.py)."""
    server = SMTPTestServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def broker(redis_server):
    """Tasks queued on the test's redis-server, as the web processes do in production."""
    with celery_broker(redis_server.url):
        yield redis_server


@pytest.fixture
def workers(broker, smtp_server, tmp_path):
    """Starts real worker processes on the test's broker, database and SMTP server; each is
    stopped at the end of the test (before the database is flushed)."""
    started = []

    def start(**settings) -> WorkerProcess:
        worker = WorkerProcess(
            broker_url=broker.url,
            smtp_port=smtp_server.port,
            log_path=tmp_path / "worker.log",
            **settings,
        )
        started.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def _fallback_cache(redis_server, retry_seconds: float):
    caches = {
        "default": {
            "BACKEND": "mentorat.cache.FallbackRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"RETRY_SECONDS": retry_seconds},
        }
    }
    return override_settings(CACHES=caches, REDIS_URL=redis_server.url)


@pytest.fixture
def shared_cache(redis_server):
    """The production cache (mentorat.cache.FallbackRedisCache) on the test's redis-server.
    A Redis found down is left alone for the rest of the test (however slow the machine):
    tests that watch it come back use `quick_retry_cache`."""
    with _fallback_cache(redis_server, LONG_RETRY_SECONDS):
        yield cache


@pytest.fixture
def quick_retry_cache(redis_server):
    """The same cache, trying a failed Redis again after RETRY_SECONDS."""
    with _fallback_cache(redis_server, RETRY_SECONDS):
        yield cache
