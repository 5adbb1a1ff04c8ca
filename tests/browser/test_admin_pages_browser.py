"""The staff's admin pages, whole (the admin's own chrome included), pass axe-core's WCAG 2.1
AA audit: the breadcrumbs are underlined by static/admin/mentorat.css."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mentees.models import PriorityMark
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
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


def test_a_coordinator_confirms_adds_and_removes_a_young_person_s_publics(page, assert_accessible):
    mentee = MenteeFactory(publics=["QPV", "ASE"])
    coordinator = make_coordinator(first_name="Camille", last_name="Martin")
    log_in_to_the_admin(page, coordinator)
    page.goto(reverse("admin:mentees_mentee_change", args=[mentee.pk]))
    box = page.get_by_role("region", name="Publics prioritaires")

    box.get_by_role("button", name="Confirmer « Quartier prioritaire (QPV) »").click()
    expect(page.get_by_text("Public « Quartier prioritaire (QPV) » confirmé.")).to_be_visible()
    box.get_by_role("button", name="Retirer « Aide sociale à l'enfance (ASE) »").click()
    box.get_by_label("Ajouter un public").select_option(label="Zone rurale (ZRR)")
    box.get_by_role("button", name="Ajouter", exact=True).click()

    expect(box.get_by_text("confirmé par Camille Martin", exact=False)).to_have_count(2)
    assert_accessible(page)
    marks = PriorityMark.objects.filter(mentee=mentee).order_by("public__code")
    assert [(m.public.code, m.confirmed_by) for m in marks] == [
        ("QPV", coordinator),
        ("ZRR", coordinator),
    ]
