"""A real Celery worker on the real Redis broker, for the tests that prove what the eager
mode cannot: that a task reads only committed rows and that a redelivery sends nothing twice."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from mentorat.celery import app as celery_app


@pytest.fixture
def real_worker():
    """A worker consuming the broker of REDIS_URL, in a thread of this process. Without a
    broker the test is skipped locally; in CI (CI=true) that skip is a failure."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no broker to run a real worker against")
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        celery_app.conf.task_always_eager = True
