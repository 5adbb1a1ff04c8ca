"""A database restart under a web process that keeps its connection across requests
(CONN_MAX_AGE): the killed connection is noticed before use (CONN_HEALTH_CHECKS) and the next
request opens a new one; no web process needs restarting. PostgreSQL only: the test kills the
connection from the server's side, as a restart does."""

import contextlib
import io

import psycopg
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.concurrency import postgresql_only
from tests.mentees.factories import MenteeFactory

pytestmark = postgresql_only


def terminate_backend(pid: int) -> None:
    """What a database restart does to the open connections, from another connection."""
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=params["dbname"],
        host=params.get("host") or None,
        port=params.get("port") or None,
        user=params.get("user") or None,
        password=params.get("password") or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@contextlib.contextmanager
def persistent_connections(*, health_checks: bool):
    """The web process keeps its connection across requests (CONN_MAX_AGE)."""
    settings_dict = connection.settings_dict
    saved = settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = 600, health_checks
    try:
        yield
    finally:
        connection.close()
        settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = saved


def served(path: str, *, cookies: str) -> int:
    """The status of a GET through Django's WSGI handler, as gunicorn calls it: unlike the test
    client, it closes the connections that are unusable or too old around each request."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_COOKIE": cookies,
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers, *exc_info: statuses.append(status))
    response.close()
    return int(statuses[0].split()[0])


def connection_killed_between_two_requests(*, health_checks: bool) -> int:
    client = Client()
    client.force_login(MenteeFactory().user)
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    path = reverse("spaces:home")
    with persistent_connections(health_checks=health_checks):
        assert served(path, cookies=cookies) == 200
        # Kept open for the next request.
        assert connection.connection is not None
        terminate_backend(connection.connection.info.backend_pid)
        return served(path, cookies=cookies)


def test_after_a_database_restart_a_kept_connection_is_replaced_by_the_next_request(settings):
    settings.DEBUG = False

    assert connection_killed_between_two_requests(health_checks=True) == 200


def test_without_health_checks_the_request_after_a_restart_would_fail(settings):
    # Why CONN_HEALTH_CHECKS is on: the dead connection would be used, and the page fail.
    settings.DEBUG = False

    assert connection_killed_between_two_requests(health_checks=False) == 503
