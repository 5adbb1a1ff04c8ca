"""A référent, in a real browser: logs in to the admin, opens their home and reviews a
session awaiting follow-up in place, with a comment and the « à surveiller » flag; follows a
long queue to the sessions list; notes an exchange with one of their mentors."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mentorat.staff.referent_views import SESSIONS_SHOWN
from mentors.models import Exchange
from sessions.models import FollowUp
from tests.browser.conftest import assert_no_accessibility_violations, log_in_to_the_admin
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory
from tests.users.staff import make_referent

pytestmark = pytest.mark.browser


def test_a_referent_reviews_a_session_from_their_home(page):
    referent = UserFactory(staff=True)
    session = SessionFactory(mentorship__mentor__referent=referent)

    log_in_to_the_admin(page, referent)
    page.goto(reverse("admin:referent_home"))
    expect(page.get_by_role("heading", name="Séances à suivre")).to_be_visible()
    # The admin's chrome (breadcrumbs) has its own axe findings: only this page's part is audited.
    assert_no_accessibility_violations(page)

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


def test_a_long_queue_leads_to_the_sessions_list(page):
    referent = make_referent()
    pair = MentorshipFactory(active=True, mentor__referent=referent)
    today = timezone.localdate()
    for days in range(1, SESSIONS_SHOWN + 2):
        SessionFactory(mentorship=pair, held_on=today - datetime.timedelta(days=days))

    log_in_to_the_admin(page, referent)
    page.goto(reverse("admin:referent_home"))
    expect(page.get_by_role("button", name="Enregistrer le suivi")).to_have_count(SESSIONS_SHOWN)
    assert_no_accessibility_violations(page)

    total = SESSIONS_SHOWN + 1
    page.get_by_role("link", name=f"Voir les {total} séances en attente de suivi").click()
    expect(page).to_have_url(re.compile(r"suivi=attente"))
    expect(page.locator("#result_list tbody tr")).to_have_count(total)


def test_a_referent_notes_an_exchange_with_a_mentor(page):
    referent = UserFactory(staff=True)
    pair = MentorshipFactory(active=True, mentor__referent=referent)

    log_in_to_the_admin(page, referent)
    page.goto(reverse("admin:referent_home"))
    form = page.locator(f"form[action='{reverse('admin:referent_exchange')}']")
    form.get_by_label(str(pair.mentor)).check()
    form.get_by_label("Type").select_option(label="appel")
    form.get_by_label("Note").fill("Point sur le rythme des séances.")
    form.get_by_role("button", name="Enregistrer l'échange").click()

    expect(page.get_by_text("Échange enregistré.")).to_be_visible()
    exchange = Exchange.objects.get()
    assert list(exchange.mentors.all()) == [pair.mentor]
    assert exchange.note == "Point sur le rythme des séances."
