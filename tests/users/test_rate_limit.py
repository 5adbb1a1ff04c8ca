import pytest
from django.test import override_settings
from django.urls import reverse

from mentees.models import Mentee
from mentors.models import Mentor
from tests.mentees.form_data import mentee_form_data
from tests.mentors.form_data import mentor_form_data

pytestmark = pytest.mark.django_db


@override_settings(REGISTRATION_RATE_LIMIT="3/h")
def test_public_forms_are_rate_limited_per_ip(client):
    for n in range(3):
        response = client.post(
            reverse("mentors:register"), mentor_form_data(email=f"m{n}@example.org")
        )
        assert response.status_code == 302

    blocked = client.post(reverse("mentees:register"), mentee_form_data())

    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.content.decode()
    assert Mentor.objects.count() == 3
    assert not Mentee.objects.exists()


@override_settings(REGISTRATION_RATE_LIMIT="1/h")
def test_another_address_keeps_its_own_budget(client):
    client.post(reverse("mentors:register"), mentor_form_data(), REMOTE_ADDR="10.0.0.1")
    response = client.post(reverse("mentees:register"), mentee_form_data(), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert Mentee.objects.count() == 1


@override_settings(REGISTRATION_RATE_LIMIT="1/h")
def test_reading_the_form_does_not_use_the_budget(client):
    for _ in range(5):
        assert client.get(reverse("mentors:register")).status_code == 200
    assert client.post(reverse("mentors:register"), mentor_form_data()).status_code == 302
