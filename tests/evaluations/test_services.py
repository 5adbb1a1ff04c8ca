"""Filling the questionnaires: only the pair's young person, at the right moment of the pair's
life, a draft then a submission that locks it (a coordinator can reopen it), and every bad
answer refused with its reason in French."""

import datetime

import pytest
from django.utils import timezone

from evaluations.enums import Moment, QuestionKind, ResponseStatus
from evaluations.models import Question, Questionnaire, Response
from evaluations.selectors import end_questionnaire_due, start_questionnaire_due
from evaluations.services import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    QuestionnaireError,
    response_open,
    response_reopen,
    response_save,
)
from matching.enums import MentorshipStatus, ObjectiveStatus
from matching.models import Mentorship, Objective
from tests.matching.factories import MentorshipFactory
from tests.mentees.factories import MenteeFactory
from tests.users.factories import UserFactory

pytestmark = pytest.mark.django_db


def questions_of(response: Response) -> list[Question]:
    return list(response.questionnaire.questions.for_moment(response.moment))


def complete_answers(response: Response, scale: int = 3) -> dict[int, object]:
    """A valid answer to every question the young person is asked at this moment."""
    answers: dict[int, object] = {}
    for question in questions_of(response):
        if question.kind == QuestionKind.SCALE:
            answers[question.pk] = scale
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            answers[question.pk] = question.choices[0]
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            answers[question.pk] = question.choices[:2]
        else:
            answers[question.pk] = "Découvrir des métiers et gagner en confiance."
    return answers


def question(response: Response, kind: QuestionKind) -> Question:
    return next(q for q in questions_of(response) if q.kind == kind)


def ready_to_close(pair: Mentorship) -> Mentorship:
    """Six months and more, every objective achieved: the pair is closing."""
    pair.started_on = timezone.localdate() - datetime.timedelta(days=200)
    pair.save()
    Objective.objects.create(
        mentorship=pair,
        title="Trouver une alternance",
        status=ObjectiveStatus.ACHIEVED,
        created_by=pair.mentor.user,
    )
    return pair


@pytest.fixture
def pair():
    return MentorshipFactory(active=True)


@pytest.fixture
def start(pair):
    return response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)


def save(response: Response, answers: dict, *, submit: bool) -> Response:
    return response_save(
        response=response, author=response.mentorship.mentee.user, answers=answers, submit=submit
    )


# --- Draft, then submit


def test_the_start_questionnaire_opens_as_a_draft_on_the_current_version(start):
    assert start.status == ResponseStatus.DRAFT
    assert start.questionnaire == Questionnaire.objects.current().get()
    assert start.submitted_at is None


def test_opening_twice_gives_back_the_same_response(pair, start):
    again = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)

    assert again == start
    assert Response.objects.count() == 1


def test_a_draft_keeps_partial_answers_and_can_be_finished_later(start):
    scale = question(start, QuestionKind.SCALE)

    save(start, {scale.pk: 2}, submit=False)

    start.refresh_from_db()
    assert start.status == ResponseStatus.DRAFT
    assert list(start.answers.values_list("question", "scale_value")) == [(scale.pk, 2)]

    save(start, complete_answers(start, scale=4), submit=True)

    start.refresh_from_db()
    assert start.status == ResponseStatus.SUBMITTED
    assert start.submitted_at is not None
    assert start.answers.get(question=scale).scale_value == 4
    assert start.answers.count() == len(questions_of(start))


def test_emptying_an_answer_in_a_draft_removes_it(start):
    scale = question(start, QuestionKind.SCALE)
    save(start, {scale.pk: 2}, submit=False)

    save(start, {scale.pk: ""}, submit=False)

    assert not start.answers.exists()


def test_submitting_without_the_required_answers_names_each_missing_one_in_french(start):
    answers = complete_answers(start)
    required = [q for q in questions_of(start) if q.required]
    del answers[required[0].pk]
    answers[required[1].pk] = ""

    with pytest.raises(QuestionnaireError) as refused:
        save(start, answers, submit=True)

    assert set(refused.value.errors) == {required[0].pk, required[1].pk}
    assert all("obligatoire" in message for message in refused.value.errors.values())
    start.refresh_from_db()
    assert start.status == ResponseStatus.DRAFT
    # Nothing is half-saved: the submission is refused as a whole.
    assert not start.answers.exists()


def test_optional_questions_may_stay_empty_at_submission(pair):
    pair.status = MentorshipStatus.CLOSED
    pair.save()
    end = response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)
    answers = {
        pk: value
        for pk, value in complete_answers(end).items()
        if Question.objects.get(pk=pk).required
    }

    save(end, answers, submit=True)

    end.refresh_from_db()
    assert end.status == ResponseStatus.SUBMITTED


# --- Bad input, refused with its reason (in a draft too)


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submit"])
@pytest.mark.parametrize("value", [0, 6, "abc"])
def test_a_scale_answer_outside_one_to_five_is_refused(start, value, submit):
    answers = complete_answers(start)
    scale = question(start, QuestionKind.SCALE)
    answers[scale.pk] = value

    with pytest.raises(QuestionnaireError) as refused:
        save(start, answers, submit=submit)

    assert refused.value.errors == {scale.pk: "Choisis une réponse de 1 à 5."}
    assert not start.answers.exists()


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submit"])
def test_an_answer_that_was_not_offered_is_refused(start, submit):
    choice = question(start, QuestionKind.SINGLE_CHOICE)

    with pytest.raises(QuestionnaireError) as refused:
        save(start, {choice.pk: "Devenir astronaute"}, submit=submit)

    assert refused.value.errors[choice.pk] == "Choisis une des réponses proposées."


def test_a_multiple_choice_with_an_answer_not_offered_is_refused(pair):
    pair.status = MentorshipStatus.CLOSED
    pair.save()
    end = response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)
    choice = question(end, QuestionKind.MULTIPLE_CHOICE)

    with pytest.raises(QuestionnaireError) as refused:
        save(end, {choice.pk: [choice.choices[0], "Un voyage"]}, submit=False)

    assert refused.value.errors[choice.pk] == "Choisis parmi les réponses proposées."


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submit"])
def test_a_too_long_text_is_refused_with_the_limit_and_its_length(start, submit):
    text = question(start, QuestionKind.LONG_TEXT)

    with pytest.raises(QuestionnaireError) as refused:
        save(start, {text.pk: "a" * (LONG_TEXT_MAX + 1)}, submit=submit)

    assert refused.value.errors[text.pk] == (
        f"Écris au plus {LONG_TEXT_MAX} caractères (tu en as écrit {LONG_TEXT_MAX + 1})."
    )


def test_a_too_long_short_text_is_refused(pair):
    pair.status = MentorshipStatus.CLOSED
    pair.save()
    end = response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)
    text = question(end, QuestionKind.SHORT_TEXT)

    with pytest.raises(QuestionnaireError) as refused:
        save(end, {text.pk: "a" * (SHORT_TEXT_MAX + 1)}, submit=False)

    assert f"au plus {SHORT_TEXT_MAX} caractères" in refused.value.errors[text.pk]


# --- Locked once submitted; a coordinator reopens it


def test_a_submitted_questionnaire_is_locked(start):
    save(start, complete_answers(start, scale=4), submit=True)

    with pytest.raises(QuestionnaireError) as refused:
        save(start, complete_answers(start, scale=1), submit=False)

    assert "déjà envoyé" in refused.value.errors[None]
    assert set(start.answers.values_list("scale_value", flat=True)) - {None} == {4}


def test_a_coordinator_reopens_a_submitted_questionnaire_for_corrections(start):
    save(start, complete_answers(start, scale=4), submit=True)
    coordinator = UserFactory(coordinator=True)

    response_reopen(response=start, reopened_by=coordinator)
    save(start, complete_answers(start, scale=2), submit=True)

    start.refresh_from_db()
    assert start.status == ResponseStatus.SUBMITTED
    assert start.reopened_by == coordinator
    assert start.reopened_at is not None
    assert set(start.answers.values_list("scale_value", flat=True)) - {None} == {2}


@pytest.mark.parametrize("who", ["mentor", "mentee", "staff"])
def test_only_a_coordinator_reopens_a_questionnaire(start, who):
    save(start, complete_answers(start), submit=True)
    user = {
        "mentor": start.mentorship.mentor.user,
        "mentee": start.mentorship.mentee.user,
        "staff": UserFactory(staff=True),
    }[who]

    with pytest.raises(QuestionnaireError):
        response_reopen(response=start, reopened_by=user)

    start.refresh_from_db()
    assert start.status == ResponseStatus.SUBMITTED


# --- Only the pair's young person, at the right moment


@pytest.mark.parametrize("who", ["mentor", "other young person", "coordinator"])
def test_only_the_young_person_of_the_pair_opens_their_questionnaire(pair, who):
    user = {
        "mentor": pair.mentor.user,
        "other young person": MenteeFactory(approved=True).user,
        "coordinator": UserFactory(coordinator=True),
    }[who]

    with pytest.raises(QuestionnaireError):
        response_open(mentorship=pair, moment=Moment.START, author=user)

    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["mentor", "other young person", "coordinator"])
def test_only_the_young_person_of_the_pair_saves_their_questionnaire(start, who):
    pair = start.mentorship
    user = {
        "mentor": pair.mentor.user,
        "other young person": MenteeFactory(approved=True).user,
        "coordinator": UserFactory(coordinator=True),
    }[who]

    with pytest.raises(QuestionnaireError):
        response_save(response=start, author=user, answers=complete_answers(start), submit=True)

    start.refresh_from_db()
    assert start.status == ResponseStatus.DRAFT


def test_the_start_questionnaire_does_not_open_before_the_pair_is_active():
    proposed = MentorshipFactory()

    with pytest.raises(QuestionnaireError) as refused:
        response_open(mentorship=proposed, moment=Moment.START, author=proposed.mentee.user)

    assert "commence" in refused.value.errors[None]


def test_the_end_questionnaire_does_not_open_while_the_pair_is_only_active(pair):
    with pytest.raises(QuestionnaireError) as refused:
        response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)

    assert "se termine" in refused.value.errors[None]


def test_the_end_questionnaire_opens_when_the_pair_is_ready_to_close(pair):
    ready_to_close(pair)

    end = response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)

    assert end.moment == Moment.END


def test_the_end_questionnaire_opens_once_the_pair_is_closed(pair):
    pair.status = MentorshipStatus.CLOSED
    pair.save()

    end = response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)

    assert end.moment == Moment.END


def test_a_minor_fills_their_questionnaires_under_the_same_rules():
    pair = MentorshipFactory(active=True, mentee__minor=True, mentee__with_consent=True)
    author = pair.mentee.user

    with pytest.raises(QuestionnaireError):
        response_open(mentorship=pair, moment=Moment.END, author=author)
    start = response_open(mentorship=pair, moment=Moment.START, author=author)
    with pytest.raises(QuestionnaireError):
        save(start, {}, submit=True)
    save(start, complete_answers(start), submit=True)

    start.refresh_from_db()
    assert start.status == ResponseStatus.SUBMITTED


# --- What is due


def test_the_start_questionnaire_is_due_on_active_and_closed_pairs_until_submitted(pair):
    closed = MentorshipFactory(closed=True)
    proposed = MentorshipFactory()
    pairs = Mentorship.objects.filter(pk__in=[pair.pk, closed.pk, proposed.pk])

    assert set(start_questionnaire_due(pairs)) == {pair, closed}

    start = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    # A draft is still due: the young person has not sent it.
    assert set(start_questionnaire_due(pairs)) == {pair, closed}

    save(start, complete_answers(start), submit=True)
    assert set(start_questionnaire_due(pairs)) == {closed}


def test_the_end_questionnaire_is_due_on_closed_and_closing_pairs_until_submitted(pair):
    closing = ready_to_close(MentorshipFactory(active=True))
    closed = MentorshipFactory(closed=True)
    proposed = MentorshipFactory()
    pairs = Mentorship.objects.filter(pk__in=[pair.pk, closing.pk, closed.pk, proposed.pk])

    assert set(end_questionnaire_due(pairs)) == {closing, closed}

    end = response_open(mentorship=closed, moment=Moment.END, author=closed.mentee.user)
    save(end, complete_answers(end), submit=True)
    assert set(end_questionnaire_due(pairs)) == {closing}
