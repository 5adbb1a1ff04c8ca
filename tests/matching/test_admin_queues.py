"""The coordinators' queues of young people waiting too long for a mentor and of proposals
left unanswered: the selectors the staff home counts, and the admin lists (`?attente=`,
`?sans_reponse=`) that hold exactly their rows, with the days counted in Paris."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from matching.enums import Response
from matching.models import Mentorship
from matching.rules import PROPOSAL_UNANSWERED_AFTER, WAITING_ALERT
from matching.selectors import mentees_waiting_too_long
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.users.staff import login_staff, make_coordinator

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 15)
MENTEES = reverse("admin:mentees_mentee_changelist")
PAIRS = reverse("admin:matching_mentorship_changelist")


def paris(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def days_before(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(paris(TODAY, 11), tick=False)


@pytest.fixture
def coordinator_client(client):
    return login_staff(client, make_coordinator())


def approved_days_ago(days: int, *, hour: int = 10, minute: int = 0, **kwargs):
    return MenteeFactory(
        approved=True, reviewed_at=paris(days_before(days), hour, minute), **kwargs
    )


def test_the_alert_delays():
    assert WAITING_ALERT.days == 30
    assert PROPOSAL_UNANSWERED_AFTER.days == 7


@pytest.mark.parametrize(("days", "too_long"), [(29, False), (30, False), (31, True)])
def test_waiting_too_long_means_more_than_30_days_since_the_approval(days, too_long):
    mentee = approved_days_ago(days)
    assert (mentee in mentees_waiting_too_long(today=TODAY)) is too_long


def test_the_days_are_paris_days():
    # 00:30 in Paris on 16 May is still 15 May in UTC: 30 days in Paris, not yet an alert.
    just_after_midnight = approved_days_ago(30, hour=0, minute=30)
    just_before_midnight = approved_days_ago(31, hour=23, minute=30)

    waiting = set(mentees_waiting_too_long(today=TODAY))

    assert just_after_midnight not in waiting
    assert just_before_midnight in waiting


def test_without_a_recorded_approval_the_wait_counts_from_the_registration():
    mentee = MenteeFactory(approved=True, created_at=paris(days_before(40)), reviewed_at=None)
    recent = MenteeFactory(approved=True, created_at=paris(days_before(40)))
    recent.reviewed_at = paris(days_before(3))
    recent.save()

    assert list(mentees_waiting_too_long(today=TODAY)) == [mentee]


def test_only_the_young_people_awaiting_a_mentor_can_wait_too_long():
    paired = approved_days_ago(60)
    MentorshipFactory(mentee=paired)
    MenteeFactory(created_at=paris(days_before(60)))  # not approved
    approved_days_ago(60, minor=True)  # a minor without consent is not matchable yet
    after_a_closed_pair = approved_days_ago(60)
    MentorshipFactory(mentee=after_a_closed_pair, closed=True)

    assert list(mentees_waiting_too_long(today=TODAY)) == [after_a_closed_pair]


def proposed_days_ago(days: int, **kwargs) -> Mentorship:
    return MentorshipFactory(proposed_at=paris(days_before(days), 9), **kwargs)


@pytest.mark.parametrize(("days", "unanswered"), [(6, False), (7, False), (8, True)])
def test_a_proposal_is_unanswered_after_more_than_7_days(days, unanswered):
    pair = proposed_days_ago(days)
    assert (pair in Mentorship.objects.unanswered(today=TODAY)) is unanswered


def test_one_missing_answer_is_enough_and_a_started_or_declined_pair_is_not_waiting():
    half_answered = proposed_days_ago(20, mentor_response=Response.ACCEPTED)
    proposed_days_ago(20, active=True)
    proposed_days_ago(20, declined=True)

    assert list(Mentorship.objects.unanswered(today=TODAY)) == [half_answered]


# The lists


def test_the_waiting_filter_lists_them_longest_wait_first(coordinator_client):
    forty = approved_days_ago(40)
    ninety = approved_days_ago(90)
    thirty_one = approved_days_ago(31)
    approved_days_ago(30)
    approved_days_ago(2)

    response = coordinator_client.get(MENTEES, {"attente": "plus_de_30_jours"})

    assert list(response.context["cl"].result_list) == [ninety, forty, thirty_one]
    assert set(response.context["cl"].result_list) == set(mentees_waiting_too_long(today=TODAY))
    assert "Plus de 30 jours" in response.content.decode()


def test_the_list_says_how_long_each_young_person_has_waited(coordinator_client):
    approved_days_ago(12)
    approved_days_ago(1)
    approved_days_ago(0)
    MentorshipFactory(mentee=approved_days_ago(50))
    MenteeFactory()

    html = coordinator_client.get(MENTEES).content.decode()

    def cell(text):
        return f'<td class="field-waiting_display">{text}</td>'

    assert cell("en attente depuis 12 jours") in html
    assert cell("en attente depuis 1 jour") in html
    assert cell("en attente depuis aujourd&#x27;hui") in html
    assert html.count(cell("—")) == 2


@pytest.mark.parametrize("size", [1, 8])
def test_the_waiting_list_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_num_queries, size
):
    for days in range(size):
        approved_days_ago(31 + days)
    # session, user, the verified second-factor device, filtered count (no total count), the
    # page of young people with their users and waits, the distinct départements, the
    # priority publics' names (their filter).
    with django_assert_num_queries(7):
        response = admin_client.get(MENTEES, {"attente": "plus_de_30_jours"})
    assert len(response.context["cl"].result_list) == size


def test_the_unanswered_filter_lists_them_oldest_first(coordinator_client):
    nine = proposed_days_ago(9)
    twenty = proposed_days_ago(20)
    proposed_days_ago(7)
    proposed_days_ago(20, active=True)

    response = coordinator_client.get(PAIRS, {"sans_reponse": "oui"})

    assert list(response.context["cl"].result_list) == [twenty, nine]
    assert set(response.context["cl"].result_list) == set(
        Mentorship.objects.unanswered(today=TODAY)
    )
