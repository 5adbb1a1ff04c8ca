"""The technical lists a coordinator uses (login lockouts, authenticator apps) cost the same
number of queries whatever their length."""

import itertools

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.users.factories import UserFactory
from tests.users.staff import confirmed_device, login_staff, make_coordinator

NUMBERS = itertools.count()


def lockouts(size: int) -> None:
    for number in itertools.islice(NUMBERS, size):
        AccessAttempt.objects.create(
            username=f"personne{number}@example.org",
            ip_address="203.0.113.7",
            user_agent="test",
            get_data="",
            post_data="",
            failures_since_start=5,
        )


def devices(size: int) -> None:
    for _ in range(size):
        confirmed_device(UserFactory(staff=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changelist", "fill"),
    [
        ("admin:axes_accessattempt_changelist", lockouts),
        ("admin:users_authenticatordevice_changelist", devices),
    ],
)
def test_a_technical_list_costs_the_same_queries_whatever_its_length(client, changelist, fill):
    login_staff(client, make_coordinator())
    counts = []
    for size in (1, 6):
        fill(size)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse(changelist))
        assert page.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
