"""Every browser asks for /favicon.ico: it gets the site's icon, never a 404."""

import urllib.request

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.users.factories import UserFactory
from tests.users.staff import login_staff


def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.url == static("favicon.svg")
    icon = finders.find("favicon.svg")
    assert icon is not None
    with open(icon, encoding="utf-8") as file:
        assert file.read().startswith("<svg")


def test_the_icon_is_served_over_http(live_server):
    with urllib.request.urlopen(f"{live_server.url}/favicon.ico", timeout=10) as answer:
        assert answer.status == 200
        assert answer.url.endswith(static("favicon.svg"))
        assert answer.headers["Content-Type"] == "image/svg+xml"


@pytest.mark.django_db
def test_public_pages_and_the_admin_name_the_icon(client):
    link = f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'
    assert link in client.get(reverse("home")).content.decode()
    assert link in client.get(reverse("mentees:register")).content.decode()

    login_staff(client, UserFactory(coordinator=True))
    assert link in client.get(reverse("admin:index")).content.decode()
