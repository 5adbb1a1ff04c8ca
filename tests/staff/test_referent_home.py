import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from evaluations.services import response_open
from sessions.models import FollowUp
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import FollowUpFactory, SessionFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db
HOME = reverse("admin:referent_home")


@pytest.fixture
def referent(client):
    user = UserFactory(staff=True)
    client.force_login(user)
    return user


def caseload(referent, size):
    """`size` mentors of `referent`, each with an active pair, a session awaiting follow-up
    and a submitted start questionnaire."""
    for _ in range(size):
        pair = MentorshipFactory(
            active=True,
            mentor__referent=referent,
            started_on=timezone.localdate() - datetime.timedelta(days=60),
        )
        SessionFactory(mentorship=pair)
        response = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
        Response.objects.filter(pk=response.pk).update(
            status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
        )


def test_the_home_shows_only_the_referents_mentors(client, referent):
    mine = MentorshipFactory(
        active=True,
        mentor__referent=referent,
        started_on=timezone.localdate() - datetime.timedelta(days=100),
    )
    session = SessionFactory(
        mentorship=mine, held_on=timezone.localdate() - datetime.timedelta(days=80)
    )
    reviewed = SessionFactory(mentorship=mine)
    FollowUpFactory(session=reviewed)
    theirs = MentorshipFactory(active=True, mentor__referent=UserFactory(staff=True))
    SessionFactory(mentorship=theirs)

    page = client.get(HOME)

    assert page.status_code == 200
    html = page.content.decode()
    assert str(mine.mentor) in html
    assert str(mine.mentee) in html
    assert "En retard" in html  # last session 80 days ago: overdue, in words
    assert "Séances à suivre" in html
    assert reverse("admin:referent_follow_up", args=[session.pk]) in html
    assert reverse("admin:referent_follow_up", args=[reviewed.pk]) not in html
    assert str(theirs.mentor) not in html
    assert str(theirs.mentee) not in html


def test_a_non_staff_user_is_sent_to_the_admin_login(client):
    client.force_login(UserFactory())
    page = client.get(HOME)
    assert page.status_code == 302
    assert page.url.startswith(reverse("admin:login"))


def test_a_session_is_followed_up_in_place(client, referent):
    session = SessionFactory(mentorship__mentor__referent=referent)
    prefix = f"s{session.pk}"

    page = client.post(
        reverse("admin:referent_follow_up", args=[session.pk]),
        {
            f"{prefix}-reviewed": "on",
            f"{prefix}-comment": "Bon échange, à relancer sur le stage.",
            f"{prefix}-needs_attention": "on",
        },
        follow=True,
    )

    assert page.status_code == 200
    follow_up = FollowUp.objects.get(session=session)
    assert follow_up.reviewed
    assert follow_up.reviewed_by == referent
    assert follow_up.comment == "Bon échange, à relancer sur le stage."
    assert follow_up.needs_attention
    html = page.content.decode()
    assert "enregistré" in html
    assert reverse("admin:referent_follow_up", args=[session.pk]) not in html


def test_an_unreviewed_comment_keeps_the_session_in_the_queue(client, referent):
    session = SessionFactory(mentorship__mentor__referent=referent)
    prefix = f"s{session.pk}"
    client.post(
        reverse("admin:referent_follow_up", args=[session.pk]),
        {f"{prefix}-comment": "À revoir avec le mentor."},
    )
    follow_up = FollowUp.objects.get(session=session)
    assert not follow_up.reviewed
    html = client.get(HOME).content.decode()
    assert reverse("admin:referent_follow_up", args=[session.pk]) in html
    assert "À revoir avec le mentor." in html


def test_a_comment_too_long_is_refused_in_french(client, referent):
    session = SessionFactory(mentorship__mentor__referent=referent)
    page = client.post(
        reverse("admin:referent_follow_up", args=[session.pk]),
        {f"s{session.pk}-reviewed": "on", f"s{session.pk}-comment": "x" * 2001},
    )
    assert page.status_code == 400
    assert "Assurez-vous" in page.content.decode()
    assert not FollowUp.objects.filter(session=session).exists()


def test_another_referents_session_is_not_found(client, referent):
    session = SessionFactory(mentorship__mentor__referent=UserFactory(staff=True))
    page = client.post(
        reverse("admin:referent_follow_up", args=[session.pk]),
        {f"s{session.pk}-reviewed": "on"},
    )
    assert page.status_code == 404
    assert not FollowUp.objects.filter(session=session).exists()


def test_pairs_ready_to_close_and_questionnaires_are_listed(client, referent):
    caseload(referent, 1)
    response = Response.objects.get()
    html = client.get(HOME).content.decode()
    assert reverse("evaluations:response", args=[response.pk]) in html


@pytest.mark.parametrize("size", [2, 10])
def test_the_home_runs_a_constant_number_of_queries(
    client, referent, size, django_assert_max_num_queries
):
    caseload(referent, size)
    # Session, user, the coordinator tests (the admin site's second-factor check, the
    # permissions), mentors, pairs, sessions, ready to close, questionnaires, exchanges and
    # their mentors, the exchange form's mentors: 14 at most.
    with django_assert_max_num_queries(14):
        page = client.get(HOME)
    assert page.status_code == 200
    assert page.content.decode().count("Enregistrer le suivi") == size
