"""A new registration, a young person's or a mentor's, belongs to the antenne of its
département; none covers it: the national programme."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mentees.models import Mentee
from mentors.models import Mentor
from tests.antennes.factories import make_antenne
from tests.mentees.form_data import mentee_form_data
from tests.mentors.form_data import mentor_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def antennes(db):
    return {
        "Île-de-France Est": make_antenne("Île-de-France Est", ["93", "94", "77"]),
        "La Réunion": make_antenne("La Réunion", ["974"]),
        "Corse": make_antenne("Corse", ["2A", "2B"]),
    }


ROUTES = [
    # postal code, antenne (None: national)
    ("93200", "Île-de-France Est"),  # covered
    ("94300", "Île-de-France Est"),  # another département of the same antenne
    ("69003", None),  # uncovered
    ("97400", "La Réunion"),  # overseas, covered
    ("97110", None),  # overseas, uncovered (Guadeloupe)
    ("20000", "Corse"),  # Corse-du-Sud, a département code that is not a number
    ("20600", "Corse"),  # Haute-Corse
]


@pytest.mark.parametrize(("postal_code", "expected"), ROUTES)
def test_a_young_person_registering_joins_the_antenne_of_their_departement(
    client, antennes, django_capture_on_commit_callbacks, postal_code, expected
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentees:register"), mentee_form_data(postal_code=postal_code)
        )

    assert response.status_code == 302
    mentee = Mentee.objects.get()
    assert (mentee.antenne.name if mentee.antenne else None) == expected


@pytest.mark.parametrize(("postal_code", "expected"), ROUTES)
def test_a_mentor_registering_joins_the_antenne_of_their_departement(
    client, antennes, django_capture_on_commit_callbacks, postal_code, expected
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentors:register"), mentor_form_data(postal_code=postal_code)
        )

    assert response.status_code == 302
    mentor = Mentor.objects.get()
    assert (mentor.antenne.name if mentor.antenne else None) == expected


def test_with_no_antenne_at_all_everybody_is_national(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentors:register"), mentor_form_data(postal_code="93200"))

    assert Mentor.objects.get().antenne is None
