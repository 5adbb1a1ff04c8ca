"""The people who may or may not reach a pair, for the access tests of every URL that takes
an id: its two members, another pair's members, a staff member who does not accompany the
mentor, the mentor's référent, a coordinator and somebody logged out."""

import pytest
from django.urls import reverse

from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

ACTORS = [
    "mentor",
    "mentee",
    "other_mentor",
    "other_mentee",
    "other_staff",
    "referent",
    "coordinator",
    "anonymous",
]
MEMBERS = {"mentor", "mentee"}
# Those who read a pair: its members, the mentor's référent and the coordinators.
READERS = MEMBERS | {"referent", "coordinator"}


def actors_of(mentorship) -> dict:
    """Each actor's user (None when logged out). Sets the mentor's référent."""
    other = MentorshipFactory(active=True)
    referent = UserFactory(staff=True, first_name="Romane")
    mentorship.mentor.referent = referent
    mentorship.mentor.save(update_fields=["referent"])
    return {
        "mentor": mentorship.mentor.user,
        "mentee": mentorship.mentee.user,
        "other_mentor": other.mentor.user,
        "other_mentee": other.mentee.user,
        "other_staff": UserFactory(staff=True),
        "referent": referent,
        "coordinator": UserFactory(coordinator=True),
        "anonymous": None,
    }


def client_as(client, user):
    if user is not None:
        login_staff(client, user)
    return client


def assert_redirected_to_login(response, login_url: str | None = None):
    assert response.status_code == 302
    assert response.url.startswith(login_url or reverse("login")), response.url


parametrize_actors = pytest.mark.parametrize("actor", ACTORS)
