"""Every member page on a 390 px phone, for the young person and the mentor of a pair with
everything on it (objectives, sessions, a planned meeting, both questionnaires, reminders):
nothing scrolls sideways (tables become cards) and axe-core finds no violation of any
impact, also when members typed very long words and markup."""

import pytest
from django.urls import reverse

from matching.enums import Side
from tests.spaces.member_pages import a_full_pair, member_pages
from tests.spaces.test_hostile_values import HOSTILE

from .conftest import accessibility_violations, describe_violation
from .test_matching_pages import log_in

# The live server needs committed data; tests/conftest.py puts the default questionnaire
# back after each such test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
# Elements that stick out of the screen, the tables inside a scrolling box too (a
# .table-responsive box keeps the page's width but hides columns off-screen).
OFF_SCREEN = """() => Array.from(document.querySelectorAll('main *'))
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
        && el.getClientRects().length)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))
    .slice(0, 3)"""


@pytest.mark.parametrize("typed", ["ordinary", "hostile"])
@pytest.mark.parametrize("side", [Side.MENTEE, Side.MENTOR])
def test_every_member_page_fits_a_phone_and_passes_axe(phone_page, side, typed):
    if typed == "hostile":
        pair = a_full_pair(text=HOSTILE, mentee__user__first_name=HOSTILE[:150])
    else:
        pair = a_full_pair()
    member = pair.mentor if side == Side.MENTOR else pair.mentee
    log_in(phone_page, member.user)
    problems = []

    for name, url in member_pages(pair, side).items():
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            problems.append(f"{name}: {width} px wide")
        if outside := phone_page.evaluate(OFF_SCREEN):
            problems.append(f"{name}: off-screen {outside}")
        problems += [
            f"{name}: {describe_violation(v)}" for v in accessibility_violations(phone_page)
        ]

    assert problems == [], "\n".join(problems)


def test_the_progress_pages_info_box_is_readable_on_a_phone(phone_page):
    """Only the start questionnaire sent: the info box with its link (3.85:1 before)."""
    from evaluations.enums import Moment
    from tests.evaluations.test_progress import closing_pair
    from tests.spaces.questionnaires import respond

    pair = closing_pair()
    respond(pair, Moment.START)
    log_in(phone_page, pair.mentee.user)

    phone_page.goto(reverse("evaluations:progress", args=[pair.pk]))

    assert phone_page.get_by_role("link", name="Lire le questionnaire de début").is_visible()
    assert [describe_violation(v) for v in accessibility_violations(phone_page)] == []
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
