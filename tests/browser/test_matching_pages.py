"""Members answer a proposal in a real browser: a young person from the link of their e-mail on
a phone, a mentor from « Mes propositions »; both pages pass axe-core's WCAG 2.1 AA audit."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from matching.enums import MentorshipStatus, Response, Side
from matching.links import response_path
from matching.models import Mentorship
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.users.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

SCREENS = ["desktop", "phone"]
EXPLANATION = [
    {"label": "aide à trouver une alternance : oui", "ok": True},
    {"label": "disponibilités communes : soir en semaine", "ok": True},
    {"label": "aucune langue commune", "ok": False},
]


def proposal_to_a_young_person(**overrides):
    return MentorshipFactory(
        mentor__user__first_name="Sophie",
        mentor__job_title="Cheffe de projet",
        mentor__employer="Orange",
        mentee__user__first_name="Yanis",
        explanation=EXPLANATION,
        **overrides,
    )


def log_in(page, user):
    page.goto(reverse("login"))
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def reason_field(page):
    return page.get_by_label(re.compile(r"En cas de refus, pourquoi"))


def test_a_young_person_accepts_a_proposal_from_the_link_on_a_phone(phone_page, assert_accessible):
    mentorship = proposal_to_a_young_person()

    phone_page.goto(response_path(mentorship, Side.MENTEE))

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Proposition de binôme")
    expect(phone_page.get_by_role("heading", name="Ton mentor : Sophie")).to_be_visible()
    expect(phone_page.get_by_text("Cheffe de projet")).to_be_visible()
    expect(phone_page.get_by_role("heading", name="Pourquoi ce binôme")).to_be_visible()
    expect(phone_page.get_by_text("Aide à trouver une alternance : oui")).to_have_count(0)
    assert_accessible(phone_page)
    # Opening the page answered nothing: mail scanners open links too.
    assert Mentorship.objects.get().mentee_response == Response.PENDING

    phone_page.get_by_role("button", name="J'accepte le binôme avec Sophie").click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Merci pour ta réponse")
    expect(phone_page.get_by_text("tu as accepté le binôme avec Sophie")).to_be_visible()
    mentorship.refresh_from_db()
    assert mentorship.mentee_response == Response.ACCEPTED
    assert mentorship.mentor_response == Response.PENDING


def test_a_young_person_declines_from_the_link_and_is_asked_for_a_reason_first(
    phone_page, assert_accessible
):
    mentorship = proposal_to_a_young_person()
    phone_page.goto(response_path(mentorship, Side.MENTEE))

    phone_page.get_by_role("button", name="Je refuse le binôme avec Sophie").click()

    reason = reason_field(phone_page)
    expect(reason).to_have_accessible_description(
        re.compile("Le motif est obligatoire pour refuser")
    )
    expect(phone_page.get_by_role("alert")).to_be_visible()
    assert_accessible(phone_page)
    assert Mentorship.objects.get().status == MentorshipStatus.PROPOSED

    reason.fill("Je cherche plutôt un mentor dans la santé.")
    phone_page.get_by_role("button", name="Je refuse le binôme avec Sophie").click()

    expect(phone_page.get_by_text("Ton refus est bien enregistré")).to_be_visible()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.DECLINED
    assert mentorship.decline_reason == "Jeune : Je cherche plutôt un mentor dans la santé."


@pytest.mark.parametrize("screen", SCREENS)
def test_the_signed_link_page_has_no_accessibility_violation(open_page, assert_accessible, screen):
    page = open_page(screen)
    mentorship = proposal_to_a_young_person()

    page.goto(response_path(mentorship, Side.MENTOR))

    expect(page.get_by_role("heading", name="Accompagner Yanis")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_my_proposals_has_no_accessibility_violation(open_page, assert_accessible, screen):
    mentor = MentorFactory(approved=True, capacity=3, user__first_name="Sophie")
    MentorshipFactory(mentor=mentor, mentee__user__first_name="Yanis", explanation=EXPLANATION)
    MentorshipFactory(mentor=mentor, mentee__user__first_name="Inès", active=True)
    MentorshipFactory(mentor=mentor, mentee__user__first_name="Lucas", declined=True)
    page = open_page(screen)
    log_in(page, mentor.user)

    page.goto(reverse("matching:my_proposals"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Mes propositions")
    expect(page.get_by_role("heading", name="Accompagner Yanis")).to_be_visible()
    expect(page.get_by_role("heading", name="Accompagner Inès")).to_be_visible()
    assert_accessible(page)

    # A decline without a reason comes back with its error, which must be accessible too.
    page.get_by_role("button", name="Je refuse le binôme avec Yanis").click()
    expect(reason_field(page)).to_have_accessible_description(
        re.compile("Le motif est obligatoire pour refuser")
    )
    assert_accessible(page)


def test_a_mentor_accepts_from_my_proposals(page):
    mentorship = MentorshipFactory(mentee__user__first_name="Yanis")
    log_in(page, mentorship.mentor.user)
    page.goto(reverse("matching:my_proposals"))

    page.get_by_role("button", name="J'accepte le binôme avec Yanis").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Merci, vous avez accepté le binôme avec Yanis."
    )
    expect(page.get_by_role("heading", name="Mes binômes")).to_be_visible()
    mentorship.refresh_from_db()
    assert mentorship.mentor_response == Response.ACCEPTED
