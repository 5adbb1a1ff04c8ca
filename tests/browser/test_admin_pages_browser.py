"""The staff's admin pages, whole (the admin's own chrome included), pass axe-core's WCAG 2.1
AA audit: the breadcrumbs are underlined by static/admin/mentorat.css."""

import pytest
from django.urls import reverse

from tests.matching.factories import MentorshipFactory
from tests.users.staff import make_coordinator

from .conftest import log_in_to_the_admin

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "url_name",
    ["admin:index", "admin:matching_mentorship_changelist", "admin:mentees_mentee_changelist"],
)
def test_an_admin_page_has_no_accessibility_violation(page, assert_accessible, url_name):
    MentorshipFactory(active=True)
    log_in_to_the_admin(page, make_coordinator())

    page.goto(reverse(url_name))

    assert_accessible(page)


def test_an_admin_change_page_has_no_accessibility_violation(page, assert_accessible):
    pair = MentorshipFactory(active=True)
    log_in_to_the_admin(page, make_coordinator())

    page.goto(reverse("admin:matching_mentorship_change", args=[pair.pk]))

    assert_accessible(page)
