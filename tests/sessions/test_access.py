"""Who may open every sessions URL that takes an id: the pair's two members, their mentor's
référent and coordinators see the pair; anybody else gets a 404 (which does not even confirm
that the pair exists), and an anonymous visitor is sent to the login page. Someone who may see
a pair but not do a thing on it gets a page that says why (403), and nothing changes."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.models import FollowUp, PlannedMeeting, Session, SessionEvaluation
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import PlannedMeetingFactory, SessionFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 16, 12, 0, tzinfo=datetime.UTC)
UNKNOWN = 999_999
ROLES = [
    "mentor",
    "mentee",
    "other_mentor",
    "other_mentee",
    "other_referent",
    "referent",
    "coordinator",
    "anonymous",
]
SEES = {"mentor", "mentee", "referent", "coordinator"}
MEMBERS = {"mentor", "mentee"}
STAFF = {"referent", "coordinator"}


def expected(allowed: set[str], role: str) -> int | str:
    """200 for who may act, 403 for who sees the pair but may not, else 404 (or login)."""
    if role == "anonymous":
        return "login"
    if role in allowed:
        return 200
    return 403 if role in SEES else 404


# url name → (what it takes: "pair" or "session", who may use it)
URLS = {
    "sessions:list": ("pair", SEES),
    "sessions:log": ("pair", {"mentor"}),
    "sessions:plan_meeting": ("pair", MEMBERS),
    "sessions:meeting_ics": ("pair", SEES),
    "sessions:detail": ("session", SEES),
    "sessions:update": ("session", {"mentor"}),
    "sessions:evaluate": ("session", MEMBERS),
    "sessions:follow_up": ("session", STAFF),
}
# What a refused POST would have done if it had been accepted.
POSTS = {
    "sessions:log": {
        "held_on": "2026-03-10",
        "duration_minutes": "90",
        "format": "video",
        "topics": ["orientation"],
        "summary": "Séance",
    },
    "sessions:plan_meeting": {
        "starts_at": "2026-04-01T18:00",
        "duration_minutes": "90",
        "place": "Médiathèque",
    },
    "sessions:update": {
        "held_on": "2026-03-11",
        "duration_minutes": "120",
        "format": "video",
        "topics": ["orientation"],
        "summary": "Changé",
    },
    "sessions:evaluate": {"rating": "5", "objectives_progress": "some", "comment": "Bien"},
    "sessions:follow_up": {"reviewed": "on", "comment": "Vu"},
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    referent = UserFactory(staff=True, first_name="Rita")
    other_referent = UserFactory(staff=True, first_name="Omar")
    pair = MentorshipFactory(
        active=True, started_on=datetime.date(2026, 1, 5), mentor__referent=referent
    )
    other_pair = MentorshipFactory(
        active=True, started_on=datetime.date(2026, 1, 5), mentor__referent=other_referent
    )
    session = SessionFactory(mentorship=pair, logged_at=timezone.now())
    PlannedMeetingFactory(mentorship=pair)
    return {
        "pair": pair,
        "session": session,
        "users": {
            "mentor": pair.mentor.user,
            "mentee": pair.mentee.user,
            "other_mentor": other_pair.mentor.user,
            "other_mentee": other_pair.mentee.user,
            "other_referent": other_referent,
            "referent": referent,
            "coordinator": UserFactory(coordinator=True),
            "anonymous": None,
        },
    }


def url_for(name: str, world) -> str:
    takes, _ = URLS[name]
    return reverse(name, args=[world[takes].pk])


def log_in_as(client, world, role):
    user = world["users"][role]
    if user is not None:
        login_staff(client, user)


def assert_outcome(response, outcome):
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == outcome


def snapshot():
    """Everything a page could change, to check that a refused request changed nothing."""
    return (
        list(Session.objects.values()),
        list(SessionEvaluation.objects.values()),
        list(FollowUp.objects.values()),
        list(PlannedMeeting.objects.values()),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URLS)
def test_get_of_every_url_with_an_id(client, world, name, role):
    log_in_as(client, world, role)

    response = client.get(url_for(name, world))

    assert_outcome(response, expected(URLS[name][1], role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POSTS)
def test_post_of_every_form_with_an_id(client, world, name, role):
    log_in_as(client, world, role)
    before = snapshot()

    response = client.post(url_for(name, world), POSTS[name])

    outcome = expected(URLS[name][1], role)
    if outcome == 200:
        # Accepted: back to the pair's page.
        assert response.status_code == 302
        assert response.url == reverse("spaces:pair", args=[world["pair"].pk])
    else:
        assert_outcome(response, outcome)
        assert snapshot() == before


def test_the_refusal_page_says_why(client, world):
    client.force_login(world["users"]["mentee"])

    response = client.get(reverse("sessions:log", args=[world["pair"].pk]))

    assert response.status_code == 403
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Ton mentor enregistre chaque séance" in html
    assert reverse("spaces:pair", args=[world["pair"].pk]) in html


def test_the_referent_is_told_the_mentor_logs_sessions(client, world):
    client.force_login(world["users"]["referent"])

    response = client.get(reverse("sessions:log", args=[world["pair"].pk]))

    assert "Seul le mentor du binôme enregistre ses séances" in response.content.decode()


@pytest.mark.parametrize("name", URLS)
def test_an_unknown_id_is_a_404_even_for_a_coordinator(client, world, name):
    login_staff(client, world["users"]["coordinator"])

    assert client.get(reverse(name, args=[UNKNOWN])).status_code == 404


def test_a_referent_who_left_the_staff_no_longer_sees_the_pair(client, world):
    referent = world["users"]["referent"]
    referent.is_staff = False
    referent.save()
    client.force_login(referent)

    assert client.get(url_for("sessions:follow_up", world)).status_code == 404
    assert client.get(url_for("sessions:list", world)).status_code == 404


def test_the_ics_of_a_pair_without_a_planned_meeting_is_a_404(client, world):
    world["pair"].planned_meeting.delete()
    client.force_login(world["users"]["mentor"])

    assert client.get(url_for("sessions:meeting_ics", world)).status_code == 404
