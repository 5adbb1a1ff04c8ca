"""A member fills their closure questionnaire once the pair is closed: the young person in
« tu », the mentor in « vous », each their own (one per side of the pair).

The pair is looked up through `mentorships_visible_to(user)`, then only its two members go
on: the référent and coordinators read submitted questionnaires elsewhere (views_progress),
so for them this URL is a 404 like for anybody else. Drafts, required answers, ranges and the
lock once submitted are the rules of evaluations.services, as for the self-assessment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from matching.enums import Side
from matching.selectors import mentorships_visible_to
from users.forms_errors import add_service_errors
from users.overload import form_kept_when_overloaded

from . import services
from .forms import QuestionnaireForm, question_field
from .models import Response
from .views import ALREADY_SENT, DRAFT, SUBMIT, _answer_text

HEADING = "Questionnaire de clôture du mentorat"


def closure_url(pair_pk: int) -> str:
    return reverse("evaluations:closure", args=[pair_pk])


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(services.QuestionnaireError)
def closure_fill(request, pair_pk):
    pair = get_object_or_404(
        mentorships_visible_to(request.user).select_related("mentor__user", "mentee__user"),
        pk=pair_pk,
    )
    side = services.member_side(pair, request.user)
    if side is None:
        raise Http404
    vous = side == Side.MENTOR
    other = pair.mentee.user if vous else pair.mentor.user
    context = {"pair": pair, "heading": HEADING, "vous": vous, "other": other}
    try:
        response = services.closure_response_open(mentorship=pair, author=request.user)
    except services.QuestionnaireError as error:
        # Not open yet (the pair is not closed): say so, not 404.
        return render(
            request,
            "evaluations/closure_fill.html",
            {**context, "closed": " ".join(error.errors.values())},
        )
    response = Response.objects.select_related("questionnaire").get(pk=response.pk)
    questions = list(response.questionnaire.questions.for_moment(response.moment))
    answers = list(response.answers.all())
    context.update(response=response, questionnaire=response.questionnaire)

    if response.is_submitted:
        if request.method == "POST":
            context["already_sent"] = ALREADY_SENT
        return _submitted_view(request, context, questions, answers)

    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None, questions=questions, answers=answers
    )
    if form.is_bound and form.is_valid():
        submit = request.POST.get("action") == SUBMIT
        try:
            services.response_save(
                response=response, author=request.user, answers=form.answers(), submit=submit
            )
        except services.QuestionnaireError as error:
            response.refresh_from_db()
            if response.is_submitted:
                context["already_sent"] = ALREADY_SENT
                return _submitted_view(request, context, questions, list(response.answers.all()))
            add_service_errors(form, error, field_name=question_field)
        else:
            if submit:
                messages.success(
                    request,
                    "Merci ! Vos réponses sont envoyées à l'équipe du programme."
                    if vous
                    else "Merci ! Tes réponses sont envoyées à l'équipe du programme.",
                )
            else:
                messages.success(
                    request,
                    "Votre brouillon est enregistré. Vous pouvez revenir le terminer quand vous "
                    "voulez."
                    if vous
                    else "Ton brouillon est enregistré. Tu peux revenir le terminer quand tu veux.",
                )
            return redirect(closure_url(pair.pk))
    return render(
        request,
        "evaluations/closure_fill.html",
        {**context, "form": form, "rows": form.rows(), "submit": SUBMIT, "draft": DRAFT},
    )


def _submitted_view(request, context, questions, answers):
    by_question = {answer.question_id: answer for answer in answers}
    shown = [
        (question, _answer_text(question, by_question.get(question.pk))) for question in questions
    ]
    return render(request, "evaluations/closure_fill.html", {**context, "answers": shown})
