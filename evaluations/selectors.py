"""Reads of the questionnaires: who sees what, what is due, and the progress between the
start and the end, for one pair and for the whole programme (computed in the database)."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Min,
    OuterRef,
    Q,
)
from django.db.models.functions import Cast

from matching.enums import MentorshipStatus, Side
from matching.models import Mentorship
from matching.selectors import mentorships_visible_to
from mentees.models import PriorityMark

from .enums import Moment, QuestionKind, ResponseStatus
from .models import Answer, Question, Response


def responses_visible_to(user):
    """Responses of the pairs `user` sees; a draft only to the member writing it: nothing is
    shown to the other member, the référent or staff before it is submitted. A closure
    questionnaire is for the programme's team: once submitted, the pair's référent and
    coordinators read it, and its author, never the other member of the pair."""
    own = Q(side=Side.MENTEE, mentorship__mentee__user=user) | Q(
        side=Side.MENTOR, mentorship__mentor__user=user
    )
    member = Q(mentorship__mentee__user=user) | Q(mentorship__mentor__user=user)
    shared = Q(status=ResponseStatus.SUBMITTED) & (~Q(moment=Moment.CLOSURE) | ~member)
    return Response.objects.filter(mentorship__in=mentorships_visible_to(user)).filter(shared | own)


def _submitted(moment: Moment):
    return Response.objects.filter(
        mentorship=OuterRef("pk"), moment=moment, status=ResponseStatus.SUBMITTED
    )


def with_questionnaire_state(mentorships):
    """Annotate `start_submitted` and `end_submitted` (one query for any list of pairs)."""
    return mentorships.annotate(
        start_submitted=Exists(_submitted(Moment.START)),
        end_submitted=Exists(_submitted(Moment.END)),
    )


def start_questionnaire_due(mentorships):
    """Pairs whose young person still has to submit the start questionnaire: derived from
    the pair being active (or closed) rather than pushed down into it."""
    return mentorships.filter(
        status__in=[MentorshipStatus.ACTIVE, MentorshipStatus.CLOSED]
    ).exclude(Exists(_submitted(Moment.START)))


def end_questionnaire_due(mentorships):
    """Closed pairs, and pairs ready to close, whose end questionnaire is not submitted.

    Both conditions apply to the given pairs themselves (an OR of two filters on the same
    rows), so that a space asking about its own pairs never computes « ready to close » for
    the whole programme."""
    closed = mentorships.filter(status=MentorshipStatus.CLOSED)
    closing = mentorships.ready_to_close()
    return (closed | closing).exclude(Exists(_submitted(Moment.END)))


@dataclass(frozen=True)
class ScaleProgress:
    question: Question
    start: int | None
    end: int | None

    @property
    def change(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


@dataclass(frozen=True)
class PairProgress:
    start: Response | None
    end: Response | None
    scales: list[ScaleProgress]
    # (question, start answer text, end answer text) for the open and choice questions.
    others: list[tuple[Question, str, str]]

    @property
    def complete(self) -> bool:
        return self.start is not None and self.end is not None


def _as_text(answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.choice_values:
        return ", ".join(answer.choice_values)
    return answer.text_value


def pair_progress(*, mentorship: Mentorship, user) -> PairProgress:
    """Start against end for one pair, from the responses `user` may see (two queries)."""
    responses = {
        response.moment: response
        for response in responses_visible_to(user)
        .filter(mentorship=mentorship, status=ResponseStatus.SUBMITTED)
        .select_related("questionnaire")
    }
    start, end = responses.get(Moment.START), responses.get(Moment.END)
    shown = [response for response in (start, end) if response is not None]
    answers = {
        (answer.response_id, answer.question_id): answer
        for answer in Answer.objects.filter(response__in=shown).select_related("question")
    }
    questionnaire = (start or end).questionnaire if shown else None
    questions = list(questionnaire.questions.all()) if questionnaire else []
    scales, others = [], []
    for question in questions:
        start_answer = answers.get((start.pk, question.pk)) if start else None
        end_answer = answers.get((end.pk, question.pk)) if end else None
        if question.kind == QuestionKind.SCALE:
            scales.append(
                ScaleProgress(
                    question,
                    start_answer.scale_value if start_answer else None,
                    end_answer.scale_value if end_answer else None,
                )
            )
        elif start_answer or end_answer:
            others.append((question, _as_text(start_answer), _as_text(end_answer)))
    return PairProgress(start=start, end=end, scales=scales, others=others)


def programme_progress(
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    department: str | None = None,
    priority: str | None = None,
    within: Q | None = None,
) -> list[dict]:
    """Per scale question: pairs with both responses, mean start, mean end, mean change and
    the share of young people who progressed — one aggregate query in the database.

    `since` / `until` bound the end questionnaire's submission date; `priority` is the code
    of a priority public (PriorityPublic.code) the young person is marked with (an unknown
    code matches nobody); `within` is a further condition on the end answers (the staff
    pages' antenne: `response__mentorship__mentee__antenne`)."""
    # Each submitted end answer joined to the same question's answer in the pair's submitted
    # start response: plain joins, which the database hashes in one pass (a correlated
    # subquery per end answer took over 3 s on 40,000 pairs).
    ends = (
        Answer.objects.filter(
            question__kind=QuestionKind.SCALE,
            response__moment=Moment.END,
            response__status=ResponseStatus.SUBMITTED,
            scale_value__isnull=False,
        )
        .annotate(
            start_response=FilteredRelation(
                "response__mentorship__responses",
                condition=Q(
                    response__mentorship__responses__moment=Moment.START,
                    response__mentorship__responses__status=ResponseStatus.SUBMITTED,
                ),
            )
        )
        .annotate(
            start_answer=FilteredRelation(
                "start_response__answers",
                condition=Q(start_response__answers__question=F("question")),
            )
        )
        .annotate(start_value=F("start_answer__scale_value"))
    )
    if since:
        ends = ends.filter(response__submitted_at__date__gte=since)
    if until:
        ends = ends.filter(response__submitted_at__date__lte=until)
    if department:
        ends = ends.filter(response__mentorship__mentee__department=department)
    if within is not None:
        ends = ends.filter(within)
    if priority:
        # A value, not a field name: an unknown code simply matches nobody.
        ends = ends.filter(
            Exists(
                PriorityMark.objects.filter(
                    mentee=OuterRef("response__mentorship__mentee"), public__code=priority
                )
            )
        )
    rows = (
        ends.filter(start_value__isnull=False)
        # By the question's words, not its row: the versions of a questionnaire that ask a
        # scale question in the same words add up (start and end are always one version).
        .values("question__order", "question__text")
        .annotate(
            first_question=Min("question"),
            pairs=Count("pk"),
            mean_start=Avg(Cast("start_value", FloatField())),
            mean_end=Avg(Cast("scale_value", FloatField())),
            mean_change=Avg(Cast(F("scale_value") - F("start_value"), FloatField())),
            progressed=Count("pk", filter=Q(scale_value__gt=F("start_value"))),
        )
        .order_by("question__order", "first_question")
    )
    return [
        {
            "question_id": row["first_question"],
            "question": row["question__text"],
            "pairs": row["pairs"],
            "mean_start": row["mean_start"],
            "mean_end": row["mean_end"],
            "mean_change": row["mean_change"],
            "progressed_share": row["progressed"] / row["pairs"] if row["pairs"] else 0.0,
        }
        for row in rows
    ]


CLOSURE_SIDES = {Side.MENTEE: "Jeunes", Side.MENTOR: "Mentors"}


def closure_answers_summary(pairs) -> list[dict]:
    """The submitted closure questionnaires of `pairs` (a queryset of pairs), side by side:
    per question with answers to count (scale and choices), the number of answers, each
    offered choice's count and, for a scale, the mean. One aggregate query, grouped in the
    database by side, question and answer; the versions of a family that ask a question
    in the same words at the same rank add up (as for the self-assessment's progress)."""
    rows = (
        Answer.objects.filter(
            response__moment=Moment.CLOSURE,
            response__status=ResponseStatus.SUBMITTED,
            response__mentorship__in=pairs,
            question__kind__in=[
                QuestionKind.SCALE,
                QuestionKind.SINGLE_CHOICE,
                QuestionKind.MULTIPLE_CHOICE,
            ],
        )
        .values(
            "response__side",
            "question__order",
            "question__text",
            "question__kind",
            "question__choices",
            "choice_values",
            "scale_value",
        )
        .annotate(count=Count("pk"))
        .order_by("response__side", "question__order", "question__text")
    )
    questions: dict[tuple, dict] = {}
    for row in rows:
        key = (row["response__side"], row["question__order"], row["question__text"])
        question = questions.setdefault(
            key,
            {
                "text": row["question__text"],
                "kind": row["question__kind"],
                "answers": 0,
                "total": 0,
                "counts": {},
            },
        )
        for choice in row["question__choices"] or []:
            question["counts"].setdefault(choice, 0)
        count = row["count"]
        question["answers"] += count
        if row["question__kind"] == QuestionKind.SCALE:
            if row["scale_value"] is not None:
                question["total"] += row["scale_value"] * count
                question["counts"][row["scale_value"]] = (
                    question["counts"].get(row["scale_value"], 0) + count
                )
        else:
            # A multiple choice is counted once per choice ticked.
            for choice in row["choice_values"] or []:
                question["counts"][choice] = question["counts"].get(choice, 0) + count
    sides = []
    for side, label in CLOSURE_SIDES.items():
        shown = []
        for (question_side, _, _), question in questions.items():
            if question_side != side:
                continue
            is_scale = question["kind"] == QuestionKind.SCALE
            shown.append(
                {
                    "text": question["text"],
                    "is_scale": is_scale,
                    "answers": question["answers"],
                    "mean": question["total"] / question["answers"]
                    if is_scale and question["answers"]
                    else None,
                    "choices": [
                        {"label": str(choice), "count": count}
                        for choice, count in (
                            sorted(question["counts"].items())
                            if is_scale
                            else question["counts"].items()
                        )
                    ],
                }
            )
        sides.append({"side": side, "label": label, "questions": shown})
    return sides
