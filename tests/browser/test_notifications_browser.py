"""In a real browser on a phone: a guardian opens the objection link of the e-mail, reads the
proposal and objects; the young person receives the meeting the mentor planned and opens it
from the e-mail. Every page passes axe-core and none scrolls sideways."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from matching.enums import MentorshipStatus
from matching.services import mentorship_propose
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

SITE = re.compile(r"http://testserver(/\S*?)(?=[\s\"<]|$)")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page, user, next_path):
    page.goto(f"{reverse('login')}?next={next_path}")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def links_in(message) -> list[str]:
    return [match.group(1) for match in SITE.finditer(message.body)]


def test_a_guardian_objects_from_the_link_on_a_phone(phone_page, assert_accessible, mailoutbox):
    mentee = MenteeFactory(approved=True, minor=True, with_consent=True, user__first_name="Yanis")
    mentor = MentorFactory(
        approved=True, for_minors=True, user__first_name="Sophie", job_title="Cheffe de projet"
    )
    mentorship = mentorship_propose(
        mentee=mentee, mentor=mentor, proposed_by=UserFactory(coordinator=True)
    )
    [message] = [m for m in mailoutbox if m.to == [mentee.guardian_email]]
    [path] = [link for link in links_in(message) if "/opposition/" in link]

    phone_page.goto(path)
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(
        "Un mentor proposé à votre enfant"
    )
    expect(phone_page.get_by_text("Cheffe de projet")).to_be_visible()
    assert fits_the_phone(phone_page)
    assert_accessible(phone_page)

    phone_page.get_by_role("button", name="Je m'oppose à ce binôme").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(
        "Votre opposition est enregistrée"
    )
    assert fits_the_phone(phone_page)
    assert_accessible(phone_page)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.DECLINED

    # The same link opened again says so, and a broken one gets a French page.
    phone_page.goto(path)
    expect(phone_page.get_by_text("Votre opposition est déjà enregistrée")).to_be_visible()
    assert_accessible(phone_page)
    phone_page.goto(path[:-6] + "XXXXX/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Lien non valide")
    assert fits_the_phone(phone_page)
    assert_accessible(phone_page)


def test_the_young_person_receives_the_meeting_the_mentor_planned(
    open_page, assert_accessible, mailoutbox
):
    pair = MentorshipFactory(
        active=True,
        started_on=timezone.localdate() - datetime.timedelta(days=20),
        mentor__user__first_name="Sophie",
        mentee__user__first_name="Yanis",
    )
    starts_at = timezone.localtime() + datetime.timedelta(days=6)
    starts_at = starts_at.replace(hour=18, minute=30, second=0, microsecond=0)

    mentor_page = open_page("phone")
    log_in(mentor_page, pair.mentor.user, reverse("sessions:plan_meeting", args=[pair.pk]))
    mentor_page.get_by_label("Date et heure").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    mentor_page.get_by_label("Lieu").fill("Médiathèque Ulysse, Saint-Denis")
    mentor_page.get_by_role("button", name="Enregistrer la rencontre").click()
    expect(mentor_page.get_by_text("La prochaine rencontre est prévue")).to_be_visible()

    [message] = [m for m in mailoutbox if m.to == [pair.mentee.user.email]]
    assert "Sophie a prévu votre prochaine rencontre" in message.body
    assert "18:30" in message.body
    [(name, _, _)] = message.attachments
    assert name == "rencontre.ics"
    assert [m.to for m in mailoutbox] == [[pair.mentee.user.email]]  # not the mentor

    [pair_path] = [link for link in links_in(message) if "/binome" in link or "/espace" in link]
    young_page = open_page("phone")
    log_in(young_page, pair.mentee.user, pair_path)
    expect(young_page.get_by_text("Médiathèque Ulysse, Saint-Denis").first).to_be_visible()
    agenda = young_page.get_by_role("link", name=re.compile("ajouter à mon agenda"))
    expect(agenda.first).to_be_visible()
    assert fits_the_phone(young_page)
    assert_accessible(young_page)
