"""A mentor's « Mes formations » (the coming sessions, one click to sign up or cancel) and
volunteer's attestation (their mentoring hours and trainings, printable): their own only, a
404 for anybody who is not a mentor, in a constant number of queries."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentors.models import TrainingRegistration
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import (
    MentorFactory,
    TrainingRegistrationFactory,
    TrainingSessionFactory,
)
from tests.sessions.factories import SessionFactory
from tests.users.staff import login_staff, make_referent

pytestmark = pytest.mark.django_db

TRAININGS = reverse("spaces:trainings")
ATTESTATION = reverse("spaces:attestation")
HOME = reverse("spaces:home")
NOW = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC)
STARTS = datetime.datetime(2026, 6, 10, 16, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mentor(client):
    mentor = MentorFactory(approved=True)
    client.force_login(mentor.user)
    return mentor


def test_the_home_links_a_mentor_to_their_trainings(client, mentor):
    html = client.get(HOME).content.decode()

    assert "Je n'ai pas encore suivi la formation initiale des mentors." in html
    assert f'href="{TRAININGS}"' in html
    assert f'href="{ATTESTATION}"' in html


def test_the_home_of_a_young_person_has_no_trainings(client):
    client.force_login(MenteeFactory(approved=True).user)

    assert TRAININGS not in client.get(HOME).content.decode()


def test_a_mentor_signs_up_in_one_click_then_cancels(client, mentor):
    session = TrainingSessionFactory(starts_at=STARTS, title="Formation initiale de juin")
    TrainingSessionFactory(past=True, title="Formation passée")

    page = client.get(TRAININGS).content.decode()
    assert "Formation initiale de juin" in page
    assert "Formation passée" not in page
    assert "le mercredi 10 juin 2026 à 18:00 (heure de Paris)" in page.replace("Le ", "le ")
    assert "12 places libres sur 12" in page

    response = client.post(reverse("spaces:training_sign_up", args=[session.pk]), follow=True)
    html = response.content.decode()
    assert "Inscription confirmée" in html
    assert "Je suis inscrit·e." in html
    assert "11 places libres sur 12" in html
    assert TrainingRegistration.objects.filter(session=session, mentor=mentor).exists()

    response = client.post(reverse("spaces:training_cancel", args=[session.pk]), follow=True)
    assert "Inscription annulée" in response.content.decode()
    assert not TrainingRegistration.objects.filter(session=session, mentor=mentor).exists()


def test_a_full_session_offers_no_button_and_refuses_a_seat(client, mentor):
    session = TrainingSessionFactory(starts_at=STARTS, capacity=1)
    TrainingRegistrationFactory(session=session)

    page = client.get(TRAININGS).content.decode()
    assert "Complet" in page
    assert reverse("spaces:training_sign_up", args=[session.pk]) not in page
    response = client.post(reverse("spaces:training_sign_up", args=[session.pk]), follow=True)

    assert "Cette session est complète" in response.content.decode()
    assert not session.registrations.filter(mentor=mentor).exists()


def test_a_past_session_is_not_found_for_signing_up(client, mentor):
    past = TrainingSessionFactory(past=True)

    response = client.post(reverse("spaces:training_sign_up", args=[past.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("url", [TRAININGS, ATTESTATION])
@pytest.mark.parametrize("who", ["young_person", "referent", "rejected_mentor"])
def test_anybody_but_a_mentor_finds_nothing(client, url, who):
    if who == "young_person":
        client.force_login(MenteeFactory(approved=True).user)
    elif who == "referent":
        login_staff(client, make_referent())
    else:
        client.force_login(MentorFactory(rejected=True).user)

    assert client.get(url).status_code == 404


def test_the_attestation_lists_the_mentoring_hours_and_the_trainings_attended(client, mentor):
    first = MentorshipFactory(
        mentor=mentor, closed=True, mentee__user__last_name="Zerrouki-Attestation"
    )
    SessionFactory.create_batch(2, mentorship=first, duration_minutes=90, held_on=first.started_on)
    current = MentorshipFactory(mentor=mentor, active=True)
    SessionFactory(mentorship=current, duration_minutes=60)
    MentorshipFactory(mentor=mentor)  # proposed, never started: not on the attestation
    TrainingRegistrationFactory(
        mentor=mentor,
        attended=True,
        session__title="Formation initiale d'avril",
        session__starts_at=datetime.datetime(2026, 4, 14, 16, 0, tzinfo=datetime.UTC),
    )
    TrainingRegistrationFactory(
        mentor=mentor, attended=False, session__past=True, session__title="Atelier manqué"
    )

    html = client.get(ATTESTATION).content.decode()

    assert "Attestation de bénévolat" in html
    assert settings.ASSOCIATION_NAME in html
    assert mentor.user.get_full_name() in html
    assert "Au total : 3 séances, 4h de mentorat." in html
    assert "Binôme 1" in html and "Binôme 2" in html and "Binôme 3" not in html
    assert "Formation initiale d&#x27;avril (formation initiale), le 14 avril 2026, 3h" in html
    assert "Atelier manqué" not in html
    assert "Fait le 4 mai 2026" in html
    # The young people are not named.
    assert "Zerrouki-Attestation" not in html
    # Printable: the site's header and footer are hidden in print.
    assert "no-print" in html


@pytest.mark.parametrize("url", [TRAININGS, ATTESTATION])
def test_the_pages_cost_the_same_queries_whatever_the_history(client, url):
    def queries(size: int) -> int:
        mentor = MentorFactory(approved=True, capacity=3)
        client.force_login(mentor.user)
        for _ in range(size):
            pair = MentorshipFactory(mentor=mentor, closed=True)
            SessionFactory.create_batch(2, mentorship=pair, held_on=pair.started_on)
            TrainingRegistrationFactory(mentor=mentor, session__past=True, attended=True)
            TrainingRegistrationFactory(mentor=mentor, session__starts_at=STARTS)
            TrainingSessionFactory(starts_at=STARTS)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(1) == queries(5)


def test_a_mentors_trainings_are_in_their_data(client, mentor):
    TrainingRegistrationFactory(
        mentor=mentor, attended=True, session__past=True, session__title="Atelier d'écoute"
    )

    html = client.get(reverse("spaces:my_data")).content.decode()

    assert "Formations" in html
    assert "Atelier d&#x27;écoute" in html
