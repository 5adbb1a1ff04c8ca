import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment, ResponseStatus
from evaluations.models import Response
from evaluations.services import response_open
from matching.enums import ObjectiveStatus
from matching.models import Objective
from mentorat.staff.referent_views import SESSIONS_SHOWN
from mentors.enums import ExchangeKind
from mentors.services_exchanges import exchange_record
from sessions.models import FollowUp
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import FollowUpFactory, SessionFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff, make_referent

pytestmark = pytest.mark.django_db
HOME = reverse("admin:referent_home")
SESSIONS_LIST = reverse("admin:mentoring_sessions_session_changelist")


@pytest.fixture
def referent(client):
    user = make_referent()
    login_staff(client, user)
    return user


def caseload(referent, size):
    """`size` mentors of `referent`, each with an active pair, a session awaiting follow-up
    with a draft comment, a submitted start questionnaire, a second pair ready to close and
    an exchange with the référent: every list of the home has `size` rows."""
    today = timezone.localdate()
    for _ in range(size):
        pair = MentorshipFactory(
            active=True,
            mentor__referent=referent,
            started_on=today - datetime.timedelta(days=60),
        )
        FollowUpFactory(
            session=SessionFactory(mentorship=pair),
            reviewed=False,
            reviewed_at=None,
            comment="À reprendre avec le mentor.",
        )
        response = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
        Response.objects.filter(pk=response.pk).update(
            status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
        )
        ready = MentorshipFactory(
            active=True, mentor=pair.mentor, started_on=today - datetime.timedelta(days=200)
        )
        Objective.objects.create(
            mentorship=ready,
            title="Trouver un stage",
            status=ObjectiveStatus.ACHIEVED,
            created_by=pair.mentor.user,
        )
        exchange_record(
            referent=referent, mentors=[pair.mentor], happened_on=today, kind=ExchangeKind.CALL
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


def test_a_comment_too_long_is_refused_in_french_beside_the_field(client, referent):
    session = SessionFactory(mentorship__mentor__referent=referent)
    page = client.post(
        reverse("admin:referent_follow_up", args=[session.pk]),
        {f"s{session.pk}-reviewed": "on", f"s{session.pk}-comment": "x" * 2001},
    )
    assert page.status_code == 400
    html = page.content.decode()
    field = f"id_s{session.pk}-comment"
    assert f'<ul class="errorlist" id="{field}_error"><li>Assurez-vous' in html
    assert f'id="{field}" rows="2" cols="40" maxlength="2000" aria-invalid="true"' in html
    assert f'aria-describedby="{field}_error">\n{"x" * 2001}</textarea>' in html
    assert not FollowUp.objects.filter(session=session).exists()


def test_the_oldest_sessions_are_shown_and_the_rest_is_one_link_away(client, referent):
    pair = MentorshipFactory(active=True, mentor__referent=referent)
    today = timezone.localdate()
    sessions = [
        SessionFactory(mentorship=pair, held_on=today - datetime.timedelta(days=days))
        for days in range(SESSIONS_SHOWN + 2, 0, -1)
    ]

    html = client.get(HOME).content.decode()

    assert html.count("Enregistrer le suivi") == SESSIONS_SHOWN
    assert reverse("admin:referent_follow_up", args=[sessions[0].pk]) in html
    assert reverse("admin:referent_follow_up", args=[sessions[-1].pk]) not in html
    assert f"{SESSIONS_SHOWN + 2} séances en attente de suivi" in html
    # The list goes on in the same order: oldest first (`o=2`, the date column ascending).
    link = f"{SESSIONS_LIST}?suivi=attente&o=2"
    assert f'href="{link.replace("&", "&amp;")}"' in html
    response = client.get(link)
    listed = response.context["cl"].result_list
    assert [session.pk for session in listed] == [session.pk for session in sessions]


def test_a_short_queue_is_shown_whole_without_a_link(client, referent):
    SessionFactory(mentorship__mentor__referent=referent)
    html = client.get(HOME).content.decode()
    assert "1 séance en attente de suivi, les plus anciennes d'abord." in html
    queue = html.split('id="seances"')[1].split("</section>")[0]
    assert f"{SESSIONS_LIST}?suivi=attente" not in queue


def test_a_refused_exchange_keeps_the_mentors_chosen(client, referent):
    chosen = MentorFactory(approved=True, referent=referent, user__last_name="Aubert")
    MentorFactory(approved=True, referent=referent, user__last_name="Bernard")
    page = client.post(
        reverse("admin:referent_exchange"),
        {
            "mentors": [chosen.pk],
            "happened_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "kind": ExchangeKind.CALL,
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert f'value="{chosen.pk}" id="id_mentors_0" checked>' in html
    assert 'id="id_mentors_1">' in html


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
    ready = Objective.objects.get().mentorship
    html = client.get(HOME).content.decode()
    assert reverse("evaluations:response", args=[response.pk]) in html
    assert reverse("admin:matching_mentorship_change", args=[ready.pk]) in html
    assert "À reprendre avec le mentor." in html


def test_a_questionnaire_leaves_the_list_once_the_referent_has_opened_it(client, referent):
    caseload(referent, 2)
    opened, waiting = Response.objects.order_by("pk")
    link = reverse("evaluations:response", args=[opened.pk])

    assert client.get(link).status_code == 200

    html = client.get(HOME).content.decode()
    assert link not in html
    assert reverse("evaluations:response", args=[waiting.pk]) in html
    assert reverse("admin:evaluations_response_changelist") in html  # all of them, one click


@pytest.mark.parametrize("size", [2, 10])
def test_the_home_runs_a_constant_number_of_queries(
    client, referent, size, django_assert_max_num_queries
):
    caseload(referent, size)
    # Session, user, the coordinator tests (the second-factor check, then the sessions' and
    # the privacy records' admins listing what they allow), the permissions (2), the staff's
    # groups (their navigation), mentors (also the exchange form's choices), pairs, sessions
    # (with the queue's length), ready to close, closed pairs (with their interview),
    # questionnaires, exchanges and their mentors.
    with django_assert_max_num_queries(16):
        page = client.get(HOME)
    assert page.status_code == 200
    assert page.content.decode().count("Enregistrer le suivi") == size
