"""The young person fills their start or end self-assessment questionnaire.

The pair is looked up through `mentorships_visible_to(user)`, then only its young person goes
on: the mentor, the référent and coordinators read submitted questionnaires elsewhere
(views_progress) and must not see a draft here, so for them this URL is a 404 like for
anybody else. Drafts, required answers, ranges and the lock once submitted are the rules of
evaluations.services; this view turns their QuestionnaireError back into errors beside the
fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from matching.selectors import mentorships_visible_to
from users.forms_errors import add_service_errors
from users.overload import form_kept_when_overloaded

from . import services
from .enums import Moment, QuestionKind
from .forms import QuestionnaireForm, question_field
from .models import Response

# The URL speaks French, like the rest of the members' pages.
MOMENTS = {"debut": Moment.START, "fin": Moment.END}
SLUGS = {moment: slug for slug, moment in MOMENTS.items()}
HEADINGS = {
    Moment.START: "Questionnaire de début de mentorat",
    Moment.END: "Questionnaire de fin de mentorat",
}
ALREADY_SENT = "Ce questionnaire est déjà envoyé : il ne change plus."
SUBMIT, DRAFT = "envoyer", "brouillon"


def fill_url(pair_pk: int, moment: Moment) -> str:
    return reverse("evaluations:fill", args=[pair_pk, SLUGS[moment]])


def _answer_text(question, answer) -> str:
    if answer is None:
        return ""
    if question.kind == QuestionKind.SCALE:
        if answer.scale_value is None:
            return ""
        ends = {1: question.min_label, 5: question.max_label}
        end = ends.get(answer.scale_value)
        return f"{answer.scale_value} sur 5" + (f" ({end})" if end else "")
    if answer.choice_values:
        return ", ".join(answer.choice_values)
    return answer.text_value


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(services.QuestionnaireError)
def fill(request, pair_pk, moment):
    moment = MOMENTS.get(moment)
    if moment is None:
        raise Http404
    pair = get_object_or_404(
        mentorships_visible_to(request.user).select_related("mentor__user", "mentee__user"),
        pk=pair_pk,
    )
    if pair.mentee.user_id != request.user.pk:
        raise Http404
    context = {"pair": pair, "heading": HEADINGS[moment], "moment": moment}
    try:
        response = services.response_open(mentorship=pair, moment=moment, author=request.user)
    except services.QuestionnaireError as error:
        # Not open yet (the end questionnaire before the mentoring closes): say so, not 404.
        return render(
            request, "evaluations/fill.html", {**context, "closed": " ".join(error.errors.values())}
        )
    response = Response.objects.select_related("questionnaire").get(pk=response.pk)
    questions = list(response.questionnaire.questions.for_moment(moment))
    answers = list(response.answers.all())
    context.update(response=response, questionnaire=response.questionnaire)

    if response.is_submitted:
        if request.method == "POST":
            # A second tab, or a resent form: nothing changes, and the page says why.
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
                # Another tab submitted between this page's read and its save.
                context["already_sent"] = ALREADY_SENT
                return _submitted_view(request, context, questions, list(response.answers.all()))
            add_service_errors(form, error, field_name=question_field)
        else:
            if submit:
                messages.success(request, "Merci ! Ton questionnaire est envoyé à ton mentor.")
            else:
                messages.success(
                    request,
                    "Ton brouillon est enregistré. Tu peux revenir le terminer quand tu veux.",
                )
            return redirect(fill_url(pair.pk, moment))
    return render(
        request,
        "evaluations/fill.html",
        {**context, "form": form, "rows": form.rows(), "submit": SUBMIT, "draft": DRAFT},
    )


def _submitted_view(request, context, questions, answers):
    by_question = {answer.question_id: answer for answer in answers}
    shown = [
        (question, _answer_text(question, by_question.get(question.pk))) for question in questions
    ]
    return render(request, "evaluations/fill.html", {**context, "answers": shown})
