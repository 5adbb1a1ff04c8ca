"""On a phone, in a real browser: the mentor logs a session (after a first try with missing
fields), then the young person evaluates it. The session form, its error state and the
evaluation form pass axe-core's WCAG 2.1 AA audit."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from matching.enums import Side
from sessions.models import Session, SessionEvaluation
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import PlannedMeetingFactory, SessionFactory
from tests.users.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def log_in(page, user):
    page.goto(reverse("login"))
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def pair_page_path(pair) -> str:
    return reverse("spaces:pair", args=[pair.pk])


def test_a_mentor_logs_a_session_on_a_phone_then_the_young_person_evaluates_it(
    open_page, assert_accessible
):
    today = timezone.localdate()
    pair = MentorshipFactory(
        active=True,
        started_on=today - datetime.timedelta(days=30),
        mentor__user__first_name="Sophie",
        mentee__user__first_name="Yanis",
    )
    held_on = today - datetime.timedelta(days=2)

    mentor_page = open_page("phone")
    log_in(mentor_page, pair.mentor.user)
    mentor_page.goto(reverse("sessions:log", args=[pair.pk]))
    expect(mentor_page.get_by_role("heading", level=1)).to_contain_text("Enregistrer une séance")
    assert_accessible(mentor_page)

    # Sent with nothing filled in: each error is announced and tied to its field.
    mentor_page.get_by_role("button", name="Enregistrer la séance").click()
    expect(mentor_page.get_by_role("alert")).to_contain_text("La séance n'a pas été enregistrée")
    expect(mentor_page.get_by_label("Résumé")).to_have_accessible_description(
        re.compile("Résumez la séance en quelques lignes.")
    )
    expect(mentor_page.get_by_role("group", name="Format")).to_have_accessible_description(
        re.compile("Choisissez le format de la séance.")
    )
    assert_accessible(mentor_page)
    assert not Session.objects.exists()

    mentor_page.get_by_label("Date de la séance").fill(held_on.isoformat())
    mentor_page.get_by_label("Durée (en minutes)").fill("60")
    mentor_page.get_by_label("En visio").check()
    mentor_page.get_by_label("Orientation", exact=True).check()
    mentor_page.get_by_label("Confiance en soi").check()
    mentor_page.get_by_label("Résumé").fill("Nous avons préparé son entretien de stage.")
    mentor_page.get_by_label("Prochaines étapes").fill("Yanis envoie trois candidatures.")
    mentor_page.get_by_role("button", name="Enregistrer la séance").click()

    mentor_page.wait_for_url(re.compile(re.escape(pair_page_path(pair)) + "$"))
    session = Session.objects.get()
    assert (session.held_on, session.duration_minutes, session.format) == (held_on, 60, "video")
    assert session.topics == ["orientation", "self_confidence"]
    assert session.is_below_minimum
    pair.refresh_from_db()
    assert pair.last_session_on == held_on

    mentee_page = open_page("phone")
    log_in(mentee_page, pair.mentee.user)
    mentee_page.goto(reverse("sessions:list", args=[pair.pk]))
    expect(mentee_page.get_by_text("À évaluer.")).to_be_visible()
    mentee_page.get_by_role("link", name=re.compile("^Évaluer la séance du")).click()

    expect(mentee_page.get_by_role("heading", level=1)).to_contain_text("Évaluer la séance du")
    expect(
        mentee_page.get_by_role("group", name="Cette séance t'a-t-elle été utile ?")
    ).to_be_visible()
    assert_accessible(mentee_page)
    mentee_page.get_by_label("5 – Très utile").check()
    mentee_page.get_by_label("Commentaire").fill("J'ai moins peur de l'entretien.")
    mentee_page.get_by_role("button", name="Enregistrer mon évaluation").click()

    mentee_page.wait_for_url(re.compile(re.escape(pair_page_path(pair)) + "$"))
    evaluation = SessionEvaluation.objects.get()
    assert (evaluation.side, evaluation.rating, evaluation.author) == (
        Side.MENTEE,
        5,
        pair.mentee.user,
    )
    assert evaluation.comment == "J'ai moins peur de l'entretien."


@pytest.mark.parametrize(
    ("who", "url_name", "target"),
    [
        ("mentor", "sessions:list", "pair"),
        ("mentor", "sessions:evaluate", "session"),
        ("mentor", "sessions:plan_meeting", "pair"),
        ("mentee", "sessions:detail", "session"),
        ("referent", "sessions:detail", "session"),
        ("referent", "sessions:follow_up", "session"),
    ],
)
def test_the_other_sessions_pages_have_no_accessibility_violation(
    open_page, assert_accessible, who, url_name, target
):
    pair = MentorshipFactory(
        active=True,
        started_on=timezone.localdate() - datetime.timedelta(days=30),
        mentor__referent=UserFactory(staff=True),
    )
    objects = {"pair": pair, "session": SessionFactory(mentorship=pair, short=True)}
    PlannedMeetingFactory(mentorship=pair, video_link="https://visio.example.org/abc")
    user = {
        "mentor": pair.mentor.user,
        "mentee": pair.mentee.user,
        "referent": pair.mentor.referent,
    }[who]
    page = open_page("phone")
    log_in(page, user)

    page.goto(reverse(url_name, args=[objects[target].pk]))

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
