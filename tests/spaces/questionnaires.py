"""Questionnaire responses for the tests, written through the evaluations services like the
fill page does (never by creating rows directly), on the default questionnaire."""

from evaluations.enums import Moment, QuestionKind
from evaluations.models import Questionnaire
from evaluations.services import response_open, response_save

# The default questionnaire's seven scale questions, in order.
SCALES = 7


def answers_for(response, *, scales, text="Une réponse", complete=True) -> dict:
    """Answers to every question asked at the response's moment: `scales` in the order of the
    scale questions, the first proposed choice, `text` for the open questions. Without
    `complete`, only the scale answers (a draft)."""
    values = iter(scales)
    answers = {}
    for question in response.questionnaire.questions.for_moment(response.moment):
        if question.kind == QuestionKind.SCALE:
            answers[question.pk] = next(values)
        elif not complete:
            continue
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            answers[question.pk] = question.choices[0]
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            answers[question.pk] = question.choices[:2]
        else:
            answers[question.pk] = f"{text} ({question.order})"
    return answers


def respond(mentorship, moment: Moment, *, scales=(3,) * SCALES, submit=True, text="Une réponse"):
    author = mentorship.mentee.user
    response = response_open(mentorship=mentorship, moment=moment, author=author)
    return response_save(
        response=response,
        author=author,
        answers=answers_for(response, scales=scales, text=text, complete=submit),
        submit=submit,
    )


def default_questionnaire() -> Questionnaire:
    return Questionnaire.objects.current().get()
