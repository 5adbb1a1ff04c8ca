"""A page in a real browser asks for nothing that answers an error: its icon included."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_and_the_admin_login_ask_for_nothing_that_fails(page):
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))

    for url in [reverse("home"), reverse("admin:login")]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    # The browser's own request for /favicon.ico, as every browser makes it.
    icon = page.request.get("/favicon.ico")

    assert failed == []
    assert icon.status == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    assert page.locator("link[rel=icon]").get_attribute("href") == static("favicon.svg")
