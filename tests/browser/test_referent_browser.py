"""A référent, in a real browser: logs in to the admin, opens their home and reviews a
session awaiting follow-up in place, with a comment and the « à surveiller » flag."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sessions.models import FollowUp
from tests.browser.test_admin_matching import assert_section_accessible, log_in_to_the_admin
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_referent_reviews_a_session_from_their_home(page):
    referent = UserFactory(staff=True)
    session = SessionFactory(mentorship__mentor__referent=referent)

    log_in_to_the_admin(page, referent)
    page.goto(reverse("admin:referent_home"))
    expect(page.get_by_role("heading", name="Séances à suivre")).to_be_visible()
    # The admin's chrome (breadcrumbs) has its own axe findings: only this page's part is audited.
    assert_section_accessible(page, "#content-main")

    form = page.locator(f"form[action='{reverse('admin:referent_follow_up', args=[session.pk])}']")
    expect(form.get_by_label("Séance vue")).to_be_checked()
    form.get_by_label("Commentaire").fill("Bonne séance, à relancer sur le stage.")
    form.get_by_label("À surveiller").check()
    form.get_by_role("button", name="Enregistrer le suivi").click()

    expect(page.get_by_text("Aucune séance à suivre.")).to_be_visible()
    follow_up = FollowUp.objects.get(session=session)
    assert follow_up.reviewed
    assert follow_up.needs_attention
    assert follow_up.comment == "Bonne séance, à relancer sur le stage."
