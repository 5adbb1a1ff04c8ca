"""A coordinator moves a person to another antenne from their page: recorded (who, when, why)
and shown there; refused in French when nothing would change or without a reason."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from mentees.models import Mentee
from tests.antennes.factories import make_antenne
from tests.mentees.factories import MenteeFactory
from tests.mentors.factories import MentorFactory
from tests.users.staff import login_staff, make_coordinator, make_referent
from users.antennes import Antenne, AntenneMove
from users.services import AntenneError, registration_move_antenne

pytestmark = pytest.mark.django_db

MOVED_AT = datetime.datetime(2026, 4, 2, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture
def est():
    return make_antenne("Île-de-France Est", ["93"])


@pytest.fixture
def lyon():
    return make_antenne("Lyon Métropole", ["69"])


@pytest.fixture
def coordinator():
    return make_coordinator(first_name="Camille", last_name="Martin")


def test_a_move_is_recorded_with_who_when_from_where_to_where_and_why(est, lyon, coordinator):
    mentee = MenteeFactory(postal_code="93200", antenne=est)

    with time_machine.travel(MOVED_AT, tick=False):
        move = registration_move_antenne(
            registration=mentee, antenne=lyon, moved_by=coordinator, reason="Déménage à Lyon"
        )

    mentee.refresh_from_db()
    assert mentee.antenne == lyon
    assert (move.person, move.from_antenne, move.to_antenne, move.moved_by) == (
        mentee.user,
        est,
        lyon,
        coordinator,
    )
    assert (move.moved_at, move.reason) == (MOVED_AT, "Déménage à Lyon")
    # The person's history says it too.
    latest = mentee.history.order_by("history_id").last()
    assert (latest.antenne_id, latest.history_user) == (lyon.pk, coordinator)
    assert latest.history_change_reason == "Changement d'antenne : Déménage à Lyon"


def test_a_person_may_be_moved_to_the_national_programme_and_back(est, coordinator):
    mentor = MentorFactory(antenne=est)

    registration_move_antenne(registration=mentor, antenne=None, moved_by=coordinator, reason="x")
    registration_move_antenne(registration=mentor, antenne=est, moved_by=coordinator, reason="y")

    assert [(m.from_antenne, m.to_antenne) for m in AntenneMove.objects.order_by("pk")] == [
        (est, None),
        (None, est),
    ]


@pytest.mark.parametrize(
    ("target", "reason", "message"),
    [
        ("same", "Erreur", "est déjà rattaché·e à l'antenne Île-de-France Est."),
        ("unknown", "Erreur", "Cette antenne n'existe pas (ou plus)."),
        ("lyon", "   ", "Indiquez le motif du changement d'antenne."),
    ],
)
def test_a_move_is_refused_in_french_and_records_nothing(
    est, lyon, coordinator, target, reason, message
):
    mentee = MenteeFactory(antenne=est)
    antenne = {"same": est, "lyon": lyon, "unknown": Antenne(pk=999_999, name="Fantôme")}[target]

    with pytest.raises(AntenneError, match=re.escape(message)):
        registration_move_antenne(
            registration=mentee, antenne=antenne, moved_by=coordinator, reason=reason
        )

    mentee.refresh_from_db()
    assert mentee.antenne == est
    assert not AntenneMove.objects.exists()


def test_a_national_person_moved_to_national_is_told_so(coordinator):
    mentee = MenteeFactory(antenne=None)

    with pytest.raises(AntenneError, match="déjà rattaché·e au programme national"):
        registration_move_antenne(
            registration=mentee, antenne=None, moved_by=coordinator, reason="x"
        )


# --- From the person's page in the admin.


def page_of(mentee):
    return reverse("admin:mentees_mentee_change", args=[mentee.pk])


def move_url(mentee):
    return reverse("admin:mentees_mentee_antenne", args=[mentee.pk])


def test_the_coordinator_clicks_from_the_page_moves_and_sees_the_move_on_the_page(
    client, est, lyon, coordinator
):
    mentee = MenteeFactory(antenne=est, user__first_name="Inès", user__last_name="Moreau")
    login_staff(client, coordinator)

    page = client.get(page_of(mentee)).content.decode()
    assert "Antenne : Île-de-France Est" in page
    assert f'href="{move_url(mentee)}"' in page
    assert "Aucun changement d&#x27;antenne." in page

    form = client.get(move_url(mentee))
    assert form.status_code == 200
    assert "est aujourd'hui rattaché·e à : Île-de-France Est" in form.content.decode()
    with time_machine.travel(MOVED_AT, tick=False):
        response = client.post(move_url(mentee), {"antenne": lyon.pk, "reason": "Déménagement"})

    assert response.status_code == 302
    assert response.url == page_of(mentee)
    assert Mentee.objects.get(pk=mentee.pk).antenne == lyon
    page = client.get(page_of(mentee)).content.decode()
    assert "Antenne : Lyon Métropole" in page
    # Paris time, the coordinator, from, to, why.
    assert (
        "02/04/2026 à 12:30 : Île-de-France Est → Lyon Métropole par Camille Martin "
        "(Déménagement)" in page
    )


def test_a_refused_move_is_said_beside_the_field_and_keeps_the_reason(client, est, coordinator):
    mentee = MenteeFactory(antenne=est)
    login_staff(client, coordinator)

    response = client.post(move_url(mentee), {"antenne": est.pk, "reason": "Je me suis trompé"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["antenne"] == [
        f"{mentee} est déjà rattaché·e à l'antenne Île-de-France Est."
    ]
    assert "Je me suis trompé" in response.content.decode()
    assert not AntenneMove.objects.exists()


def test_an_unknown_antenne_in_the_form_is_refused_in_french(client, est, coordinator):
    mentee = MenteeFactory(antenne=est)
    login_staff(client, coordinator)

    response = client.post(move_url(mentee), {"antenne": 999_999, "reason": "x"})

    assert response.context["form"].errors["antenne"] == ["Choisissez une antenne de la liste."]


def test_a_referent_may_not_move_anybody(client, est):
    referent = make_referent()
    mentor = MentorFactory(antenne=est, referent=referent, approved=True)
    login_staff(client, referent)

    response = client.post(
        reverse("admin:mentors_mentor_antenne", args=[mentor.pk]),
        {"antenne": "", "reason": "x"},
    )

    assert response.status_code == 403
    assert not AntenneMove.objects.exists()
