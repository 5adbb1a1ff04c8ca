"""A closed pair asks each member for their closure questionnaire from « Mon espace » and the
pair's page, until they send it; the other member's answers are never linked to them, and the
number of queries does not grow with the pairs."""

import datetime

import pytest
from django.urls import reverse

from evaluations.enums import QuestionKind
from evaluations.services import closure_response_open, response_save
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

HOME = reverse("spaces:home")


def closed_pair(**kwargs):
    return MentorshipFactory(
        closed=True,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 8, 29),
        **kwargs,
    )


def send(pair, user):
    response = closure_response_open(mentorship=pair, author=user)
    answers = {
        q.pk: 4 if q.kind == QuestionKind.SCALE else q.choices[0] if q.choices else "Bien."
        for q in response.questionnaire.questions.all()
    }
    return response_save(response=response, author=user, answers=answers, submit=True)


def closure_tasks(page):
    return [task for _pair, task in page.context["tasks"] if "clôture" in task.label]


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_each_member_is_asked_from_their_home_until_they_send_it(client, side):
    pair = closed_pair()
    user = getattr(pair, side).user
    client.force_login(user)

    [task] = closure_tasks(client.get(HOME))
    assert task.url == reverse("evaluations:closure", args=[pair.pk])
    send(pair, user)
    assert closure_tasks(client.get(HOME)) == []


def test_the_other_members_answer_leaves_my_task_and_hides_their_words(client):
    pair = closed_pair()
    sent = send(pair, pair.mentor.user)
    client.force_login(pair.mentee.user)

    assert len(closure_tasks(client.get(HOME))) == 1
    html = client.get(reverse("spaces:pair", args=[pair.pk])).content.decode()
    assert "Remplir le questionnaire de clôture" in html
    assert reverse("evaluations:response", args=[sent.pk]) not in html
    assert client.get(reverse("evaluations:response", args=[sent.pk])).status_code == 404


def test_an_active_pair_asks_for_no_closure_questionnaire(client):
    pair = MentorshipFactory(active=True)
    client.force_login(pair.mentee.user)

    assert closure_tasks(client.get(HOME)) == []
    html = client.get(reverse("spaces:pair", args=[pair.pk])).content.decode()
    assert reverse("evaluations:closure", args=[pair.pk]) not in html


@pytest.mark.parametrize("count", [1, 4])
def test_the_home_reads_closure_states_in_a_constant_number_of_queries(
    client, count, django_assert_num_queries
):
    mentor = None
    for _ in range(count):
        pair = closed_pair(**({"mentor": mentor} if mentor else {}))
        mentor = pair.mentor
        send(pair, mentor.user)
    client.force_login(mentor.user)

    # Session, user, pairs (the closure columns among them), objectives, sessions, whether
    # the mentor attended an initial training: the same whatever the number of pairs.
    with django_assert_num_queries(6):
        page = client.get(HOME)
    assert closure_tasks(page) == []
