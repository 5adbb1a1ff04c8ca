"""Questionnaires are versioned data: a version that has answers is frozen, so start and end
answers always compare like with like; coordinators make a new version instead."""

import pytest

from evaluations.enums import Moment, QuestionKind, QuestionMoment
from evaluations.models import FrozenQuestionnaireError, Question, Questionnaire
from evaluations.services import (
    QuestionnaireError,
    questionnaire_for,
    questionnaire_make_current,
    questionnaire_new_version,
    response_open,
)
from matching.enums import MentorshipStatus
from tests.matching.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

THEMES = (
    "monde professionnel",
    "confiance en moi",
    "qualités et mes talents",
    "projet d'orientation",
    "savoir-être",
    "réseau",
    "stage, une alternance ou un emploi",
)


@pytest.fixture
def default():
    return Questionnaire.objects.current().get()


@pytest.fixture
def answered(default):
    """The default version once a young person has opened their start questionnaire."""
    pair = MentorshipFactory(active=True)
    response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    return default


def test_the_default_questionnaire_exists_after_the_migrations(default):
    assert default.title == "Questionnaire d'auto-évaluation"
    assert default.version == 2
    assert default.is_current


def test_the_version_in_service_says_tu_and_the_first_one_is_kept_as_it_was(default):
    first = Questionnaire.objects.get(family=default.family, version=1)

    assert not first.is_current
    assert "vous" in first.introduction
    assert default.introduction.startswith("Ce questionnaire t'aide, toi et ton mentor")
    assert not default.questions.filter(text__iregex=r"\b(vous|votre|vos)\b").exists()
    # Same questions in the same order; the scale ones keep their words, so the programme's
    # progress adds the two versions up.
    assert [(q.order, q.kind, q.moment) for q in default.questions.all()] == [
        (q.order, q.kind, q.moment) for q in first.questions.all()
    ]
    scales = default.questions.filter(kind=QuestionKind.SCALE)
    assert list(scales.values_list("text", flat=True)) == list(
        first.questions.filter(kind=QuestionKind.SCALE).values_list("text", flat=True)
    )


def test_the_default_questionnaire_asks_a_scale_question_for_each_of_the_seven_themes(default):
    scales = list(default.questions.filter(kind=QuestionKind.SCALE))

    assert len(scales) == 7
    for theme in THEMES:
        assert any(theme in question.text for question in scales), theme
    # Asked at both moments: otherwise there would be no start-to-end change to measure.
    assert {question.moment for question in scales} == {QuestionMoment.BOTH}
    assert all(question.min_label and question.max_label for question in scales)


def test_the_default_questionnaire_asks_open_questions_at_the_start_or_at_the_end_only(default):
    start_only = default.questions.filter(moment=QuestionMoment.START)
    end_only = default.questions.filter(moment=QuestionMoment.END)

    assert start_only.filter(text__icontains="attends-tu de ton mentor").exists()
    assert end_only.filter(text__icontains="changé pour toi").exists()
    assert not start_only.filter(kind=QuestionKind.SCALE).exists()
    assert not end_only.filter(kind=QuestionKind.SCALE).exists()


def test_a_version_without_answers_can_still_be_edited(default):
    default.title = "Nouveau titre"
    default.save()
    question = default.questions.first()
    question.text = "Question reformulée"
    question.save()

    default.refresh_from_db()
    assert default.title == "Nouveau titre"


def test_a_version_with_answers_refuses_a_changed_title(answered):
    answered.title = "Autre titre"

    with pytest.raises(FrozenQuestionnaireError):
        answered.save()


def test_a_version_with_answers_refuses_changes_to_its_questions(answered):
    question = answered.questions.first()
    question.text = "Question reformulée"

    with pytest.raises(FrozenQuestionnaireError):
        question.save()


def test_a_version_with_answers_refuses_a_new_question(answered):
    with pytest.raises(FrozenQuestionnaireError):
        Question.objects.create(
            questionnaire=answered, order=99, text="Ajoutée après coup", kind=QuestionKind.SCALE
        )


def test_a_version_with_answers_refuses_to_lose_a_question(answered):
    with pytest.raises(FrozenQuestionnaireError):
        answered.questions.first().delete()


def test_a_version_with_answers_refuses_bulk_question_updates_and_deletions(answered):
    with pytest.raises(FrozenQuestionnaireError):
        Question.objects.filter(questionnaire=answered).update(text="Réécrite")
    with pytest.raises(FrozenQuestionnaireError):
        Question.objects.filter(questionnaire=answered).delete()

    assert answered.questions.exclude(text="Réécrite").count() == answered.questions.count()


def test_a_version_with_answers_refuses_bulk_updates_and_deletions(answered):
    with pytest.raises(FrozenQuestionnaireError):
        Questionnaire.objects.filter(pk=answered.pk).update(title="Réécrit")
    with pytest.raises(FrozenQuestionnaireError):
        Questionnaire.objects.filter(pk=answered.pk).delete()
    with pytest.raises(FrozenQuestionnaireError):
        answered.delete()

    answered.refresh_from_db()
    assert answered.title == "Questionnaire d'auto-évaluation"


def test_a_version_with_answers_can_still_be_taken_out_of_service(answered):
    # Putting a version in or out of service changes no question: it stays allowed.
    Questionnaire.objects.filter(pk=answered.pk).update(is_current=False)
    answered.refresh_from_db()
    answered.is_current = True
    answered.save()

    answered.refresh_from_db()
    assert answered.is_current


def test_a_new_version_copies_the_questions_and_is_not_yet_in_service(answered):
    copy = questionnaire_new_version(questionnaire=answered)

    assert copy.version == answered.version + 1
    assert copy.family == answered.family
    assert not copy.is_current
    fields = ("order", "text", "help_text", "kind", "required", "moment", "choices")
    assert list(copy.questions.values_list(*fields)) == list(
        answered.questions.values_list(*fields)
    )
    # The copy has no answers yet: it can be edited.
    question = copy.questions.first()
    question.text = "Question reformulée"
    question.save()


def test_making_a_version_current_takes_the_previous_one_out_of_service(answered):
    copy = questionnaire_new_version(questionnaire=answered)

    questionnaire_make_current(questionnaire=copy)

    assert Questionnaire.objects.current().get() == copy
    answered.refresh_from_db()
    assert not answered.is_current


def test_a_version_without_questions_cannot_be_put_in_service(default):
    empty = Questionnaire.objects.create(title="Vide", version=default.version + 1)

    with pytest.raises(QuestionnaireError):
        questionnaire_make_current(questionnaire=empty)

    assert Questionnaire.objects.current().get() == default


def test_new_start_questionnaires_use_the_version_in_service(answered):
    copy = questionnaire_new_version(questionnaire=answered)
    questionnaire_make_current(questionnaire=copy)
    pair = MentorshipFactory(active=True)

    response = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)

    assert response.questionnaire == copy


def test_the_end_questionnaire_uses_the_start_version_after_a_new_one_is_in_service(default):
    pair = MentorshipFactory(active=True)
    start = response_open(mentorship=pair, moment=Moment.START, author=pair.mentee.user)
    questionnaire_make_current(questionnaire=questionnaire_new_version(questionnaire=default))
    pair.status = MentorshipStatus.CLOSED
    pair.save()

    end = response_open(mentorship=pair, moment=Moment.END, author=pair.mentee.user)

    assert start.questionnaire == default
    assert end.questionnaire == default
    assert questionnaire_for(mentorship=pair, moment=Moment.END) == default
