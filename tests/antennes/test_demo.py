"""The demo's antennes cover the demo people's départements, and the demo logins belong to
one: their pages show its contacts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentees.models import Mentee
from mentorat.demo.seed import MENTEE_EMAIL, MENTOR_EMAIL
from mentors.models import Mentor
from users.antennes import Antenne
from users.models import User

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_three_antennes_with_their_people_and_the_others_national():
    seed()

    assert list(Antenne.objects.values_list("name", flat=True)) == [
        "Auvergne-Rhône-Alpes",
        "Hauts-de-France",
        "Île-de-France",
    ]
    for model in (Mentor, Mentee):
        for registration in model.objects.select_related("antenne"):
            covering = Antenne.objects.for_department(registration.department)
            assert registration.antenne == covering, registration
    # Some demo people live where no antenne is: the national programme.
    assert Mentee.objects.filter(antenne=None).exists()
    assert Mentor.objects.filter(antenne=None).exists()


def test_running_the_demo_again_changes_no_antenne():
    seed()
    before = list(Antenne.objects.values_list("pk", "name", "contact_email"))
    moved = list(Mentee.objects.values_list("pk", "antenne"))

    seed()

    assert list(Antenne.objects.values_list("pk", "name", "contact_email")) == before
    assert list(Mentee.objects.values_list("pk", "antenne")) == moved


@pytest.mark.parametrize("email", [MENTOR_EMAIL, MENTEE_EMAIL])
def test_the_demo_mentor_and_young_person_see_their_antenne_s_contacts(client, email):
    seed()
    client.force_login(User.objects.get(email=email))

    page = client.get(reverse("spaces:home")).content.decode()

    assert "Mon antenne : Île-de-France" in page
    assert "01 99 00 01 01" in page
