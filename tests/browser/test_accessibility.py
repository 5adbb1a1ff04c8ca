"""Every public page passes axe-core's WCAG 2.1 AA audit, as shown and after a failed submit,
on a desktop screen and on a phone: young people register mostly from their phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.users.factories import UserFactory

pytestmark = pytest.mark.browser

SCREENS = ["desktop", "phone"]
FORMS = [
    pytest.param("mentors:register", "Devenir mentor", id="mentor-form"),
    pytest.param("mentees:register", "Trouver un mentor", id="young-person-form"),
]
# The error summary's heading: « vous » for a mentor, « tu » for a young person.
ERRORS_HEADING = {
    "mentors:register": "Votre inscription n'a pas pu être envoyée",
    "mentees:register": "Ton inscription n'a pas pu être envoyée",
}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        pytest.param("home", "Un mentor pour avancer, un jeune à accompagner", id="home"),
        pytest.param("privacy", "Politique de confidentialité", id="privacy"),
        pytest.param("mentors:register", "Devenir mentor", id="mentor-form"),
        pytest.param("mentees:register", "Trouver un mentor", id="young-person-form"),
        pytest.param("login", "Se connecter", id="login"),
    ],
)
def test_a_public_page_has_no_accessibility_violation(
    open_page, assert_accessible, url_name, heading, screen
):
    page = open_page(screen)
    response = page.goto(reverse(url_name))

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(("url_name", "submit_label"), FORMS)
def test_a_form_sent_empty_shows_its_errors_accessibly(
    open_page, assert_accessible, url_name, submit_label, screen
):
    page = open_page(screen)
    page.goto(reverse(url_name))

    page.get_by_role("button", name=submit_label).click()

    expect(page.locator("#form-errors")).to_contain_text(ERRORS_HEADING[url_name])
    assert_accessible(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_wrong_password_is_reported_accessibly(open_page, assert_accessible, screen):
    UserFactory(email="camille.martin@example.org")
    page = open_page(screen)
    login_url = reverse("login")
    page.goto(login_url)

    page.get_by_label("Adresse e-mail").fill("camille.martin@example.org")
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert page.url.endswith(login_url)
    assert_accessible(page)
