"""Password guessing (django-axes): 5 failures lock one account from one address for 15
minutes; the rest of the world can still log in."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.users.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
EMAIL = "lea.martin@example.org"
HOME_ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.23"


def log_in(client, password, *, email=EMAIL, address=HOME_ADDRESS, url=None):
    return client.post(
        url or reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, times, **kwargs):
    return [log_in(client, "mauvais-mot-de-passe", **kwargs) for _ in range(times)]


@pytest.fixture
def lea():
    return UserFactory(email=EMAIL)


def test_four_failures_still_allow_the_right_password(client, lea):
    assert [response.status_code for response in fail(client, 4)] == [200] * 4
    response = log_in(client, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lea.pk)


def test_the_fifth_failure_locks_the_account_even_for_the_right_password(client, lea):
    *_, fifth = fail(client, 5)
    assert fifth.status_code == 429

    response = log_in(client, DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Connexion bloquée" in page
    assert "attendez 15 minutes" in page


def test_the_address_is_counted_whatever_its_case(client, lea):
    fail(client, 4)
    assert log_in(client, "encore-faux", email=EMAIL.upper()).status_code == 429


def test_another_address_or_another_account_is_not_locked(client, lea):
    UserFactory(email="karim.benali@example.org")
    fail(client, 5)

    from_elsewhere = log_in(client, DEFAULT_PASSWORD, address=OTHER_ADDRESS)
    assert from_elsewhere.status_code == 302
    client.post(reverse("logout"))
    other_account = log_in(client, DEFAULT_PASSWORD, email="karim.benali@example.org")
    assert other_account.status_code == 302


def test_the_right_password_works_again_after_15_minutes(client, lea):
    fail(client, 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        response = log_in(client, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lea.pk)


def test_a_try_during_the_lockout_starts_the_15_minutes_again(client, lea):
    fail(client, 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert log_in(client, DEFAULT_PASSWORD).status_code == 429
    # 16 minutes after the fifth failure, but 2 after the last try: still locked.
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert log_in(client, DEFAULT_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31, seconds=30)):
        assert log_in(client, DEFAULT_PASSWORD).status_code == 302


def test_a_success_starts_the_count_again(client, lea):
    fail(client, 4)
    assert log_in(client, DEFAULT_PASSWORD).status_code == 302
    client.post(reverse("logout"))

    assert [response.status_code for response in fail(client, 4)] == [200] * 4


def test_the_admin_login_is_protected_too(client):
    UserFactory(email=EMAIL, staff=True)
    admin_login = reverse("admin:login")

    *_, fifth = fail(client, 5, url=admin_login)

    assert fifth.status_code == 429
    assert log_in(client, DEFAULT_PASSWORD, url=admin_login).status_code == 429
    assert "_auth_user_id" not in client.session
