import pytest
from django.test import override_settings
from django.urls import reverse

from mentors.models import Mentor
from mentors.services import mentor_assign_referent, referent_caseload
from tests.mentors.factories import MentorFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_coordinator, make_referent
from users.services import RegistrationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return make_coordinator()


@override_settings(REFERENT_CASELOAD_CAP=3)
def test_the_cap_is_enforced(coordinator):
    referent = make_referent()
    MentorFactory.create_batch(2, approved=True, referent=referent)
    MentorFactory(referent=referent)  # not approved: not counted
    third = MentorFactory(approved=True)
    mentor_assign_referent(mentor=third, referent=referent, assigned_by=coordinator)
    third.refresh_from_db()
    assert third.referent == referent
    assert referent_caseload(referent) == 3
    fourth = MentorFactory(approved=True)
    with pytest.raises(RegistrationError, match="maximum"):
        mentor_assign_referent(mentor=fourth, referent=referent, assigned_by=coordinator)
    fourth.refresh_from_db()
    assert fourth.referent is None


def test_the_default_cap_is_25(settings):
    assert settings.REFERENT_CASELOAD_CAP == 25


def test_history_records_who_assigned(coordinator):
    referent, mentor = make_referent(), MentorFactory(approved=True)
    mentor_assign_referent(mentor=mentor, referent=referent, assigned_by=coordinator)
    last = mentor.history.latest()
    assert last.referent_id == referent.pk
    assert last.history_user == coordinator


@pytest.mark.parametrize(
    ("mentor_kwargs", "referent_factory"),
    [
        ({}, make_referent),  # pending mentor
        ({"approved": True}, lambda: UserFactory(staff=True)),  # staff, not a référent
        ({"approved": True}, lambda: make_referent(is_active=False)),
    ],
)
def test_refusals(coordinator, mentor_kwargs, referent_factory):
    with pytest.raises(RegistrationError):
        mentor_assign_referent(
            mentor=MentorFactory(**mentor_kwargs),
            referent=referent_factory(),
            assigned_by=coordinator,
        )


def post_action(client, mentors, **data):
    return client.post(
        reverse("admin:mentors_mentor_changelist"),
        {"action": "assign_referent", "_selected_action": [m.pk for m in mentors], **data},
        follow=True,
    )


@override_settings(REFERENT_CASELOAD_CAP=2)
def test_the_bulk_action(client, coordinator):
    referent = make_referent(first_name="Awa", last_name="Diallo")
    MentorFactory(approved=True, referent=referent)
    mentors = [MentorFactory(approved=True), MentorFactory(approved=True), MentorFactory()]
    login_staff(client, coordinator)
    page = post_action(client, mentors)
    assert page.status_code == 200
    assert "Awa Diallo" in page.content.decode() and "1 / 2" in page.content.decode()
    done = post_action(client, mentors, referent=referent.pk, confirm_referent="1")
    messages = [str(m) for m in done.context["messages"]]
    assert any("1 mentor(s) confié(s)" in m for m in messages)
    assert any("maximum" in m for m in messages)
    assert any("validée" in m for m in messages)
    assert Mentor.objects.filter(referent=referent).count() == 2


def test_the_list_shows_the_caseload(client, coordinator):
    referent = make_referent(first_name="Awa", last_name="Diallo")
    MentorFactory.create_batch(2, approved=True, referent=referent)
    login_staff(client, coordinator)
    page = client.get(reverse("admin:mentors_mentor_changelist"))
    assert "Awa Diallo (2 / 25)" in page.content.decode()


def test_a_referent_may_not_assign(client):
    referent = make_referent()
    mentor = MentorFactory(approved=True, referent=referent)
    client.force_login(referent)
    page = client.get(reverse("admin:mentors_mentor_changelist"))
    assert "assign_referent" not in page.content.decode()
    post_action(client, [mentor], referent=referent.pk, confirm_referent="1")
    # Unknown action for them: nothing changes.
    assert Mentor.objects.get(pk=mentor.pk).referent == referent
