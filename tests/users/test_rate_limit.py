import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentees.models import Mentee
from mentors.models import Mentor
from tests.mentees.form_data import mentee_form_data
from tests.mentors.form_data import mentor_form_data
from tests.users.factories import UserFactory
from tests.users.password_reset import ask_password_link

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


# Password reset: 5 requests an hour per address and per IP (PASSWORD_RESET_RATE_LIMIT), then
# the same answer without the e-mail. The cache, which holds the counters, is cleared around
# every test (tests/conftest.py).

START = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)


def ask_reset(client, email, ip="192.0.2.1"):
    response = ask_password_link(client, email, REMOTE_ADDR=ip)
    return response.status_code, response["Location"], response.content


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_the_setting_allows_five_reset_requests_an_hour():
    assert settings.PASSWORD_RESET_RATE_LIMIT == "5/h"


def test_the_sixth_request_for_one_address_in_an_hour_sends_no_email(client, frozen):
    UserFactory(email="lea.martin@example.org")
    # From five different places, whatever the case and spaces: one address, one budget.
    spellings = ["lea.martin@example.org", " Lea.Martin@Example.org ", "LEA.MARTIN@EXAMPLE.ORG"]
    answers = [ask_reset(client, spellings[n % 3], ip=f"192.0.2.{n}") for n in range(1, 6)]
    assert len(mail.outbox) == 5

    limited = ask_reset(client, "lea.martin@example.org", ip="192.0.2.6")

    assert limited == answers[0] == (302, reverse("password_reset_done"), b"")
    assert len(mail.outbox) == 5


def test_the_sixth_request_from_one_ip_in_an_hour_sends_no_email(client, frozen):
    for n in range(6):
        UserFactory(email=f"personne.{n}@example.org")
    answers = [ask_reset(client, f"personne.{n}@example.org") for n in range(5)]
    assert len(mail.outbox) == 5

    limited = ask_reset(client, "personne.5@example.org")

    assert limited == answers[0]
    assert len(mail.outbox) == 5
    # Another IP still has its own budget.
    ask_reset(client, "personne.5@example.org", ip="198.51.100.1")
    assert mail.outbox[-1].to == ["personne.5@example.org"]


def test_an_hour_later_the_address_gets_its_link_again(client, frozen):
    UserFactory(email="lea.martin@example.org")
    for _ in range(6):
        ask_reset(client, "lea.martin@example.org")
    assert len(mail.outbox) == 5

    frozen.shift(datetime.timedelta(hours=1, seconds=1))
    ask_reset(client, "lea.martin@example.org")

    assert len(mail.outbox) == 6


def test_an_unknown_address_gets_the_same_answer_limited_or_not(client, frozen):
    UserFactory(email="lea.martin@example.org")
    known = ask_reset(client, "lea.martin@example.org")
    unknown = ask_reset(client, "inconnu@example.org", ip="198.51.100.1")
    for _ in range(5):
        ask_reset(client, "lea.martin@example.org")
    limited = ask_reset(client, "lea.martin@example.org")

    assert known == unknown == limited
    assert [message.to for message in mail.outbox] == [["lea.martin@example.org"]] * 5


def test_reading_the_reset_form_does_not_use_the_budget(client, frozen):
    UserFactory(email="lea.martin@example.org")
    for _ in range(6):
        assert client.get(reverse("password_reset")).status_code == 200
    ask_reset(client, "lea.martin@example.org")
    assert len(mail.outbox) == 1
