"""The young person's questionnaires in the spaces: the start one is their first task once the
pair is active, the end one when it closes; the mentor, the référent and coordinators get the
links to read them (and the progress) only once submitted."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import Moment
from evaluations.views import fill_url
from matching.enums import ObjectiveStatus
from tests.matching.factories import MentorshipFactory
from tests.users.staff import login_staff

from .actors import actors_of
from .questionnaires import respond
from .test_home import days_ago, home_as, objective, task_labels

pytestmark = pytest.mark.django_db


def response_url(response) -> str:
    return reverse("evaluations:response", args=[response.pk])


def pair_page(client, user, mentorship) -> str:
    login_staff(client, user)
    response = client.get(reverse("spaces:pair", args=[mentorship.pk]))
    assert response.status_code == 200
    return response.content.decode()


def active_pair():
    return MentorshipFactory(
        active=True,
        started_on=days_ago(20),
        last_session_on=days_ago(3),
        last_qualifying_session_on=days_ago(3),
    )


def closing_pair():
    """Six months and every objective achieved: ready to close, the end questionnaire opens."""
    start = timezone.localdate() - relativedelta(months=6, days=1)
    pair = MentorshipFactory(
        active=True,
        started_on=start,
        last_session_on=days_ago(3),
        last_qualifying_session_on=days_ago(3),
    )
    objective(pair, status=ObjectiveStatus.ACHIEVED)
    return pair


def test_the_start_questionnaire_is_the_young_persons_first_task(client):
    pair = active_pair()

    response = home_as(client, pair.mentee.user)

    assert task_labels(response)[0] == "Remplir le questionnaire de début"
    html = response.content.decode()
    assert fill_url(pair.pk, Moment.START) in html
    assert html.index("Remplir le questionnaire de début") < html.index("Définir tes objectifs")


def test_the_start_questionnaire_is_never_a_task_of_the_mentor(client):
    pair = active_pair()

    labels = task_labels(home_as(client, pair.mentor.user))

    assert not [label for label in labels if "questionnaire" in label]


def test_a_draft_keeps_the_task_and_gives_the_mentor_nothing(client):
    pair = active_pair()
    draft = respond(pair, Moment.START, submit=False)

    mentee_labels = task_labels(home_as(client, pair.mentee.user))
    client.logout()
    mentor_html = home_as(client, pair.mentor.user).content.decode()
    client.logout()
    mentor_page = pair_page(client, pair.mentor.user, pair)

    assert mentee_labels[0] == "Remplir le questionnaire de début"
    for html in (mentor_html, mentor_page):
        assert response_url(draft) not in html
        assert "Questionnaire de début : pas encore envoyé." in html


def test_once_submitted_the_task_goes_and_the_mentor_gets_the_link(client):
    pair = active_pair()
    start = respond(pair, Moment.START)

    mentee_response = home_as(client, pair.mentee.user)
    client.logout()
    mentor_html = home_as(client, pair.mentor.user).content.decode()
    client.logout()
    mentor_page = pair_page(client, pair.mentor.user, pair)

    assert "Remplir le questionnaire de début" not in task_labels(mentee_response)
    assert response_url(start) in mentee_response.content.decode()
    for html in (mentor_html, mentor_page):
        assert response_url(start) in html
        assert "Lire le questionnaire de début" in html
        # One questionnaire: no progress yet.
        assert reverse("evaluations:progress", args=[pair.pk]) not in html


@pytest.mark.parametrize("closed", [False, True], ids=["ready to close", "closed"])
def test_the_end_questionnaire_is_the_young_persons_first_task_when_the_pair_ends(client, closed):
    pair = closing_pair()
    respond(pair, Moment.START)
    if closed:
        pair.status = "closed"
        pair.ended_on = timezone.localdate()
        pair.save()

    response = home_as(client, pair.mentee.user)

    assert task_labels(response)[0] == "Remplir le questionnaire de fin"
    assert fill_url(pair.pk, Moment.END) in response.content.decode()


def test_an_active_pair_does_not_ask_for_the_end_questionnaire(client):
    pair = active_pair()
    objective(pair)
    respond(pair, Moment.START)

    labels = task_labels(home_as(client, pair.mentee.user))

    assert "Remplir le questionnaire de fin" not in labels


@pytest.mark.parametrize("actor", ["mentor", "mentee", "referent", "coordinator"])
def test_both_questionnaires_submitted_give_every_reader_the_progress(client, actor):
    pair = closing_pair()
    start = respond(pair, Moment.START)
    end = respond(pair, Moment.END)
    user = actors_of(pair)[actor]

    html = pair_page(client, user, pair)

    assert response_url(start) in html
    assert response_url(end) in html
    assert reverse("evaluations:progress", args=[pair.pk]) in html
    assert "Remplir le questionnaire" not in html


def test_the_mentors_space_links_to_the_progress(client):
    pair = closing_pair()
    respond(pair, Moment.START)
    respond(pair, Moment.END)

    html = home_as(client, pair.mentor.user).content.decode()

    assert reverse("evaluations:progress", args=[pair.pk]) in html
    assert "Lire le questionnaire de fin" in html
