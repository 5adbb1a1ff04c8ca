"""A pair's page: details, objectives with their forms (members only), sessions with their
evaluations, the planned meeting, the rhythm and the rules; who may open it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.enums import ObjectiveStatus, Side
from matching.services import objective_create, objective_update
from tests.matching.factories import MentorshipFactory
from tests.sessions.factories import (
    PlannedMeetingFactory,
    SessionEvaluationFactory,
    SessionFactory,
)
from tests.users.staff import login_staff

from .actors import READERS, actors_of, assert_redirected_to_login, client_as, parametrize_actors
from .test_home import a_pair_with_history, days_ago

pytestmark = pytest.mark.django_db


def pair_url(mentorship) -> str:
    return reverse("spaces:pair", args=[mentorship.pk])


def active_pair(**kwargs):
    return MentorshipFactory(
        active=True,
        started_on=days_ago(30),
        last_session_on=days_ago(5),
        last_qualifying_session_on=days_ago(5),
        **kwargs,
    )


def page_as(client, user, mentorship):
    login_staff(client, user)
    response = client.get(pair_url(mentorship))
    assert response.status_code == 200
    return response


@parametrize_actors
def test_only_the_members_their_referent_and_coordinators_open_a_pair(client, actor):
    mentorship = active_pair()
    user = actors_of(mentorship)[actor]

    response = client_as(client, user).get(pair_url(mentorship))

    if actor == "anonymous":
        assert_redirected_to_login(response)
    elif actor in READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_an_unknown_pair_is_a_404(client):
    mentorship = active_pair()
    client.force_login(mentorship.mentor.user)

    assert client.get(reverse("spaces:pair", args=[mentorship.pk + 100])).status_code == 404


@pytest.mark.parametrize("side", [Side.MENTOR, Side.MENTEE])
def test_a_member_gets_the_objective_forms(client, side):
    mentorship = active_pair()
    objective = objective_create(
        mentorship=mentorship, title="Trouver un stage", author=mentorship.mentee.user
    )
    member = mentorship.mentor if side == Side.MENTOR else mentorship.mentee

    html = page_as(client, member.user, mentorship).content.decode()

    assert html.count("<h1") == 1
    assert reverse("matching:objective_add", args=[mentorship.pk]) in html
    assert reverse("matching:objective_edit", args=[objective.pk]) in html
    assert f'id="id_objectif-{objective.pk}-status"' in html
    assert 'for="id_title"' in html


@pytest.mark.parametrize("actor", ["referent", "coordinator"])
def test_staff_read_the_pair_without_any_form(client, actor):
    mentorship = active_pair(mentee__user__first_name="Yanis", mentee__user__last_name="Benali")
    objective = objective_create(
        mentorship=mentorship, title="Trouver un stage", author=mentorship.mentee.user
    )
    SessionFactory(mentorship=mentorship)
    user = actors_of(mentorship)[actor]

    html = page_as(client, user, mentorship).content.decode()

    assert "Trouver un stage" in html
    assert "Yanis Benali" in html
    assert "seuls le mentor et le jeune modifient" in html
    assert reverse("matching:objective_add", args=[mentorship.pk]) not in html
    assert reverse("matching:objective_edit", args=[objective.pk]) not in html
    assert '<form method="post"' not in html.split("<main")[1].split("</main>")[0]
    assert reverse("sessions:log", args=[mentorship.pk]) not in html


def test_a_closed_pair_shows_its_objectives_without_forms(client):
    mentorship = active_pair()
    objective_create(mentorship=mentorship, title="Trouver un stage", author=mentorship.mentor.user)
    mentorship.status = "closed"
    mentorship.ended_on = timezone.localdate()
    mentorship.save()

    html = page_as(client, mentorship.mentor.user, mentorship).content.decode()

    assert "Trouver un stage" in html
    assert reverse("matching:objective_add", args=[mentorship.pk]) not in html


def test_objectives_show_their_state_and_when_they_changed(client):
    mentorship = active_pair()
    objective = objective_create(
        mentorship=mentorship, title="Trouver un stage", author=mentorship.mentor.user
    )
    untouched = objective_create(
        mentorship=mentorship, title="Préparer un CV", author=mentorship.mentor.user
    )
    objective_update(
        objective=objective,
        title="Trouver un stage de 3e",
        description="",
        status=ObjectiveStatus.ACHIEVED,
        author=mentorship.mentee.user,
    )

    response = page_as(client, mentorship.mentee.user, mentorship)

    html = response.content.decode()
    today = timezone.localdate()
    assert "Trouver un stage de 3e" in html
    assert "Atteint" in html
    assert f"modifié le {today.day}" in html
    assert f"atteint depuis le {today.day}" in html
    shown = {shown.pk: shown for shown, _form in response.context["objectives"]}
    assert shown[untouched.pk].last_changed_at is None
    assert shown[objective.pk].last_changed_at is not None


def test_sessions_show_their_duration_the_flag_and_the_evaluations(client):
    mentorship = active_pair()
    short = SessionFactory(mentorship=mentorship, duration_minutes=89, held_on=days_ago(5))
    long = SessionFactory(mentorship=mentorship, duration_minutes=90, held_on=days_ago(20))
    SessionEvaluationFactory(session=long, side=Side.MENTOR)
    SessionEvaluationFactory(session=long, side=Side.MENTEE)

    response = page_as(client, mentorship.mentee.user, mentorship)

    html = response.content.decode()
    assert "89 min" in html
    assert "Moins de 1h30 : ne compte pas pour le rythme" in html
    assert html.count("Moins de 1h30") == 1
    rows = {row.session.pk: row for row in response.context["pair"].session_rows}
    assert rows[long.pk].evaluated_by_me
    assert not rows[short.pk].evaluated_by_me
    assert reverse("sessions:evaluate", args=[short.pk]) in html
    assert reverse("sessions:detail", args=[long.pk]) in html


def test_only_the_author_gets_the_edit_link_within_seven_days(client):
    mentorship = active_pair()
    recent = SessionFactory(mentorship=mentorship)
    old = SessionFactory(
        mentorship=mentorship, logged_at=timezone.now() - datetime.timedelta(days=8)
    )

    mentor_html = page_as(client, mentorship.mentor.user, mentorship).content.decode()
    client.logout()
    mentee_html = page_as(client, mentorship.mentee.user, mentorship).content.decode()

    assert reverse("sessions:update", args=[recent.pk]) in mentor_html
    assert reverse("sessions:update", args=[old.pk]) not in mentor_html
    assert reverse("sessions:update", args=[recent.pk]) not in mentee_html


def test_the_planned_meeting_comes_with_its_calendar_file(client):
    mentorship = active_pair()
    PlannedMeetingFactory(mentorship=mentorship, place="Médiathèque Ulysse")

    html = page_as(client, mentorship.mentee.user, mentorship).content.decode()

    assert "Médiathèque Ulysse" in html
    assert reverse("sessions:meeting_ics", args=[mentorship.pk]) in html
    assert reverse("sessions:plan_meeting", args=[mentorship.pk]) in html


def test_the_page_reminds_the_rules_and_the_rhythm(client):
    mentorship = active_pair(qualifying_sessions=2)

    html = page_as(client, mentorship.mentor.user, mentorship).content.decode()

    assert "au moins 1h30" in html
    assert "au moins 6 mois" in html
    assert "À jour" in html
    assert reverse("sessions:log", args=[mentorship.pk]) in html


# session, user, the pair (with compliance, the ready-to-close flag, the questionnaires' state,
# both members, the référent and the planned meeting joined), its objectives (with their last
# change), its sessions (with whether each side evaluated them).
PAIR_PAGE_QUERIES = 5


@pytest.mark.parametrize("sessions", [1, 12])
def test_the_pair_page_costs_the_same_queries_whatever_its_sessions(
    client, django_assert_max_num_queries, sessions
):
    mentorship = a_pair_with_history(sessions=sessions)
    client.force_login(mentorship.mentor.user)

    with django_assert_max_num_queries(PAIR_PAGE_QUERIES):
        response = client.get(pair_url(mentorship))

    assert len(response.context["pair"].sessions) == sessions


def test_a_referents_pair_page_adds_only_the_coordinators_group_check(
    client, django_assert_max_num_queries
):
    mentorship = a_pair_with_history(sessions=5)
    referent = actors_of(mentorship)["referent"]
    client.force_login(referent)

    # Asked twice: by the second factor's check (users/middleware.py) and by the pair's scope.
    with django_assert_max_num_queries(PAIR_PAGE_QUERIES + 2):
        assert client.get(pair_url(mentorship)).status_code == 200


def test_the_pair_page_lists_the_latest_twenty_sessions_and_links_to_all_of_them(client):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from tests.matching.factories import MentorshipFactory
    from tests.sessions.factories import SessionFactory

    today = timezone.localdate()
    pair = MentorshipFactory(active=True, started_on=today - datetime.timedelta(days=400))
    for days in range(1, 26):
        SessionFactory(mentorship=pair, held_on=today - datetime.timedelta(days=days))
    client.force_login(pair.mentor.user)

    response = client.get(reverse("spaces:pair", args=[pair.pk]))

    assert len(response.context["pair"].session_rows) == 20
    html = response.content.decode()
    assert "Voici les 20 dernières séances sur 25" in html
    assert reverse("sessions:list", args=[pair.pk]) in html
