"""The dashboard's closures for the period (by the pairs' end date): how many by reason, how
many members answered their closure questionnaire, how many interviews were recorded, and
the answers side by side (counts per choice, the recommendation's mean), in two queries."""

import datetime

import pytest
from django.urls import reverse

from evaluations.enums import InterviewWith, QuestionKind
from evaluations.interviews import closure_interview_record
from evaluations.services import closure_response_open, response_save
from matching.enums import CloseReason
from mentorat.staff.dashboard import Filters, closures
from tests.matching.factories import MentorshipFactory
from tests.users.factories import UserFactory
from tests.users.staff import login_staff

pytestmark = pytest.mark.django_db

PERIOD = Filters(since=datetime.date(2025, 9, 1), until=datetime.date(2025, 12, 31))


def closed(ended_on, reason, postal_code="93200"):
    return MentorshipFactory(
        closed=True,
        started_on=ended_on - datetime.timedelta(days=200),
        ended_on=ended_on,
        close_reason=reason,
        mentee__postal_code=postal_code,
    )


def answer(pair, user, *, scale, choice, submit=True):
    response = closure_response_open(mentorship=pair, author=user)
    answers = {}
    for question in response.questionnaire.questions.all():
        if question.kind == QuestionKind.SCALE:
            answers[question.pk] = scale
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            answers[question.pk] = choice
        elif question.required:
            answers[question.pk] = "Des rencontres utiles."
    response_save(response=response, author=user, answers=answers, submit=submit)


def programme():
    achieved = closed(datetime.date(2025, 10, 15), CloseReason.OBJECTIVES_ACHIEVED)
    answer(achieved, achieved.mentee.user, scale=5, choice="Oui")
    answer(achieved, achieved.mentor.user, scale=4, choice="Non")
    closure_interview_record(
        mentorship=achieved,
        recorded_by=UserFactory(coordinator=True),
        held_on=datetime.date(2025, 10, 20),
        held_with=InterviewWith.BOTH,
    )
    withdrew = closed(datetime.date(2025, 11, 20), CloseReason.MENTEE_WITHDREW, "75019")
    answer(withdrew, withdrew.mentee.user, scale=3, choice="Peut-être")
    # A draft says nothing yet.
    answer(withdrew, withdrew.mentor.user, scale=1, choice="Non", submit=False)
    # Ended before the period.
    earlier = closed(datetime.date(2024, 5, 1), CloseReason.UNREACHABLE)
    answer(earlier, earlier.mentee.user, scale=1, choice="Non")
    MentorshipFactory(active=True)


def question(side, kind):
    return next(q for q in side["questions"] if q["is_scale"] == (kind == QuestionKind.SCALE))


def test_the_closures_of_the_period_by_reason_with_their_answers():
    programme()

    data = closures(PERIOD)

    assert data["total"] == 2
    reasons = {row["label"]: row["count"] for row in data["by_reason"]}
    assert reasons["Objectifs atteints"] == 1
    assert reasons["Le jeune a arrêté"] == 1
    assert reasons["Plus de nouvelles"] == 0
    assert data["answered"] == {"mentee": 2, "mentor": 1}
    assert data["interviews"] == 1
    young, mentors = data["answers"]
    assert (young["label"], mentors["label"]) == ("Jeunes", "Mentors")
    recommend = question(young, QuestionKind.SCALE)
    assert recommend["answers"] == 2
    assert recommend["mean"] == 4.0
    assert {c["label"]: c["count"] for c in recommend["choices"]} == {"3": 1, "5": 1}
    again = question(young, QuestionKind.SINGLE_CHOICE)
    assert again["text"] == "Aimerais-tu avoir un mentor à nouveau ?"
    # Every offered choice, in its order, even when nobody picked it.
    assert [(c["label"], c["count"]) for c in again["choices"]] == [
        ("Oui", 1),
        ("Non", 0),
        ("Peut-être", 1),
    ]
    assert question(mentors, QuestionKind.SCALE)["mean"] == 4.0
    assert [c["count"] for c in question(mentors, QuestionKind.SINGLE_CHOICE)["choices"]] == [
        0,
        1,
        0,
    ]
    # The open questions are read one by one, not counted.
    assert len(young["questions"]) == 2


def test_the_whole_programme_and_the_departement_change_the_figures():
    programme()

    everything = closures(Filters())
    assert everything["total"] == 3
    assert question(everything["answers"][0], QuestionKind.SCALE)["mean"] == 3.0
    in_75 = closures(Filters(department="75"))
    assert in_75["total"] == 1
    assert in_75["answered"] == {"mentee": 1, "mentor": 0}
    assert question(in_75["answers"][0], QuestionKind.SCALE)["mean"] == 3.0
    assert in_75["answers"][1]["questions"] == []


@pytest.mark.parametrize("count", [1, 6])
def test_two_queries_whatever_the_number_of_pairs(count, django_assert_num_queries):
    for index in range(count):
        pair = closed(datetime.date(2025, 10, 1 + index), CloseReason.OBJECTIVES_ACHIEVED)
        answer(pair, pair.mentee.user, scale=4, choice="Oui")
        answer(pair, pair.mentor.user, scale=5, choice="Non")

    with django_assert_num_queries(2):
        data = closures(PERIOD)

    assert data["answered"] == {"mentee": count, "mentor": count}


def test_the_dashboard_shows_the_closures_section(client):
    programme()
    login_staff(client, UserFactory(coordinator=True))

    html = client.get(reverse("admin:dashboard"), {"du": "2025-09-01", "au": "2025-12-31"})

    content = html.content.decode()
    assert "Binômes terminés sur la période, par motif" in content
    assert "2 binômes terminés sur la période" in content
    assert "Questionnaires de clôture : jeunes" in content
    assert "moyenne 4,0 sur 5" in content
