"""Outside DEBUG a failing page answers the French 500 page: no traceback, no detail of the
error, nothing that needs the request or the database to render."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.mentorat.error_urls")


def test_a_failing_page_answers_the_french_error_page_without_a_traceback(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/en-panne/")

    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Une erreur s'est produite de notre côté" in page
    assert "Revenir à l'accueil" in page
    for leak in ("Traceback", "Boom", "hunter2", "secret detail", "views.py", "Server Error"):
        assert leak not in page
