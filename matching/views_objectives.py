"""A pair's objectives: either member adds one or updates it (title, précisions, state).

Writes are for the two members of an active pair. Every lookup starts from the pairs the user
may see (`mentorships_visible_to`) narrowed to those they belong to: a référent or a
coordinator reads the objectives on the pair's page, and finds nothing here (404), like
anybody else."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from users.forms_errors import add_service_errors
from users.overload import form_kept_when_overloaded

from .forms_objectives import ObjectiveEditForm, ObjectiveForm, ObjectiveStatusForm
from .models import Objective
from .selectors import mentorships_visible_to
from .services import PairRuleError, objective_create, objective_update

HISTORY_SHOWN = 20


def _member_pairs(user):
    return mentorships_visible_to(user).involving(user)


def _objectives_url(mentorship_id: int) -> str:
    return reverse(settings.PAGE_URLS["member_pair"], args=[mentorship_id]) + "#objectifs"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def objective_add(request, pk):
    mentorship = get_object_or_404(
        _member_pairs(request.user).select_related("mentor__user", "mentee__user"), pk=pk
    )
    form = ObjectiveForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            objective = objective_create(
                mentorship=mentorship,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                author=request.user,
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Objectif ajouté : « {objective.title} ».")
            return redirect(_objectives_url(mentorship.pk))
    return render(
        request,
        "matching/objectives/form.html",
        {
            "mentorship": mentorship,
            "form": form,
            "heading": "Ajouter un objectif",
            "submit_label": "Ajouter l'objectif",
            "back_url": _objectives_url(mentorship.pk),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@form_kept_when_overloaded(PairRuleError)
def objective_edit(request, pk):
    objective = get_object_or_404(
        Objective.objects.filter(mentorship__in=_member_pairs(request.user)).select_related(
            "mentorship__mentor__user", "mentorship__mentee__user"
        ),
        pk=pk,
    )
    form = _edit_form(request, objective)
    if form.is_bound and form.is_valid():
        try:
            objective_update(
                objective=objective,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                status=form.cleaned_data["status"],
                author=request.user,
            )
        except PairRuleError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Objectif mis à jour : « {form.cleaned_data['title']} ».")
            return redirect(_objectives_url(objective.mentorship_id))
    history = objective.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "matching/objectives/form.html",
        {
            "mentorship": objective.mentorship,
            "objective": objective,
            "form": form,
            "heading": "Modifier un objectif",
            "submit_label": "Enregistrer l'objectif",
            "back_url": _objectives_url(objective.mentorship_id),
            "history": history[:HISTORY_SHOWN],
        },
    )


def _edit_form(request, objective: Objective) -> ObjectiveEditForm:
    """The full form; a quick state change from the pair's page (`ObjectiveStatusForm`) is
    read as this form with the current title and précisions, so that a refusal is shown on
    the full form with the state the member chose."""
    if request.method != "POST":
        return ObjectiveEditForm.for_objective(objective)
    if request.POST.get("quick") == ObjectiveStatusForm.QUICK:
        quick = ObjectiveStatusForm(request.POST, objective=objective)
        status = quick["status"].value()
        return ObjectiveEditForm(
            {"title": objective.title, "description": objective.description, "status": status}
        )
    return ObjectiveEditForm(request.POST)
