"""The young people's list as a coordinator works it: the registrations to examine (minors
first, then the oldest), the minors awaiting their guardian's consent, and each person's age
with « mineur » read from the row itself."""

import datetime

import pytest
from django.urls import reverse

from mentees.ages import years_before
from tests.mentees.factories import MenteeFactory
from tests.users.staff import login_staff, make_coordinator

pytestmark = pytest.mark.django_db

MENTEES = reverse("admin:mentees_mentee_changelist")
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def coordinator_client(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
    return login_staff(client, make_coordinator())


def registered(days_ago: int, **kwargs):
    at = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC) - datetime.timedelta(
        days=days_ago
    )
    return MenteeFactory(created_at=at, **kwargs)


def test_the_registrations_to_examine_come_minors_first_then_oldest(coordinator_client):
    adult_old = registered(30, birth_date=datetime.date(2004, 1, 1))
    adult_new = registered(2, birth_date=datetime.date(2003, 1, 1))
    minor_new = registered(1, minor=True)
    minor_old = registered(10, minor=True)
    # Turns 18 today: an adult, after the minors.
    adult_today = registered(40, birth_date=years_before(TODAY, 18))
    registered(50, approved=True)

    response = coordinator_client.get(MENTEES, {"a_examiner": "oui"})

    assert list(response.context["cl"].result_list) == [
        minor_old,
        minor_new,
        adult_today,
        adult_old,
        adult_new,
    ]


def test_the_minors_awaiting_their_guardian_s_consent(coordinator_client):
    waiting = MenteeFactory(under_15=True)
    MenteeFactory(minor=True)
    MenteeFactory()

    response = coordinator_client.get(MENTEES, {"consentement": "attente"})

    assert list(response.context["cl"].result_list) == [waiting]
    assert "Mineurs en attente de l&#x27;accord" in response.content.decode()


def test_the_list_shows_each_age_and_says_mineur(coordinator_client):
    MenteeFactory(birth_date=datetime.date(2010, 6, 16))  # 16 tomorrow
    MenteeFactory(birth_date=datetime.date(2008, 6, 15))  # 18 today

    html = coordinator_client.get(MENTEES).content.decode()

    assert '<td class="field-age_display">15 ans — mineur</td>' in html
    assert '<td class="field-age_display">18 ans</td>' in html


@pytest.mark.parametrize("size", [1, 9])
def test_the_list_with_its_filters_costs_the_same_queries_whatever_its_size(
    admin_client, time_machine, django_assert_num_queries, size
):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 10, 0), tick=False)
    for days in range(size):
        registered(days, minor=bool(days % 2))
    # session, user, the verified second-factor device, filtered count (no total count), the
    # page of young people with their users, ages and waits, the distinct départements, the
    # priority publics' names (their filter).
    with django_assert_num_queries(7):
        response = admin_client.get(MENTEES, {"a_examiner": "oui"})
    assert len(response.context["cl"].result_list) == size
