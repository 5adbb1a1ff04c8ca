"""Reading the questionnaires: one response, and a pair's progress from start to end.

Every lookup goes through the visibility selectors, so a page somebody may not read is a 404
(never a 403 that would confirm the pair or the response exists), and a draft is only ever
shown to the young person writing it."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from matching.enums import Side
from matching.selectors import mentorships_visible_to

from . import services
from .charts import change_text, change_words, progress_chart
from .enums import Moment, QuestionKind
from .models import SCALE_MAX, Answer, Question
from .selectors import pair_progress, responses_visible_to


@dataclass(frozen=True)
class ShownAnswer:
    question: Question
    answer: Answer | None

    @property
    def is_scale(self) -> bool:
        return self.question.kind == QuestionKind.SCALE

    @property
    def is_long_text(self) -> bool:
        return self.question.kind == QuestionKind.LONG_TEXT

    @property
    def choices(self) -> list[str]:
        return self.answer.choice_values if self.answer else []

    @property
    def is_empty(self) -> bool:
        answer = self.answer
        return answer is None or (
            answer.scale_value is None and not answer.text_value and not answer.choice_values
        )


@never_cache
@login_required
def response_detail(request, pk):
    response = get_object_or_404(
        responses_visible_to(request.user).select_related(
            "questionnaire", "mentorship__mentor__user", "mentorship__mentee__user"
        ),
        pk=pk,
    )
    # Opened by the pair's référent or a coordinator: no longer « à lire » for them.
    services.response_mark_read(response=response, reader=request.user)
    answers = {answer.question_id: answer for answer in response.answers.all()}
    questions = response.questionnaire.questions.for_moment(response.moment)
    mentorship = response.mentorship
    return render(
        request,
        "evaluations/response_detail.html",
        {
            "response": response,
            "mentorship": mentorship,
            "is_mentee": mentorship.mentee.user_id == request.user.pk,
            # A closure questionnaire: whose it is, and whether the reader wrote it.
            "respondent": mentorship.mentor.user
            if response.side == Side.MENTOR
            else mentorship.mentee.user,
            "is_author": services.respondent_id(response) == request.user.pk,
            "shown": [ShownAnswer(question, answers.get(question.pk)) for question in questions],
            "scale_max": SCALE_MAX,
        },
    )


@dataclass(frozen=True)
class ScaleRow:
    """A scale question's line of the progress table."""

    number: int
    question: Question
    start: int | None
    end: int | None
    change: int | None

    @property
    def change_text(self) -> str:
        return change_text(self.change)

    @property
    def change_words(self) -> str:
        return change_words(self.change)


@never_cache
@login_required
def progress(request, pair_pk):
    mentorship = get_object_or_404(
        mentorships_visible_to(request.user).select_related("mentor__user", "mentee__user"),
        pk=pair_pk,
    )
    progress = pair_progress(mentorship=mentorship, user=request.user)
    rows = [
        ScaleRow(number, scale.question, scale.start, scale.end, scale.change)
        for number, scale in enumerate(progress.scales, start=1)
    ]
    return render(
        request,
        "evaluations/progress.html",
        {
            "mentorship": mentorship,
            "progress": progress,
            "is_mentee": mentorship.mentee.user_id == request.user.pk,
            "rows": rows,
            "chart": progress_chart(progress.scales) if progress.complete else None,
            "start_moment": Moment.START,
            "end_moment": Moment.END,
        },
    )
