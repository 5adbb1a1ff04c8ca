"""A référent sees in the admin only their mentors and what belongs to their pairs; any other
object's page answers 404. Coordinators see everything."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Questionnaire, Response
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import PlannedMeetingFactory, SessionFactory
from tests.users.staff import login_staff, make_coordinator, make_referent

pytestmark = pytest.mark.django_db


@dataclass
class Programme:
    mentor: object
    mentee: object
    mentorship: object
    session: object
    plannedmeeting: object
    response: object


def programme_of(referent) -> Programme:
    pair = MentorshipFactory(active=True, mentor__referent=referent)
    return Programme(
        mentor=pair.mentor,
        mentee=pair.mentee,
        mentorship=pair,
        session=SessionFactory(mentorship=pair),
        plannedmeeting=PlannedMeetingFactory(mentorship=pair),
        response=Response.objects.create(
            mentorship=pair,
            moment=Moment.START,
            questionnaire=Questionnaire.objects.current().get(),
            status=ResponseStatus.SUBMITTED,
            submitted_at=timezone.now(),
        ),
    )


ADMINS = [
    ("mentors", "mentor"),
    ("mentees", "mentee"),
    ("matching", "mentorship"),
    ("mentoring_sessions", "session"),
    ("mentoring_sessions", "plannedmeeting"),
    ("evaluations", "response"),
]


@pytest.fixture
def referent():
    return make_referent()


@pytest.fixture
def mine(referent):
    return programme_of(referent)


@pytest.fixture
def theirs():
    return programme_of(make_referent())


def changelist_ids(client, app, model, **params):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"), params)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_a_referent_lists_only_their_mentors_objects(client, referent, mine, theirs, app, model):
    client.force_login(referent)
    assert changelist_ids(client, app, model) == {getattr(mine, model).pk}


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_a_referent_gets_404_on_another_mentors_object(client, referent, mine, theirs, app, model):
    client.force_login(referent)
    own = client.get(reverse(f"admin:{app}_{model}_change", args=[getattr(mine, model).pk]))
    assert own.status_code == 200
    other = client.get(reverse(f"admin:{app}_{model}_change", args=[getattr(theirs, model).pk]))
    assert other.status_code == 404


@pytest.mark.parametrize(("app", "model"), ADMINS)
def test_a_coordinator_sees_everything(client, mine, theirs, app, model):
    login_staff(client, make_coordinator())
    expected = {getattr(mine, model).pk, getattr(theirs, model).pk}
    assert changelist_ids(client, app, model) == expected
    page = client.get(reverse(f"admin:{app}_{model}_change", args=[getattr(theirs, model).pk]))
    assert page.status_code == 200


def test_search_is_scoped(client, referent, mine, theirs):
    client.force_login(referent)
    ids = changelist_ids(client, "mentors", "mentor", q=theirs.mentor.user.last_name)
    assert theirs.mentor.pk not in ids


def test_a_mentee_with_two_of_my_pairs_is_listed_once(client, referent, mine):
    MentorshipFactory(closed=True, mentee=mine.mentee, mentor__referent=referent)
    client.force_login(referent)
    response = client.get(reverse("admin:mentees_mentee_changelist"))
    assert [obj.pk for obj in response.context["cl"].result_list] == [mine.mentee.pk]


def test_a_referent_has_no_matching_tools_nor_users(client, referent):
    client.force_login(referent)
    for name in [
        "admin:matching_matchingbatch_changelist",
        "admin:users_user_changelist",
        "admin:reminders_reminder_changelist",
    ]:
        assert client.get(reverse(name)).status_code == 403
