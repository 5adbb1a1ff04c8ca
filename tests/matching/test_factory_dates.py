"""The test factories build consistent people and pairs on any day of the year: the suite's
date-dependent tests rely on it (and `make test` runs them on 1 January and 29 February)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from matching.enums import ComplianceState
from matching.rules import has_lasted_minimum
from mentees.ages import age_on
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.sessions.factories import SessionFactory
from tests.users.factories import UserFactory
from users.roles import COORDINATORS_GROUP, is_coordinator

pytestmark = pytest.mark.django_db

PARIS = timezone.get_default_timezone()
AWKWARD_DAYS = [
    datetime.date(2027, 1, 1),
    datetime.date(2028, 2, 29),
    datetime.date(2028, 3, 1),
    datetime.date(2026, 12, 31),
]


@pytest.fixture(params=AWKWARD_DAYS, ids=str)
def today(request):
    moment = datetime.datetime.combine(request.param, datetime.time(10), tzinfo=PARIS)
    with time_machine.travel(moment, tick=False):
        yield request.param


def test_an_active_pair_started_recently_is_on_track_and_short_of_the_minimum(today):
    pair = MentorshipFactory(active=True)

    assert pair.started_on < today
    assert pair.compliance_state(today=today) == ComplianceState.ON_TRACK
    assert not has_lasted_minimum(pair.started_on, today)


def test_a_closed_pair_ended_in_the_past_after_the_minimum(today):
    pair = MentorshipFactory(closed=True)

    assert pair.started_on < pair.ended_on < today
    assert has_lasted_minimum(pair.started_on, pair.ended_on)


def test_a_closed_pair_given_only_its_end_still_starts_before_it(today):
    pair = MentorshipFactory(closed=True, ended_on=datetime.date(2023, 1, 1))

    assert pair.started_on < pair.ended_on


def test_a_session_is_held_in_the_past_and_never_before_its_pair_started(today):
    assert SessionFactory().held_on == today - datetime.timedelta(days=3)
    just_started = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=1))
    session = SessionFactory(mentorship=just_started)

    assert just_started.started_on <= session.held_on <= today


@pytest.mark.parametrize(
    ("traits", "age"), [({}, 20), ({"minor": True}, 16), ({"under_15": True}, 13)]
)
def test_young_people_have_their_intended_age(today, traits, age):
    assert age_on(MenteeFactory(**traits).birth_date, today) == age


def test_a_coordinator_is_in_the_coordinators_group_not_a_superuser():
    coordinator = UserFactory(coordinator=True)

    assert coordinator.is_staff and not coordinator.is_superuser
    assert list(coordinator.groups.values_list("name", flat=True)) == [COORDINATORS_GROUP]
    assert is_coordinator(coordinator)
    assert coordinator.has_perm("matching.change_mentorship")
    assert not coordinator.has_perm("auth.change_group")


def test_the_technical_administrator_is_a_superuser_in_no_group():
    superuser = UserFactory(superuser=True)

    assert superuser.is_staff and superuser.is_superuser
    assert not superuser.groups.exists()
    assert superuser.has_perm("auth.change_group")
