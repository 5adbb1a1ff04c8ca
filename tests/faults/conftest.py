import shutil

import pytest

from .services import RedisServer
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
