"""« Mon espace »: a mentor's and a young person's pairs with what is waiting for them, the
pairs a référent or a coordinator follows, in a constant number of queries."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluations.enums import Moment
from matching.enums import CloseReason, ObjectiveStatus, Side
from matching.models import Objective
from tests.matching.factories import MentorshipFactory
from tests.mentors.factories import MentorFactory
from tests.sessions.factories import (
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

from .actors import assert_redirected_to_login
from .questionnaires import respond

pytestmark = pytest.mark.django_db

HOME = reverse("spaces:home")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def active_pair(*, started_days_ago=20, last_session_days_ago=None, **kwargs):
    return MentorshipFactory(
        active=True,
        started_on=days_ago(started_days_ago),
        last_session_on=days_ago(last_session_days_ago) if last_session_days_ago else None,
        last_qualifying_session_on=(
            days_ago(last_session_days_ago) if last_session_days_ago else None
        ),
        **kwargs,
    )


def objective(mentorship, status=ObjectiveStatus.OPEN, title="Trouver une alternance"):
    return Objective.objects.create(
        mentorship=mentorship, title=title, status=status, created_by=mentorship.mentor.user
    )


def home_as(client, user):
    login_staff(client, user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def task_labels(response) -> list[str]:
    return [task.label for _pair, task in response.context["tasks"]]


def test_the_space_needs_a_login(client):
    assert_redirected_to_login(client.get(HOME))


def test_a_mentor_sees_the_young_persons_contact_goals_and_the_rhythm(client):
    pair = active_pair(
        started_days_ago=40,
        mentee__user__first_name="Yanis",
        mentee__user__email="yanis@example.org",
        mentee__phone="+33698765432",
        mentee__goals="Trouver une alternance dans le numérique.",
        qualifying_sessions=0,
    )

    html = home_as(client, pair.mentor.user).content.decode()

    assert "<h1>Mon espace</h1>" in html
    assert "Binôme avec Yanis" in html
    assert "yanis@example.org" in html
    assert "06 98 76 54 32" in html
    assert "Trouver une alternance dans le numérique." in html
    # Started 40 days ago: the meeting falls due in 5 days, said in words.
    due = pair.started_on + datetime.timedelta(days=45)
    assert date_format(due, "j F Y") in html
    assert "Rencontre à prévoir sous 7 jours" in html
    assert "Séances d'au moins 1h30" in html
    assert "1 mois" in html


def test_a_mentors_pairs_come_active_first_then_proposed_then_closed(client):
    mentor = MentorFactory(approved=True, capacity=3)
    closed = MentorshipFactory(
        mentor=mentor, closed=True, started_on=days_ago(400), ended_on=days_ago(200)
    )
    proposed = MentorshipFactory(mentor=mentor)
    active = active_pair(mentor=mentor)
    MentorshipFactory(mentor=mentor, declined=True)

    response = home_as(client, mentor.user)

    assert [pair.mentorship for pair in response.context["pairs"]] == [active, proposed, closed]


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_defining_objectives_is_the_first_task_of_both_members(client, side):
    # Overdue, with a session to evaluate: objectives still come first, after the young
    # person's start questionnaire.
    pair = active_pair(started_days_ago=60)
    SessionFactory(mentorship=pair, held_on=days_ago(50))
    member = pair.mentor if side == Side.MENTOR else pair.mentee

    response = home_as(client, member.user)

    labels = task_labels(response)
    # Each is addressed in their own way: « tu » for the young person, « vous » for the mentor.
    task = "Définir tes objectifs" if side == Side.MENTEE else "Définir vos objectifs"
    if side == Side.MENTEE:
        assert labels[:2] == ["Remplir le questionnaire de début", task]
    else:
        assert labels[0] == task
    html = response.content.decode()
    assert html.index(task) < html.index('id="mes-binomes"')
    assert reverse("matching:objective_add", args=[pair.pk]) in html


def test_once_an_objective_is_set_it_is_no_longer_asked_for(client):
    pair = active_pair()
    objective(pair)

    assert "Définir vos objectifs" not in task_labels(home_as(client, pair.mentee.user))


def test_an_overdue_pair_asks_the_mentor_and_only_the_mentor_to_log_a_session(client):
    pair = active_pair(started_days_ago=60, last_session_days_ago=46)
    objective(pair)

    mentor_tasks = task_labels(home_as(client, pair.mentor.user))
    client.logout()
    mentee_tasks = task_labels(home_as(client, pair.mentee.user))

    assert "Enregistrer une séance" in mentor_tasks
    assert "Enregistrer une séance" not in mentee_tasks
    html = home_as(client, pair.mentor.user).content.decode()
    assert "En retard" in html


def test_a_pair_on_track_has_no_session_to_log(client):
    pair = active_pair(started_days_ago=60, last_session_days_ago=10)
    objective(pair)
    PlannedMeetingFactory(mentorship=pair)

    response = home_as(client, pair.mentor.user)

    assert task_labels(response) == []
    assert "À jour" in response.content.decode()


def test_a_planned_meeting_that_has_passed_asks_the_mentor_to_log_it(client):
    pair = active_pair(started_days_ago=30, last_session_days_ago=20)
    objective(pair)
    PlannedMeetingFactory(mentorship=pair, starts_at=timezone.now() - datetime.timedelta(days=2))

    labels = task_labels(home_as(client, pair.mentor.user))

    assert "Enregistrer une séance" in labels
    # The meeting has passed: a new one is to be planned.
    assert "Planifier votre prochaine rencontre" in labels


def test_each_member_is_asked_to_evaluate_the_sessions_they_have_not_evaluated(client):
    pair = active_pair(started_days_ago=30, last_session_days_ago=5)
    objective(pair)
    respond(pair, Moment.START)
    PlannedMeetingFactory(mentorship=pair)
    evaluated_by_mentor = SessionFactory(mentorship=pair, held_on=days_ago(5))
    SessionEvaluationFactory(session=evaluated_by_mentor, side=Side.MENTOR)
    both = SessionFactory(mentorship=pair, held_on=days_ago(15))
    SessionEvaluationFactory(session=both, side=Side.MENTOR)
    SessionEvaluationFactory(session=both, side=Side.MENTEE)

    mentor_tasks = task_labels(home_as(client, pair.mentor.user))
    client.logout()
    mentee_tasks = task_labels(home_as(client, pair.mentee.user))

    assert mentor_tasks == []
    assert mentee_tasks == [
        f"Évaluer la séance du {date_format(evaluated_by_mentor.held_on, 'j F Y')}"
    ]


def test_a_young_person_sees_their_mentor_objectives_sessions_and_next_meeting(client):
    pair = active_pair(
        started_days_ago=30,
        last_session_days_ago=5,
        mentor__user__first_name="Sophie",
        mentor__user__last_name="Lemoine",
        mentor__user__email="sophie@example.org",
        mentor__job_title="Cheffe de projet",
        mentor__employer="Orange",
    )
    objective(pair, title="Préparer un entretien", status=ObjectiveStatus.IN_PROGRESS)
    SessionFactory(mentorship=pair, held_on=days_ago(5), duration_minutes=60)
    PlannedMeetingFactory(mentorship=pair, place="Médiathèque Ulysse")

    html = home_as(client, pair.mentee.user).content.decode()

    assert "Ton mentor : Sophie Lemoine" in html
    assert "Cheffe de projet, Orange" in html
    assert "sophie@example.org" in html
    assert "Préparer un entretien — en cours" in html
    assert "60 min (moins de 1h30 : ne compte pas pour le rythme)" in html
    assert "Médiathèque Ulysse" in html


def test_a_proposed_pair_shows_no_contact_and_points_to_the_proposals(client):
    pair = MentorshipFactory(mentee__user__email="cache@example.org")

    html = home_as(client, pair.mentor.user).content.decode()

    assert "cache@example.org" not in html
    assert reverse("matching:my_proposals") in html


def test_a_closed_pair_says_when_and_why_it_ended(client):
    pair = MentorshipFactory(
        closed=True,
        started_on=days_ago(300),
        ended_on=days_ago(10),
        close_reason=CloseReason.MENTEE_WITHDREW,
    )

    response = home_as(client, pair.mentee.user)

    assert "le jeune a arrêté" in response.content.decode()
    # Whatever the reason, the programme asks every young person for the end questionnaire,
    # then for their closure questionnaire.
    assert task_labels(response) == [
        "Remplir le questionnaire de fin",
        "Remplir le questionnaire de clôture",
    ]


def ready_pair():
    start = timezone.localdate() - relativedelta(months=6, days=1)
    pair = MentorshipFactory(active=True, started_on=start, last_session_on=days_ago(3))
    objective(pair, status=ObjectiveStatus.ACHIEVED)
    return pair


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_a_ready_to_close_pair_says_so_on_both_spaces(client, side):
    pair = ready_pair()
    member = pair.mentor if side == Side.MENTOR else pair.mentee

    html = home_as(client, member.user).content.decode()

    assert "Prêt à clôturer" in html


def test_a_pair_with_a_pending_objective_is_not_ready_to_close(client):
    pair = ready_pair()
    objective(pair, status=ObjectiveStatus.IN_PROGRESS)

    assert "Prêt à clôturer" not in home_as(client, pair.mentor.user).content.decode()


def test_somebody_without_a_pair_is_told_where_proposals_will_appear(client):
    html = home_as(client, UserFactory()).content.decode()

    assert "Pas encore de binôme" in html
    assert "Binômes suivis" not in html


def test_a_referent_follows_their_mentors_active_pairs_most_urgent_first(client):
    referent = UserFactory(staff=True)
    on_track = active_pair(started_days_ago=60, last_session_days_ago=3, mentor__referent=referent)
    overdue = active_pair(started_days_ago=60, mentor__referent=referent)
    MentorshipFactory(mentor__referent=referent)  # proposed: nothing to follow yet
    active_pair(started_days_ago=60)  # another référent's

    response = home_as(client, referent)

    assert list(response.context["followed"]) == [overdue, on_track]
    html = response.content.decode()
    assert "Binômes suivis" in html
    assert "En retard" in html
    assert reverse("spaces:pair", args=[overdue.pk]) in html


def test_a_coordinator_follows_every_active_pair_a_page_at_a_time(client):
    pairs = [active_pair() for _ in range(3)]

    response = home_as(client, UserFactory(coordinator=True))

    assert set(response.context["followed"]) == set(pairs)


def a_pair_with_history(*, closed=False, sessions=3, **members):
    """An active (or closed) pair with objectives, sessions, evaluations and a planned
    meeting: everything a space reads."""
    status = {"closed": True, "ended_on": days_ago(1)} if closed else {"active": True}
    pair = MentorshipFactory(
        started_on=days_ago(100), last_session_on=days_ago(3), **status, **members
    )
    objective(pair, title="Premier")
    objective(pair, title="Second", status=ObjectiveStatus.ACHIEVED)
    for index in range(sessions):
        session = SessionFactory(mentorship=pair, held_on=days_ago(3 + 10 * index))
        SessionEvaluationFactory(session=session, side=Side.MENTOR)
    if not closed:
        PlannedMeetingFactory(mentorship=pair)
    # Submitted questionnaires: their links are on the pages whose queries are counted.
    respond(pair, Moment.START)
    if closed:
        respond(pair, Moment.END)
    return pair


# session, user, the pairs (with compliance, the ready-to-close flag, the questionnaires'
# state, both members, the référent and the planned meeting joined), their objectives (with
# their last change), their sessions (with whether each side evaluated them), whether the
# user is a mentor who attended an initial training (the « Mes formations » section).
MEMBER_HOME_QUERIES = 6


@pytest.mark.parametrize("size", [1, 10])
def test_a_mentors_space_costs_the_same_queries_whatever_the_pairs_and_sessions(
    client, django_assert_max_num_queries, size
):
    mentor = MentorFactory(approved=True, capacity=3)
    for _ in range(size):
        a_pair_with_history(sessions=4, mentor=mentor)
    client.force_login(mentor.user)

    with django_assert_max_num_queries(MEMBER_HOME_QUERIES):
        response = client.get(HOME)

    assert len(response.context["pairs"]) == size


@pytest.mark.parametrize("size", [1, 10])
def test_a_young_persons_space_costs_the_same_queries_whatever_the_pairs_and_sessions(
    client, django_assert_max_num_queries, size
):
    mentee = a_pair_with_history(sessions=4).mentee
    # A young person has one open pair at a time: the others are over.
    for _ in range(size - 1):
        a_pair_with_history(closed=True, sessions=4, mentee=mentee)
    client.force_login(mentee.user)

    with django_assert_max_num_queries(MEMBER_HOME_QUERIES):
        response = client.get(HOME)

    assert len(response.context["pairs"]) == size


@pytest.mark.parametrize("size", [1, 10])
def test_a_referents_space_costs_the_same_queries_whatever_the_pairs(
    client, django_assert_max_num_queries, size
):
    referent = UserFactory(staff=True)
    for _ in range(size):
        pair = a_pair_with_history()
        pair.mentor.referent = referent
        pair.mentor.save(update_fields=["referent"])
    client.force_login(referent)

    # session, user, the coordinators' group (is_coordinator) twice, for the second factor
    # (users/middleware.py) and for the scope, the référent's own pairs as a member (none
    # here: their two prefetches then run no query; a référent who is also a mentor would add
    # them), the followed pairs' count, the page's ids, the page's pairs with their rhythm.
    with django_assert_max_num_queries(MEMBER_HOME_QUERIES + 5):
        response = client.get(HOME)

    assert len(response.context["followed"]) == size


def test_the_followed_pairs_come_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr("mentorat.spaces.views.FOLLOWED_PER_PAGE", 2)
    referent = UserFactory(staff=True)
    pairs = [
        active_pair(started_days_ago=60 - index, mentor__referent=referent) for index in range(3)
    ]
    client.force_login(referent)

    first = client.get(HOME)
    second = client.get(HOME, {"page": 2})

    assert list(first.context["followed"]) == pairs[:2]
    assert list(second.context["followed"]) == pairs[2:]
    assert "Page suivante" in first.content.decode()
    assert "Page 2 sur 2" in second.content.decode()


def test_the_space_links_to_the_reminders_received_and_their_frequency(client):
    from django.urls import reverse

    from tests.matching.factories import MentorshipFactory

    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentee.user)
    html = client.get(reverse("spaces:home")).content.decode()
    assert reverse("reminders:received") in html
    assert reverse("reminders:preferences") in html
