"""The programme's evidence of impact: per scale question, over the pairs whose young person
submitted both questionnaires, the mean start, mean end, mean change and the share who
progressed. Every figure below is computed by hand from the fixture's table."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Answer, Questionnaire, Response
from evaluations.selectors import programme_progress
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def scales():
    questionnaire = Questionnaire.objects.current().get()
    return list(questionnaire.questions.filter(kind=QuestionKind.SCALE).order_by("order")[:2])


def respond(pair, moment, values, scales, *, at, status=ResponseStatus.SUBMITTED):
    """A response as the services leave it, stamped at `at` (the clock is moved, not the
    row: the period filter reads the submission time the application wrote)."""
    with time_machine.travel(at, tick=False):
        response = Response.objects.create(
            mentorship=pair,
            moment=moment,
            questionnaire=scales[0].questionnaire,
            status=status,
            submitted_at=timezone.now() if status == ResponseStatus.SUBMITTED else None,
        )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, scale_value=value)
        for question, value in zip(scales, values, strict=True)
        if value is not None
    )
    return response


def pair_with(scales, *, start, end, ended_at, department="93200", qpv=False):
    pair = MentorshipFactory(
        closed=True, mentee__postal_code=department, mentee__publics=["QPV"] if qpv else []
    )
    respond(pair, Moment.START, start, scales, at=paris(2025, 9, 15))
    if end is not None:
        respond(pair, Moment.END, end, scales, at=ended_at)
    return pair


@pytest.fixture
def programme(scales):
    """
    pair  département  QPV  end submitted (Paris)   Q1 start→end  Q2 start→end
    A     93           yes  1 April 2026, 00:30     2 → 4         3 → 3
    B     75           no   15 April 2026           3 → 3         4 → 5
    C     93           no   20 May 2026             1 → 5         5 → 4
    D     93           yes  (no end)                1             1          excluded
    E     93           yes  end still a draft       1 → 5         1 → 5      excluded
    """
    # 00:30 in Paris is still 31 March in UTC: the period is read in the programme's time.
    pair_with(scales, start=(2, 3), end=(4, 3), ended_at=paris(2026, 4, 1, 0, 30), qpv=True)
    pair_with(scales, start=(3, 4), end=(3, 5), ended_at=paris(2026, 4, 15), department="75019")
    pair_with(scales, start=(1, 5), end=(5, 4), ended_at=paris(2026, 5, 20))
    pair_with(scales, start=(1, 1), end=None, ended_at=None, qpv=True)
    draft = pair_with(scales, start=(1, 1), end=None, ended_at=None, qpv=True)
    respond(draft, Moment.END, (5, 5), scales, at=paris(2026, 5, 1), status=ResponseStatus.DRAFT)
    return scales


def figures(rows, scales) -> list[tuple]:
    by_question = {row["question_id"]: row for row in rows}
    return [
        tuple(
            round(by_question[question.pk][key], 4)
            for key in ("pairs", "mean_start", "mean_end", "mean_change", "progressed_share")
        )
        if question.pk in by_question
        else None
        for question in scales
    ]


def test_only_pairs_with_both_responses_submitted_are_counted(programme):
    rows = programme_progress()

    assert figures(rows, programme) == [
        # Q1: (2+3+1)/3, (4+3+5)/3, (2+0+4)/3, A and C progressed.
        (3, 2.0, 4.0, 2.0, round(2 / 3, 4)),
        # Q2: (3+4+5)/3, (3+5+4)/3, (0+1-1)/3, only B progressed.
        (3, 4.0, 4.0, 0.0, round(1 / 3, 4)),
    ]


def test_the_figures_come_in_the_questionnaire_order_with_the_question_text(programme):
    rows = programme_progress()

    assert [row["question_id"] for row in rows] == [question.pk for question in programme]
    assert rows[0]["question"] == programme[0].text


def test_the_figures_are_computed_in_one_query(programme, django_assert_num_queries):
    with django_assert_num_queries(1):
        programme_progress(department="93", priority="QPV", since=datetime.date(2026, 1, 1))


def test_the_period_is_read_on_the_end_submission_date_in_local_time(programme):
    april = programme_progress(since=datetime.date(2026, 4, 1), until=datetime.date(2026, 4, 30))

    # A (00:30 on 1 April in Paris) and B.
    assert figures(april, programme) == [(2, 2.5, 3.5, 1.0, 0.5), (2, 3.5, 4.0, 0.5, 0.5)]


def test_a_period_with_an_open_end_keeps_everything_after_its_start(programme):
    since = programme_progress(since=datetime.date(2026, 4, 2))

    # B and C.
    assert figures(since, programme) == [(2, 2.0, 4.0, 2.0, 0.5), (2, 4.5, 4.5, 0.0, 0.5)]


def test_a_period_with_an_open_start_keeps_everything_before_its_end(programme):
    until = programme_progress(until=datetime.date(2026, 3, 31))

    # A belongs to April in Paris, whatever the UTC date says.
    assert until == []


def test_the_figures_can_be_narrowed_to_a_departement(programme):
    rows = programme_progress(department="93")

    # A and C; the draft and the start-only pairs of the 93 stay out.
    assert figures(rows, programme) == [(2, 1.5, 4.5, 3.0, 1.0), (2, 4.0, 3.5, -0.5, 0.0)]


def test_the_figures_can_be_narrowed_to_a_priority_public(programme):
    rows = programme_progress(priority="QPV")

    # A alone: D and E live in a QPV too, without both responses submitted.
    assert figures(rows, programme) == [(1, 2.0, 4.0, 2.0, 1.0), (1, 3.0, 3.0, 0.0, 0.0)]


def test_filters_combine(programme):
    rows = programme_progress(department="93", since=datetime.date(2026, 5, 1))

    assert figures(rows, programme) == [(1, 1.0, 5.0, 4.0, 1.0), (1, 5.0, 4.0, -1.0, 0.0)]


def test_an_unknown_priority_public_matches_nobody(programme):
    # The code is a value, never a field name: nothing to refuse, nobody to count.
    assert programme_progress(priority="user__is_staff") == []
    assert programme_progress(priority="ZRR") == []


def test_a_programme_without_complete_pairs_has_no_figures(scales):
    assert programme_progress() == []


def test_the_versions_of_a_questionnaire_add_up_question_by_question(scales):
    # One pair answered the first version (still asked in the same words), one the current.
    first = Questionnaire.objects.get(family=scales[0].questionnaire.family, version=1)
    first_scales = list(first.questions.filter(kind=QuestionKind.SCALE).order_by("order")[:2])
    pair_with(first_scales, start=(1, 2), end=(3, 2), ended_at=paris(2026, 4, 1))
    pair_with(scales, start=(3, 4), end=(4, 5), ended_at=paris(2026, 4, 2))

    rows = programme_progress()

    assert [(row["question"], row["pairs"]) for row in rows[:2]] == [
        (scales[0].text, 2),
        (scales[1].text, 2),
    ]
    assert [row["mean_change"] for row in rows[:2]] == [1.5, 0.5]
