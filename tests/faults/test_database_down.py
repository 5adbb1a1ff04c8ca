"""The database out of reach (restarting, down) under the web process (issue 16): a clean
French 503 page asking to come back, never a traceback; and the process serves again as soon
as the database does, without being restarted."""

import contextlib

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.mentees.factories import MenteeFactory
from tests.mentees.form_data import mentee_form_data

from .services import free_port

# The connection of the test is the one the requests use: the tests break it for real.
pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def database_out_of_reach():
    """The web process's database settings point where no database answers: a closed port on
    PostgreSQL, a file in a directory that does not exist on SQLite. Every connection attempt
    really fails, as when the server is down; then the settings are put back."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))
    else:
        settings_dict["NAME"] = "/nonexistent-mentorat-directory/db.sqlite3"
    try:
        yield
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)


def assert_the_503_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Le service est momentanément indisponible" in page
    assert "Revenir à l'accueil" in page
    for leak in ("Traceback", "OperationalError", "connection", "sqlite", "5432", "psycopg"):
        assert leak not in page


def test_a_form_sent_while_the_database_is_down_answers_the_503_page(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    with database_out_of_reach():
        response = client.post(reverse("mentees:register"), mentee_form_data())

    assert_the_503_page(response)


def test_a_member_page_while_the_database_is_down_answers_the_503_page(settings):
    # The session and the user are read by the middleware, before any view runs.
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(MenteeFactory().user)

    with database_out_of_reach():
        response = client.get(reverse("spaces:home"))

    assert_the_503_page(response)


def test_once_the_database_is_back_the_same_process_serves_again(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(MenteeFactory().user)

    with database_out_of_reach():
        assert client.get(reverse("spaces:home")).status_code == 503

    assert client.get(reverse("spaces:home")).status_code == 200


def test_the_health_check_answers_503_while_the_database_is_down(client):
    with database_out_of_reach():
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hors service" in page
    assert "Base de données : injoignable" in page


def test_any_other_failure_still_answers_the_500_page(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.mentorat.error_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/en-panne/")

    assert response.status_code == 500
    assert "Une erreur s'est produite de notre côté" in response.content.decode()
