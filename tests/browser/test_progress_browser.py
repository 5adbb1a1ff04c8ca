"""The questionnaires read in a real browser: the progress page on a phone and a submitted
response pass axe-core's WCAG 2.1 AA audit, and the chart fits the screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.enums import Moment
from tests.evaluations.test_progress import complete_pair

from .test_matching_pages import log_in
from .test_spaces_browser import assert_fits_the_screen

# The live server needs committed data; the default questionnaire that the flush after each
# such test removes is put back by tests/conftest.py.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_progress_page_is_accessible_on_a_phone(phone_page, assert_accessible):
    pair = complete_pair(mentee__user__first_name="Yanis")
    log_in(phone_page, pair.mentor.user)

    phone_page.goto(reverse("evaluations:progress", args=[pair.pk]))

    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Progression de Yanis")
    expect(
        phone_page.get_by_role("img", name="Évolution des réponses entre le début et la fin")
    ).to_be_visible()
    expect(phone_page.get_by_role("table")).to_contain_text("en hausse de 2")
    assert_fits_the_screen(phone_page)
    assert_accessible(phone_page)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_submitted_response_is_accessible(open_page, assert_accessible, screen):
    pair = complete_pair()
    start = pair.responses.get(moment=Moment.START)
    page = open_page(screen)
    log_in(page, pair.mentor.user)

    page.goto(reverse("evaluations:response", args=[start.pk]))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Questionnaire de début")
    expect(page.get_by_text("2 sur 5").first).to_be_visible()
    assert_fits_the_screen(page)
    assert_accessible(page)


def test_the_mentor_goes_from_the_pair_page_to_the_progress(page, assert_accessible):
    pair = complete_pair()
    log_in(page, pair.mentor.user)

    page.goto(reverse("spaces:pair", args=[pair.pk]))
    assert_accessible(page)
    page.get_by_role("link", name="Voir la progression entre le début et la fin").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Progression de")
    assert_accessible(page)
